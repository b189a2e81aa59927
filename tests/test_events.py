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
            ("The police have rounded up 140 activists headed for the capital.", "arrest", 140),
            ("Over 80 workers were on Wednesday taken into custody.", "arrest", 80),
        ],
    )
    def test_count(self, nlp, text, etype, value):
        assert value in counted(events_of(nlp, text), etype)

    @pytest.mark.parametrize(
        ("text", "etype", "not_value"),
        [
            ("A 17-year-old boy was shot in the leg on Sunday.", "injure", 17),
            ("Javier Ruiz, 34, was killed on Friday.", "kill", 34),
        ],
    )
    def test_age_is_not_a_count(self, nlp, text, etype, not_value):
        assert not_value not in counted(events_of(nlp, text), etype)

    def test_plural_pronoun_takes_the_count_of_its_antecedent(self, nlp):
        events = events_of(nlp, "Two men were shot on Sunday. They died at the hospital.")
        assert counted(events, "kill") == [2]
        assert counted(events, "injure") == []

    def test_killed_victim_is_not_also_injured(self, nlp):
        events = events_of(nlp, "A man was shot and later died at the hospital.")
        assert counted(events, "kill") == [1]
        assert counted(events, "injure") == []

    @pytest.mark.parametrize(
        "text",
        ["He threatened to kill himself.", "Please don't let my baby die.", "The people arrested confessed."],
    )
    def test_no_event_for_unrealized_or_restated(self, nlp, text):
        assert counted(events_of(nlp, text), "kill") + counted(events_of(nlp, text), "arrest") == []

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
        ],
    )
    def test_negated(self, nlp, text, etype):
        events = [e for e in events_of(nlp, text) if e.type == etype]
        assert events and all(e.negated for e in events)

    @pytest.mark.parametrize(
        ("text", "etype"),
        [
            ("The man allegedly killed two people in the village.", "kill"),
            ("Two suspects may have been arrested in the raid.", "arrest"),
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
        ],
    )
    def test_police_as_agent_of_the_cause(self, nlp, text):
        ev = [e for e in events_of(nlp, text) if e.type == "kill"][0]
        assert ev.agent is not None and ev.agent.text == "police"


class TestPlaceAndDate:
    def test_place_in_sentence(self, nlp):
        ev = events_of(nlp, "A man was shot in Toledo, Ohio on Sunday.")[0]
        assert (ev.place["name"], ev.place["kind"], ev.place["admin1"], ev.place["origin"]) == (
            "Toledo", "city", "US-OH", "sentence")

    def test_place_from_paragraph(self, nlp):
        text = "Police in Leshan, Sichuan, raided a warehouse. Twelve suspects were arrested."
        ev = [e for e in events_of(nlp, text) if e.type == "arrest"][0]
        assert ev.place["origin"] == "paragraph" and ev.place["admin1"] == "CN-SC"

    def test_place_from_document_city(self, nlp):
        text = ("DAYTON, Ohio - Police are looking for a gunman.\n\n"
                "Investigators spoke to witnesses at the scene.\n\nTwo men were wounded.")
        ev = [e for e in events_of(nlp, text) if e.type == "injure"][0]
        assert (ev.place["name"], ev.place["origin"]) == ("Dayton", "document")

    def test_date_in_sentence(self, nlp):
        ev = events_of(nlp, "Two men were killed on Saturday night.")[0]
        assert (ev.date["value"][:10], ev.date["origin"]) == ("2016-06-04", "sentence")

    def test_date_from_document(self, nlp):
        text = "The shooting happened on June 2.\n\nTwo men were wounded, police said."
        ev = [e for e in events_of(nlp, text) if e.type == "injure"][0]
        assert (ev.date["value"], ev.date["origin"]) == ("2016-06-02", "document")

    def test_bare_clock_time_gives_way_to_the_day(self, nlp):
        text = "A man was shot and killed Saturday night.\n\nHe was shot at about 5:50 a.m. and died later."
        late = [e for e in events_of(nlp, text) if e.type == "kill"][-1]
        assert (late.date["value"][:10], late.date["origin"]) == ("2016-06-04", "document")

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
