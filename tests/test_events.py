"""Event records: triggers, counts from the parse, negation, modality, source, place and date origins."""

from __future__ import annotations

import pytest

import factx
from factx.events import find_triggers, load_rules

PUBLISHED = "2016-06-06"  # a Monday


def events_of(nlp, text: str, published: str | None = PUBLISHED):
    """Extract one text and return its events."""
    return factx.extract(text, published=published, nlp=nlp).events


def counted(events, etype: str) -> list:
    """The count values of the asserted (non-negated) events of one type."""
    return [e.count["value"] for e in events if e.type == etype and e.count is not None and not e.negated]


class TestCounts:
    @pytest.mark.parametrize(
        ("text", "etype", "value"),
        [
            ("Police in Sichuan arrested 27 suspects on Friday.", "arrest", 27),
            ("13 babies were also rescued in the raid.", "rescue", 13),
            ("Another 43 suspects were arrested in Anhui province.", "arrest", 43),
            ("Three people, including two children, were killed in the blast.", "kill", 3),
            ("The arrest of 27 suspects followed a long investigation.", "arrest", 27),
            ("Officials confirmed a death toll of 12 after the floods.", "kill", 12),
            ("A 17-year-old boy was shot in the leg on Sunday.", "injure", 1),
            ("The 17-year-old was shot in the leg.", "injure", 1),
            ("A gunman shot and killed two people outside a bar.", "kill", 2),
            ("Maria Lopez and her son were killed in the crash.", "kill", 2),
            ("Officers found three people shot to death in the living room.", "kill", 3),
            ("A man was fatally shot on Saturday night.", "kill", 1),
            ("He was pronounced dead at the scene.", "kill", 1),
            ("The fire left one man dead and injured four others.", "kill", 1),
            ("The fire left one man dead and injured four others.", "injure", 4),
            ("1 dead, 4 wounded in overnight shooting", "kill", 1),
            ("1 dead, 4 wounded in overnight shooting", "injure", 4),
            ("Two men were wounded and a woman was killed.", "injure", 2),
            ("She suffered a gunshot wound to the chest.", "injure", 1),
            ("Police opened fire, killing two rioters.", "kill", 2),
            ("A 57-year-old man was found shot to death Saturday morning.", "kill", 1),
            ("A 12-year-old boy was found shot inside his home.", "injure", 1),
            ("Three others are in the hospital with gunshot wounds.", "injure", 3),
            ("Three other men were also hit by gunfire.", "injure", 3),
            ("The woman passed away on Wednesday.", "kill", 1),
            # The dead are a part of the people shot: the injury counts the survivors.
            ("Six people were shot, two of whom died.", "injure", 4),
            ("Five people were shot and one was killed.", "injure", 4),
            ("He had been wanted in the death of a 16-year-old boy.", "kill", 1),
            ("The city seethed, with two persons, including a woman, being killed in the riots.", "kill", 2),
            ("The police have rounded up 140 activists headed for the capital.", "arrest", 140),
            ("Over 80 workers were on Wednesday taken into custody.", "arrest", 80),
            # A dateline read as the subject gives way to the real one.
            ("DAYTON (WXYZ) — Five teenagers were shot at a motel overnight, officials say.", "injure", 5),
            ("Both were wounded as they left the party.", "injure", 2),
            ("They both died of their injuries.", "kill", 2),
            ("The gunman shot both men with a handgun, killing them.", "kill", 2),
            # A weapon strikes, or a body part is hit: a wound, not a labour strike.
            ("A stray bullet struck a 9-year-old girl in the arm.", "injure", 1),
            ("The boy was struck in his left shoulder, a spokesman said.", "injure", 1),
            ("The rifle went off, hitting his cousin in the legs.", "injure", 1),
            ("The bullet passed through the wall and struck the knee of a sleeping woman.", "injure", 1),
            # Names that spell out a counted group do not add to it.
            ("Two of the men, Paul Ortiz and Dan Reyes, died at the hospital.", "kill", 2),
            # An age after a name marks a person, whatever the entity tagger thought.
            ("Drummer Tavon Lake, 25, was killed in the exchange of fire.", "kill", 1),
            ("An aspiring rapper is dead after a brawl outside the club.", "kill", 1),
            ("Prosecutors charged a neighbour in connection with Ortiz's death.", "kill", 1),
            ("An official said 40 of these deaths took place during the riots.", "kill", 40),
            # Lower-case datelines ("varanasi:") and participles that take the subject of a passive.
            ("varanasi: over 50 activists of the party were arrested here on friday.", "arrest", 50),
            ("dharwad: police arrested over 50 party workers on the bridge on thursday.", "arrest", 50),
            ("around 15 workers trying to enforce the strike were arrested at once.", "arrest", 15),
            ("A total of 47 miscreants were arrested by city police in various cases.", "arrest", 47),
            ("The duo were arrested by a team of railway police.", "arrest", 2),
            ("A woman and toddler died after the shooting on Palmer Road.", "kill", 2),
            ("He is suspected of shooting five people to death on Friday.", "kill", 5),
            ("Six people were shot, two fatally, on Monday night.", "kill", 2),
            ("Six people were shot, two fatally, on Monday night.", "injure", 4),
            ("Five people were shot on Saturday, including two men who were killed.", "injure", 3),
        ],
    )
    def test_count(self, nlp, text, etype, value):
        assert value in counted(events_of(nlp, text), etype)

    @pytest.mark.parametrize(
        ("text", "etype", "not_value"),
        [
            ("A 17-year-old boy was shot in the leg on Sunday.", "injure", 17),
            ("Javier Ruiz, 34, was killed on Friday.", "kill", 34),
            ("Boy, 3, wounded in accidental shooting.", "injure", 3),
        ],
    )
    def test_age_is_not_a_count(self, nlp, text, etype, not_value):
        assert not_value not in counted(events_of(nlp, text), etype)

    def test_plural_pronoun_takes_the_count_of_its_antecedent(self, nlp):
        events = events_of(nlp, "Two men were shot on Sunday. They died at the hospital.")
        assert counted(events, "kill") == [2]
        assert counted(events, "injure") == []

    def test_pronoun_for_the_dead_gives_no_injury(self, nlp):
        events = events_of(nlp, "A woman and a toddler died after they were shot on Palmer Road.")
        assert counted(events, "kill") == [2]
        assert counted(events, "injure") == []

    def test_killed_victim_is_not_also_injured(self, nlp):
        events = events_of(nlp, "A man was shot and later died at the hospital.")
        assert counted(events, "kill") == [1]
        assert counted(events, "injure") == []

    @pytest.mark.parametrize(
        "text",
        ["He threatened to kill himself.", "Please don't let my baby die.", "The people arrested confessed.",
         "Had the police arrested him in the capital, the riot would have been avoided.",
         "The law forbids causing a firearm to be discharged to harm or kill another person.",
         "A person must keep the pistol on his or her body.",
         "The husband was struck in the upper body and the son was hit in his lower body.",
         "It is not known where the other arrests took place.",
         "The union demanded the arrest of the party leaders.",
         "If necessary, the marchers will also be arrested.",
         "The government could have apprehended the rioters in time.",
         "He could've passed away that night.",
         "Someone fired shots, striking him on the right side of his body.",
         "Protests will follow if the administration arrested the priests.",
         "It was a conspiracy to get the party workers arrested.",
         "We will effect preventive arrests of those trying to create trouble.",
         "Two meetings were held on Thursday at the party office.",
         "The commission held the senior officials responsible for the violence.",
         "The party chief spoke after holding a meeting of the committee.",
         "Officials hinted that the leaders may be put under house arrest before the march.",
         "The activists could be detained if they enter the town.",
         "He laughed when asked about the possibility of his arrest."],
    )
    def test_no_event_for_unrealized_or_restated(self, nlp, text):
        events = events_of(nlp, text)
        assert [e for e in events if e.type in ("kill", "arrest", "detain") and not e.negated] == []

    @pytest.mark.parametrize(
        ("text", "etype"),
        [
            ("It will be held at the town hall from 6 a.m. to 8 p.m.", "detain"),
            ("The truck struck a tree on the highway.", "injure"),
            ("Workers struck for better pay.", "injure"),
            ("Police are investigating the non-fatal shooting of a 13-year-old.", "kill"),
        ],
    )
    def test_no_event_for_things(self, nlp, text, etype):
        assert [e.type for e in events_of(nlp, text) if e.type == etype] == []

    @pytest.mark.parametrize(
        ("text", "etype"),
        [
            ("The arrests followed the visit of the home minister.", "arrest"),
            ("Preventive arrests were made in the old city.", "arrest"),
            ("He spoke of the arrest of terrorists planning an attack.", "arrest"),
            ("rahman was picked up by police from his home on monday.", "arrest"),
            ("Karim, who was arrested by Dubai police last month, was flown to Delhi.", "arrest"),
            ("Flown in after his arrest in Dubai, Karim was questioned in Rajkot.", "arrest"),
            ("Two suspects were held for the murder of the driver.", "detain"),
            ("The protesters have been placed under house arrest.", "detain"),
            ("The man remains in custody.", "detain"),
            ("the police arrested one rafiq shahid at the bus stand on thursday.", "arrest"),
            ("The leaders left the party office at noon and were arrested near the bridge.", "arrest"),
            ("Forty traders have been booked for rioting.", "arrest"),
        ],
    )
    def test_uncounted_arrests_are_events(self, nlp, text, etype):
        assert [e.type for e in events_of(nlp, text) if e.type == etype and not e.negated] == [etype]

    def test_uncounted_people_still_give_an_event(self, nlp):
        events = events_of(nlp, "The protesters were arrested and taken to the police station.")
        assert [e.type for e in events if e.type == "arrest"] == ["arrest"]
        assert events[0].count is None


