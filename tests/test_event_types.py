"""The event inventory on sentences of every family: what each type catches, and what it must leave alone."""

from __future__ import annotations

import pytest

import factx

PUBLISHED = "2019-03-20"


def types_of(nlp, text: str) -> list[str]:
    """The types of the asserted (non-negated) events of one text."""
    return [e.type for e in factx.extract(text, published=PUBLISHED, nlp=nlp).events if not e.negated]


def counts_of(nlp, text: str, etype: str) -> list:
    """The count values of the asserted events of one type."""
    events = factx.extract(text, published=PUBLISHED, nlp=nlp).events
    return [e.count["value"] for e in events if e.type == etype and e.count and not e.negated]


FOUND = [
    # violence
    ("Rebels and government troops clashed near the border on Sunday.", "armed_clash"),
    ("Heavy fighting broke out between the two militias overnight.", "armed_clash"),
    ("Two soldiers died in a gun battle with insurgents.", "armed_clash"),
    ("Insurgents ambushed a military convoy on the highway.", "ambush"),
    ("A drone strike hit a compound in the north of the province.", "airstrike"),
    ("Air raids on the town killed nine civilians.", "airstrike"),
    ("Artillery shelling of the village continued for hours.", "shelling"),
    ("A rocket attack on the base wounded four soldiers.", "shelling"),
    ("Unknown assailants hurled a grenade at a police station.", "grenade_attack"),
    ("A suicide bomber blew himself up outside the ministry.", "suicide_bombing"),
    ("The suicide car bomb attack killed 14 people.", "suicide_bombing"),
    ("A bomb exploded in a crowded market on Friday.", "bombing"),
    ("A roadside bomb blast killed two policemen.", "bombing"),
    ("A man was arrested after a stabbing at the station.", "stabbing"),
    ("The lynching of two men by a mob shocked the country.", "mob_violence"),
    ("Gunmen opened fire on worshippers leaving the mosque.", "shooting"),
    ("Rioters torched cars and looted shops in the city centre.", "looting"),
    ("Thousands rioted in the capital after the verdict.", "riot"),
    # disasters
    ("A magnitude 6.1 earthquake struck the region on Tuesday.", "earthquake"),
    ("Floods have swept through the valley after days of rain.", "flood"),
    ("Cyclone Idai made landfall near Beira late on Thursday.", "storm"),
    ("A tornado tore through the town, flattening homes.", "storm"),
    ("A wildfire has burned more than 10,000 acres in the hills.", "wildfire"),
    ("A landslide buried a mining camp in the mountains.", "landslide"),
    ("The country faces its worst drought in decades.", "drought"),
    ("The heat wave has put hospitals under strain.", "heat_wave"),
    ("A cholera outbreak has been declared in the port city.", "epidemic"),
    ("The volcano erupted on Sunday, sending ash into the sky.", "volcanic_eruption"),
    ("A tsunami struck the coast minutes after the quake.", "tsunami"),
    ("Aid reached flood-hit villages in the north on Monday.", "flood"),
    # accidents
    ("A bus crashed into a truck on the motorway, killing six.", "crash"),
    ("A passenger train derailed near the station.", "derailment"),
    ("An overloaded ferry capsized on the lake.", "capsizing"),
    ("A five-storey building collapsed in the old town.", "collapse"),
    ("A fire broke out at a garment factory on Monday.", "fire"),
    ("An explosion at a chemical plant injured 20 workers.", "explosion"),
    ("Eleven pilgrims died in a stampede at the temple.", "stampede"),
    # casualties of a disaster
    ("The storm destroyed 500 homes along the coast.", "damage"),
    ("The floods have affected 2 million people.", "affect"),
    ("Twelve people are missing after the landslide.", "missing"),
    ("Some 30,000 people were displaced by the fighting.", "displace"),
    ("Rescue workers rescued 40 people trapped by the floods.", "rescue"),
    ("Authorities evacuated 3,000 residents from the coast.", "evacuate"),
    # justice
    ("The court acquitted the former minister of corruption.", "acquit"),
    ("He was extradited to the United States last year.", "extradite"),
    ("The trial of the two suspects began in Paris.", "trial"),
    ("The judge sentenced him to ten years in prison.", "sentence"),
    ("The company was fined $5 million by the regulator.", "fine"),
    ("Police arrested 12 protesters outside parliament.", "arrest"),
    # abduction
    ("Gunmen kidnapped a trader on the road to the market.", "kidnap"),
    ("Armed men abducted three aid workers in the north.", "kidnap"),
    # protest
    ("Thousands of students marched through the capital on Saturday.", "protest"),
    ("Farmers staged a sit-in outside the ministry.", "protest"),
    ("Doctors went on strike over unpaid wages.", "strike"),
    ("Residents held a rally to demand clean water.", "protest"),
    # business and politics
    ("Acme agreed to buy rival Widget Corp for $2 billion.", "purchase"),
    ("The merger of the two banks was completed on Monday.", "acquisition"),
    ("The carmaker will cut 5,000 jobs; it laid off 1,200 workers last year.", "layoff"),
    ("The company unveiled a new smartphone on Tuesday.", "product_launch"),
    ("The airline filed for bankruptcy on Friday.", "bankruptcy"),
    ("The president appointed a new finance minister.", "appointment"),
    ("The prime minister resigned after the vote.", "resignation"),
    ("The two countries signed a trade agreement in Geneva.", "agreement"),
    ("The leaders held talks in Beijing on Monday.", "meeting"),
]


@pytest.mark.parametrize(("text", "etype"), FOUND, ids=[t for _, t in FOUND])
def test_type_is_found(nlp, text, etype):
    assert etype in types_of(nlp, text)


NOT_EVENTS = [
    # a device or a weapon is no event
    ("The rockets were stored in a warehouse near the port.", None),
    ("Police found a bomb under a car and defused it.", "bombing"),
    ("Militants use homemade bombs to target convoys.", "bombing"),
    # a noun that only modifies another noun names a kind of thing
    ("The fire department has 40 trucks.", "fire"),
    ("The city's murder rate rose last year.", "kill"),
    ("Storm season starts in June.", "storm"),
    ("The bomb squad arrived within minutes.", "bombing"),
    # another sense of the word
    ("The minister faced a storm of criticism over the budget.", "storm"),
    ("The party won a landslide victory in the election.", "landslide"),
    ("The country saw an explosion of demand for electric cars.", "explosion"),
    ("A flood of imports has hurt local producers.", "flood"),
    ("Talks collapsed after the two sides failed to agree.", "collapse"),
    ("Stocks rallied on Wall Street after the report.", "protest"),
    ("The company launched an investigation into the leak.", "product_launch"),
    ("The stock market crash of 1987 wiped out billions.", "crash"),
    ("Ministers clashed over the budget at the cabinet meeting.", "armed_clash"),
    ("Police fired tear gas at the crowd.", "layoff"),
    ("The rocket carried a hurricane-tracking satellite into orbit.", "storm"),
    ("The plan drew a firestorm of criticism from investors.", "wildfire"),
    ("Dealers expect a flood of new bond issues this month.", "flood"),
    ("The crash in oil prices hurt exporters.", "crash"),
    ("Soybeans rallied after the report on Tuesday.", "protest"),
    ("The company said in a press release on Monday that sales rose.", "release"),
    ("Japan lodged a protest with the embassy over the tariffs.", "protest"),
    ("The senator was critical of the leadership.", "injure"),
    ("Lower prices hurt the company's earnings.", "injure"),
    # generic, habitual, statistical
    ("Bombings are rare in this part of the country.", "bombing"),
    ("Floods often kill hundreds of people in the monsoon.", "kill"),
    ("Frequent attacks on police have made the region dangerous.", "attack"),
    ("The number of shootings has fallen since 2015.", "shooting"),
    # planned, future, conditional
    ("The union threatened to strike if wages are not raised.", "strike"),
    ("Officials warned of a possible attack during the holidays.", "attack"),
    ("A planned protest was called off by the organizers.", "protest"),
    ("Elections will be held in May.", None),
]