class TestNegationModalitySource:
    @pytest.mark.parametrize(
        ("text", "etype"),
        [
            ("No one was hurt in the fire.", "injure"),
            ("Nobody was killed in the crash.", "kill"),
            ("Police did not say whether charges have been brought against the two men.", "charge"),
            ("The police stayed for two hours but no arrests have been made.", "arrest"),
            ("A stray bullet nearly killed the shop owner on Monday.", "kill"),
            ("The driver almost died in the crash last week.", "kill"),
        ],
    )
    def test_negated(self, nlp, text, etype):
        events = [e for e in events_of(nlp, text) if e.type == etype]
        assert events and all(e.negated for e in events)

    def test_nearly_before_a_figure_is_no_negation(self, nlp):
        events = events_of(nlp, "Nearly 50 people were killed in the attack on Friday.")
        assert [(e.type, e.negated, e.count["value"]) for e in events if e.type == "kill"] == [("kill", False, 50)]

    @pytest.mark.parametrize(
        ("text", "etype"),
        [
            ("The man allegedly killed two people in the village.", "kill"),
            ("Two suspects may have been arrested in the raid.", "arrest"),
            ("Gunmen may have killed three villagers overnight.", "kill"),
        ],
    )
    def test_hedged(self, nlp, text, etype):
        events = [e for e in events_of(nlp, text) if e.type == etype]
        assert events and events[0].modality == "hedged"

    @pytest.mark.parametrize(
        ("text", "source"),
        [
            ("Two people were killed in the attack, the ministry said.", "the ministry"),
            ("According to local media reports, 12 people died in the flood.", "local media reports"),
            ("CCTV reported that 40 suspects were arrested.", "CCTV"),
        ],
    )
    def test_source(self, nlp, text, source):
        ev = events_of(nlp, text)[0]
        assert ev.modality == "reported"
        assert ev.source is not None and ev.source.text == source
        assert text[ev.source.start:ev.source.end] == source

    @pytest.mark.parametrize(
        "text",
        [
            "Thirty-seven people were killed in police firing since Friday.",
            "Officials said 73 people have died in police firing.",
            "Four people were killed and five injured when police opened fire on the crowd.",
            "two persons have been killed in police firing as rampaging mobs torched several shops.",
            "one person was killed and six others injured on tuesday night when the police fired to disperse mobs.",
            "the union demanded a probe into the police firing on its members at the village in which one person "
            "was killed.",
            "An official said 40 of these deaths took place due to police firing on violent mobs.",
            "The majority of the people killed in police firing were young men.",
            "rioting and subsequent police firing in the old city left two dead and five injured on tuesday.",
            "but police sentries posted there killed one of them on the spot.",
            "they demanded an inquiry into the police firing that left one dead near the temple on sunday.",
            "The minister said 77 deaths due to police firing had been reported so far.",
            "the city seethed with two persons, including a woman, being killed in police firing.",
        ],
    )
    def test_police_as_agent_of_the_cause(self, nlp, text):
        ev = [e for e in events_of(nlp, text) if e.type == "kill"][0]
        assert ev.agent is not None and "police" in ev.agent.text.split()

    def test_what_the_police_arrest_is_people(self, nlp):
        ev = [e for e in events_of(nlp, "The goons were detained by the police near the station.") if e.type == "detain"]
        assert ev and ev[0].agent is not None and ev[0].agent.text == "the police"

    def test_the_shooter_not_the_rounds_is_the_agent(self, nlp):
        text = "The police fired about 40 rounds, killing two persons."
        ev = [e for e in events_of(nlp, text) if e.type == "kill"][0]
        assert ev.agent is not None and ev.agent.text == "The police"
        ev = [e for e in events_of(nlp, "A bullet struck a 9-year-old girl.") if e.type == "injure"][0]
        assert ev.agent is None


class TestPlaceAndDate:
    def test_place_in_sentence(self, nlp):
        ev = events_of(nlp, "A man was shot in Toledo, Ohio on Sunday.")[0]
        assert (ev.place["name"], ev.place["kind"], ev.place["admin1"], ev.place["origin"]) == (
            "Toledo", "city", "US-OH", "clause")

    def test_place_from_incident(self, nlp):
        text = "Police in Leshan, Sichuan, raided a warehouse. Twelve suspects were arrested."
        ev = [e for e in events_of(nlp, text) if e.type == "arrest"][0]
        assert ev.place["origin"] == "incident" and ev.place["admin1"] == "CN-SC"

    def test_place_from_dateline(self, nlp):
        text = ("DAYTON, Ohio - Police are looking for a gunman.\n\n"
                "Investigators spoke to witnesses at the scene.\n\nTwo men were wounded.")
        ev = [e for e in events_of(nlp, text) if e.type == "injure"][0]
        assert (ev.place["name"], ev.place["origin"]) == ("Dayton", "dateline")

    def test_date_in_sentence(self, nlp):
        ev = events_of(nlp, "Two men were killed on Saturday night.")[0]
        assert (ev.date["value"][:10], ev.date["origin"]) == ("2016-06-04", "clause")

    def test_date_from_incident(self, nlp):
        text = "The shooting happened on June 2.\n\nTwo men were wounded, police said."
        ev = [e for e in events_of(nlp, text) if e.type == "injure"][0]
        assert (ev.date["value"], ev.date["origin"]) == ("2016-06-02", "incident")

    def test_bare_clock_time_gives_way_to_the_day(self, nlp):
        text = "A man was shot and killed Saturday night.\n\nHe was shot at about 5:50 a.m. and died later."
        late = [e for e in events_of(nlp, text) if e.type == "kill"][-1]
        assert (late.date["value"][:10], late.date["origin"]) == ("2016-06-04", "incident")

    def test_date_falls_back_to_publication(self, nlp):
        ev = events_of(nlp, "Two men were wounded.")[0]
        assert (ev.date["value"], ev.date["origin"]) == (PUBLISHED, "published")

    def test_future_date_is_not_the_event_date(self, nlp):
        ev = events_of(nlp, "Two men were arrested and will appear in court on June 20.")[0]
        assert ev.date["value"] != "2016-06-20"