@pytest.mark.parametrize(("text", "etype"), NOT_EVENTS, ids=[t[:40] for t, _ in NOT_EVENTS])
def test_not_an_event(nlp, text, etype):
    found = types_of(nlp, text)
    assert (not found) if etype is None else etype not in found, found


ONE_EVENT = [
    ("A bomb blast ripped through the market.", "bombing"),
    ("The suicide car bomb attack was the deadliest this year.", "suicide_bombing"),
    ("Police are investigating a fatal shooting in the suburb.", "shooting"),
    ("A huge explosion rocked the port on Tuesday.", "explosion"),
]


@pytest.mark.parametrize(("text", "etype"), ONE_EVENT, ids=[t for _, t in ONE_EVENT])
def test_one_phrase_one_event(nlp, text, etype):
    found = types_of(nlp, text)
    assert found.count(etype) == 1 and len(found) == 1, found


@pytest.mark.parametrize(
    ("text", "etype", "value"),
    [
        ("The earthquake killed at least 120 people and left 300 missing.", "kill", 120),
        ("The earthquake killed at least 120 people and left 300 missing.", "missing", 300),
        ("The cyclone destroyed 4,000 homes.", "damage", 4000),
        ("The floods displaced 15,000 people in three districts.", "displace", 15000),
        ("About 50,000 people were affected by the drought.", "affect", 50000),
        ("Some 20,000 people marched through the city.", "protest", 20000),
        ("A crash involving a minibus killed 11 passengers.", "kill", 11),
        ("The plant laid off 800 workers last month.", "layoff", 800),
    ],
)
def test_counts_of_new_types(nlp, text, etype, value):
    assert value in counts_of(nlp, text, etype)


def test_prison_term_and_fine(nlp):
    rec = factx.extract("A court sentenced the driver to six years in prison and fined him $10,000.",
                        published=PUBLISHED, nlp=nlp)
    fine = next(e for e in rec.events if e.type == "fine")
    assert {(m["amount"], m["currency"]) for m in fine.money} == {(10000, "USD")}
    assert any(d.type == "DURATION" and d.value == "P6Y" for d in rec.dates)


def test_acquisition_price(nlp):
    rec = factx.extract("Acme completed its acquisition of Widget Corp for $2.3 billion.", published=PUBLISHED,
                        nlp=nlp)
    deal = next(e for e in rec.events if e.type == "acquisition")
    assert [(m["amount"], m["currency"]) for m in deal.money] == [(2_300_000_000, "USD")]


def test_every_type_has_mappings_and_a_family():
    rules = factx.events.load_rules()
    families = set(rules.families)
    for t in rules.types.values():
        assert t.family in families, t.name
        assert t.cameo is None or (len(t.cameo) == 2 and 1 <= int(t.cameo) <= 20), t.name
        assert t.acled is None or t.acled[0] in {"Battles", "Explosions/Remote violence", "Violence against civilians",
                                                 "Protests", "Riots", "Strategic developments"}, t.name


@pytest.mark.parametrize(
    ("text", "etype", "found"),
    [
        ("Police found the body of a man in the river.", "kill", True),
        ("The self-regulating bodies of the banks should act first.", "kill", False),
        ("LCB is a privately-held maker of steel joists.", "detain", False),
        ("An explosion at the plant injured two workers.", "explosion", True),
        ("An explosion in rents has hurt families.", "explosion", False),
    ],
)
def test_senses_of_words(nlp, text, etype, found):
    assert (etype in types_of(nlp, text)) is found


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("The company made an offer for the 24 pct of the firm held by Rada.", "detain"),
        ("The minister attacked the government's grain policy on Monday.", "attack"),
        ("It has been one of the dullest corporate battles in years, an analyst said.", "armed_clash"),
        ("The airline can drop routes without setting off a political storm.", "explosion"),
        ("Hostile takeovers have hurt workers, the senator said.", "injure"),
        ("Insect attacks damaged part of the cotton crop.", "attack"),
    ],
)
def test_business_news_has_no_violence(nlp, text, etype):
    assert etype not in types_of(nlp, text)