class TestDuplicatesAndParts:
    def test_restatement_is_linked(self, nlp):
        text = ("Police arrested 1,094 people in a nationwide operation.\n\n"
                "The ministry said 1,094 people were arrested.")
        events = [e for e in events_of(nlp, text) if e.type == "arrest"]
        assert [e.count["value"] for e in events] == [1094, 1094]
        assert events[1].same_as == events[0].id

    def test_total_and_part_are_separate(self, nlp):
        text = "Police arrested 1,094 people across China. In Sichuan, 27 suspects were arrested."
        events = [e for e in events_of(nlp, text) if e.type == "arrest"]
        assert [e.count["value"] for e in events] == [1094, 27]
        assert events[1].same_as is None
        assert events[1].place["admin1"] == "CN-SC"


def test_nominal_and_phrasal_triggers(nlp):
    rules = load_rules()
    doc = nlp("The death toll rose after the gunman was shot dead and two others were taken into custody.")
    found = {(t.type, doc.text[t.start:t.end]) for t in find_triggers(doc, rules)}
    assert ("kill", "death toll") in found
    assert ("kill", "shot dead") in found
    assert ("arrest", "taken into custody") in found


def test_offsets_match_text(nlp):
    text = "On Friday, police in Leshan arrested 27 suspects, the ministry said."
    for ev in events_of(nlp, text):
        assert text[ev.trigger.start:ev.trigger.end] == ev.trigger.text
        if ev.count and ev.count.get("start") is not None:
            assert text[ev.count["start"]:ev.count["end"]] == ev.count["text"]


# The reference article shipped in samples/: the (type, count) pairs it must keep giving.
SEED_EXPECTED = [
    ("bust", 4), ("arrest", 1000), ("rescue", 382), ("arrest", 1094), ("arrest", 27), ("rescue", 13),
    ("arrest", 43), ("rescue", 11), ("arrest", 1), ("purchase", 2), ("purchase", 1), ("sale", 7),
]


def test_seed_article_regression(nlp, seed_text):
    events = factx.extract(seed_text, published="2014-02-28", nlp=nlp).events
    got = [(e.type, e.count["value"]) for e in events if e.count is not None]
    for pair in SEED_EXPECTED:
        assert pair in got
    assert len(events) <= len(SEED_EXPECTED) + 3
    sentence = [e for e in events if e.type == "sentence"]
    assert sentence and sentence[0].date["value"] == "2014-01"
    by_count = {(e.type, e.count["value"]): e for e in events if e.count is not None}
    assert by_count[("arrest", 27)].place["admin1"] == "CN-SC"
    assert by_count[("arrest", 43)].place["admin1"] == "CN-AH"
    assert by_count[("arrest", 1094)].place["country"] == "CN"


@pytest.mark.parametrize(("text", "value", "total"), [
    ("Six people were shot, two of whom died.", 4, 6),
    ("Five people were shot and one was killed.", 4, 5),
])
def test_injury_count_keeps_the_texts_total(nlp, text, value, total):
    [injure] = [e for e in events_of(nlp, text) if e.type == "injure"]
    assert (injure.count["value"], injure.count["total"]) == (value, total)
    assert injure.count["text"].lower() in ("six", "five")


def test_injury_count_without_deaths_has_no_total(nlp):
    [injure] = [e for e in events_of(nlp, "Two men were wounded in the shooting.") if e.type == "injure"]
    assert injure.count["value"] == 2 and "total" not in injure.count


@pytest.mark.parametrize(
    ("text", "etype", "value"),
    [
        # A name read as an apposition of the noun before it still is the subject of the verb.
        ("According to the sheriff's office, John Smith, 16, of Springfield, died Wednesday after being shot.",
         "kill", 1),
        # A place after the number does not make the dead others than those shot.
        ("Four people were shot, one fatally, at the park.", "injure", 3),
        ("Four people were shot, one fatally, at the park.", "kill", 1),
        # An age is who died, not when.
        ("Neighbors gathered after the shooting death of a 12-year-old.", "kill", 1),
        # A name the entity tagger takes for a place still counts one person.
        ("Police said Knowles was pronounced dead at the scene.", "kill", 1),
        # The object of a phrase trigger belongs to its last verb.
        ("A 12-year-old boy shot and killed an 11-year-old on Friday.", "kill", 1),
    ],
)
def test_counts_of_hard_parses(nlp, text, etype, value):
    assert value in counted(events_of(nlp, text), etype)


def test_a_gun_going_off_is_no_explosion(nlp):
    assert not [e for e in events_of(nlp, "The gun went off while he was cleaning it.") if e.type == "explosion"]


@pytest.mark.parametrize(
    ("text", "injured", "killed"),
    [
        ("Four people were shot, one man fatally, outside a bar.", 3, 1),
        ("Four people had been shot. Police said two were pronounced dead at the scene.", 2, 2),
        ("Five people were shot on Sunday. One of them died on Monday.", 4, 1),
    ],
)
def test_the_dead_among_those_shot(nlp, text, injured, killed):
    events = events_of(nlp, text)
    assert counted(events, "injure") == [injured] and counted(events, "kill") == [killed]


@pytest.mark.parametrize(
    ("text", "etype", "value"),
    [
        ("The shooting left four people injured.", "injure", 4),
        ("Police are investigating a shooting that left one man dead and a state trooper injured.", "injure", 1),
        ("Three people were shot to death and another was injured on Friday night.", "injure", 1),
        ("Two teens were dead at the scene and four others injured, the statement said.", "injure", 4),
        ("Police identified two people found dead and two more who were injured inside a home.", "kill", 2),
        ("Police identified two people found dead and two more who were injured inside a home.", "injure", 2),
        # a participle followed by a time is a reduced relative, not a verb with a time for its object
        ("The sheriff on Sunday identified the four people killed Christmas Eve as members of one family.", "kill", 4),
        ("Two men shot Sunday night in Trenton were in stable condition.", "injure", 2),
        ("A total of 50 people were killed in the attack.", "kill", 50),
        ("A drive-by shooting in Kent left a 1-year-old girl in critical condition.", "injure", 1),
        ("A man is fighting for his life after being shot in the chest.", "injure", 1),
        # a participle after its noun, tagged as a past tense
        ("One of the five men shot at a bowling alley on Sunday night described the scene.", "injure", 5),
    ],
)
def test_counts_of_elided_and_small_clauses(nlp, text, etype, value):
    assert value in counted(events_of(nlp, text), etype)


@pytest.mark.parametrize(
    ("text", "etype", "value"),
    [
        ("Four people shot in Trenton", "injure", 4),
        ("One killed, four injured in early-morning shooting", "kill", 1),
        ("Teen shot in Homestead, 15-year-old charged as adult", "injure", 1),
    ],
)
def test_headlines_without_auxiliaries(nlp, text, etype, value):
    assert value in counted(events_of(nlp, text), etype)


@pytest.mark.parametrize("text", ["Gunmen shot at the car.", "The gunman shot in the air."])
def test_shooting_at_is_no_injury(nlp, text):
    assert not counted(events_of(nlp, text), "injure")


def test_event_ids_are_unique_and_in_order_when_some_are_dropped(nlp):
    # The injury of the boy who died is dropped for his death: the ids left must still be e1, e2, ...
    text = ("A 16-year-old boy, one of three people hit by gunfire in Miami on Tuesday night, has died, police "
            "said.\n\nPolice say the boy was mortally wounded when he and a friend were walking near a park. "
            "A third person, a bystander, was struck in the arm.")
    events = events_of(nlp, text)
    assert [e.id for e in events] == [f"e{i}" for i in range(1, len(events) + 1)]
    ids = {e.id for e in events}
    assert all(e.same_as in ids for e in events if e.same_as)
