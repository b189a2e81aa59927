from __future__ import annotations

import pytest

from factx.mentions.dates import extract_dates
from factx.normalize.dates import Timex, parse_base, parse_timex, parse_value

# (expression, publication date, tense) -> (type, value)
NORMALIZE = [
    # calendar dates at their own granularity
    ("Aug. 7, 1998", "2000-01-01", None, "DATE", "1998-08-07"),
    ("March 26, 1996", "2000-01-01", None, "DATE", "1996-03-26"),
    ("19 February 2014", "2014-02-28", None, "DATE", "2014-02-19"),
    ("August 2013", "2014-02-28", None, "DATE", "2013-08"),
    ("1990", "2014-02-28", None, "DATE", "1990"),
    ("fiscal 1989", "1989-11-02", None, "DATE", "1989"),
    ("03/22/2013", "2013-03-25", None, "DATE", "2013-03-22"),
    ("2013-03-22", "2013-03-25", None, "DATE", "2013-03-22"),
    ("fourth-quarter", "2013-03-22", None, "DATE", "2012-Q4"),
    ("the fourth quarter", "1989-10-26", None, "DATE", "1989-Q4"),
    ("the current quarter", "1989-10-26", None, "DATE", "1989-Q4"),
    ("the latest quarter", "1989-10-26", None, "DATE", "1989-Q3"),
    ("the third quarter of 1984", "1989-10-26", None, "DATE", "1984-Q3"),
    ("third-quarter", "1989-10-26", None, "DATE", "1989-Q3"),
    ("next year's first quarter", "1989-10-31", None, "DATE", "1990-Q1"),
    ("the last half of 1989", "1989-10-26", None, "DATE", "1989-H2"),
    ("summer 1998", "2000-01-01", None, "DATE", "1998-SU"),
    ("the winter of nineteen ninety-four", "1998-02-23", None, "DATE", "1994-WI"),
    ("nineteen ninety-six", "1998-02-23", None, "DATE", "1996"),
    ("January nineteen ninety-seven", "1998-02-27", None, "DATE", "1997-01"),
    ("Easter week", "2000-04-17", "past", "DATE", "2000-W16"),
    ("the year two thousand", "1998-02-23", None, "DATE", "2000"),
    ("1990s", "1998-10-25", None, "DATE", "199X"),
    ("the nineties", "1998-03-03", None, "DATE", "199"),
    ("the late 1970s", "1998-02-19", None, "DATE", "197"),
    ("20th century", "1998-02-13", None, "DATE", "19"),
    # year-less dates: nearest to publication, weighed by tense
    ("February 19", "2014-02-28", None, "DATE", "2014-02-19"),
    ("Jan. 14", "2000-01-05", None, "DATE", "2000-01-14"),
    ("December", "1998-01-10", "past", "DATE", "1997-12"),
    ("Monday, Oct. 26", "1998-10-25", None, "DATE", "1998-10-26"),
    ("last Oct. 23", "1999-04-19", None, "DATE", "1998-10-23"),
    # relative to the publication date
    ("Friday", "2014-02-28", None, "DATE", "2014-02-28"),
    ("Friday", "1998-08-08", "past", "DATE", "1998-08-07"),
    ("Tuesday", "2000-04-03", "future", "DATE", "2000-04-04"),
    ("next Tuesday", "2014-02-28", None, "DATE", "2014-03-04"),
    ("last Friday", "2014-02-28", None, "DATE", "2014-02-21"),
    ("today", "1998-03-04", None, "DATE", "1998-03-04"),
    ("yesterday", "1989-11-02", None, "DATE", "1989-11-01"),
    ("tomorrow", "1989-11-02", None, "DATE", "1989-11-03"),
    ("Last month", "2014-02-28", None, "DATE", "2014-01"),
    ("last year", "1998-02-27", None, "DATE", "1997"),
    ("this week", "1998-01-20", None, "DATE", "1998-W04"),
    ("last week", "1998-03-01", None, "DATE", "1998-W08"),
    ("next month", "1999-03-12", None, "DATE", "1999-04"),
    ("last fall", "1999-04-10", None, "DATE", "1998-FA"),
    ("this summer", "1998-03-22", None, "DATE", "1998-SU"),
    ("early next year", "1989-10-27", None, "DATE", "1990"),
    ("late November", "2000-01-06", "past", "DATE", "1999-11"),
    ("two weeks ago", "1998-03-22", None, "DATE", "1998-W10"),
    ("41 years ago", "2000-01-15", None, "DATE", "1959"),
    ("two months ago", "2000-01-28", None, "DATE", "1999-11"),
    ("this morning", "1998-02-06", None, "TIME", "1998-02-06TMO"),
    ("last night", "1998-01-20", None, "TIME", "1998-01-19TNI"),
    ("10:35 a.m.", "1998-08-07", None, "TIME", "1998-08-07T10:35"),
    ("10 p.m. Wednesday", "1998-02-13", "past", "TIME", "1998-02-11T22:00"),
    ("noon Thursday", "1998-02-13", "past", "TIME", "1998-02-12T12:00"),
    ("around 7:15 p.m.", "1998-02-12", None, "TIME", "1998-02-12T19:15"),
    # references
    ("now", "1998-01-08", None, "DATE", "PRESENT_REF"),
    ("currently", "1998-01-08", None, "DATE", "PRESENT_REF"),
    ("recently", "1998-01-08", None, "DATE", "PAST_REF"),
    ("the past", "1998-01-08", None, "DATE", "PAST_REF"),
    ("the near future", "1998-01-08", None, "DATE", "FUTURE_REF"),
    ("several years ago", "1998-02-13", None, "DATE", "PAST_REF"),
    # durations
    ("six-month", "2014-02-28", None, "DURATION", "P6M"),
    ("two weeks", "1999-01-22", None, "DURATION", "P2W"),
    ("the past two months", "2000-01-28", None, "DURATION", "P2M"),
    ("the first nine months", "1989-10-26", None, "DURATION", "P9M"),
    ("16-hour", "1998-01-08", None, "DURATION", "PT16H"),
    ("more than four hours", "1998-01-08", None, "DURATION", "PT4H"),
    ("a minute and a half", "1998-01-14", None, "DURATION", "PT1M30S"),
    ("2 1/2 years", "1998-02-27", None, "DURATION", "P2Y6M"),
    ("a couple of years", "1998-02-27", None, "DURATION", "P2Y"),
    ("two decades", "1998-02-06", None, "DURATION", "P20Y"),
    ("years", "2000-04-01", None, "DURATION", "PXY"),
    ("a few days", "1990-08-13", None, "DURATION", "PXD"),
    ("the next 12 to 18 months", "1989-10-30", None, "DURATION", "PXM"),
    # sets
    ("daily", "2000-01-07", None, "SET", "P1D"),
    ("every week", "2000-01-07", None, "SET", "P1W"),
    ("each Thursday", "2000-01-07", None, "SET", "XXXX-WXX-4"),
    ("each July", "2000-01-07", None, "SET", "XXXX-07"),
    ("Tuesday nights", "1998-02-13", None, "SET", "XXXX-WXX-2TNI"),
]


@pytest.mark.parametrize(("text", "published", "tense", "type_", "value"), NORMALIZE)
def test_parse_timex(text, published, tense, type_, value):
    timex = parse_timex(text, base=published, tense=tense)
    assert timex is not None, text
    assert (timex.type, timex.value) == (type_, value)


# With no publication date nothing relative is resolved, and never against today.
UNANCHORED = [
    ("February 19", "XXXX-02-19"),
    ("Friday", "XXXX-WXX-5"),
    ("last month", "XXXX-XX"),
    ("yesterday", "XXXX-XX-XX"),
    ("third-quarter", "XXXX-Q3"),
    ("Aug. 7, 1998", "1998-08-07"),
    ("six-month", "P6M"),
]


def test_parse_timex_prefers_duration_for_a_fiscal_year():
    timex = parse_timex("the fiscal year", base="1989-10-31", prefer="DURATION")
    assert timex is not None and (timex.type, timex.value) == ("DURATION", "P1Y")


@pytest.mark.parametrize(("text", "value"), UNANCHORED)
def test_parse_timex_without_publication_date(text, value):
    timex = parse_timex(text, base=None)
    assert timex is not None
    assert timex.value == value


ANCHORED = [
    ("a year earlier", "1989-Q3", "1988-Q3"),
    ("the previous day", "1998-10-23", "1998-10-22"),
    ("the following year", "1995", "1996"),
    ("later that year", "1998", "1998"),
    ("last year's quarter", "1989-Q3", "1988-Q3"),
    # a day inside a month or year that is known only to that precision
    ("that same day", "1998-10", "1998-10-XX"),
    ("the same day", "1997", "1997-XX-XX"),
]


@pytest.mark.parametrize(("text", "anchor", "value"), ANCHORED)
def test_parse_timex_against_last_date(text, anchor, value):
    timex = parse_timex(text, base="2000-01-28", anchor=anchor)
    assert timex is not None and timex.value == value
    assert timex.anchored


MODS = [
    ("early 1990s", "START"),
    ("late last year", "END"),
    ("mid-November", "MID"),
    ("about three weeks", "APPROX"),
    ("the end of 1990", "END"),
    ("at least 72 hours", "EQUAL_OR_MORE"),
]


@pytest.mark.parametrize(("text", "mod"), MODS)
def test_parse_timex_mod(text, mod):
    timex = parse_timex(text, base="1998-02-27")
    assert timex is not None and timex.mod == mod


NOT_TIMEX = ["30s", "45-year-old", "the", "profit", "3-2", ""]


@pytest.mark.parametrize("text", NOT_TIMEX)
def test_parse_timex_rejects(text):
    assert parse_timex(text, base="1998-02-27") is None


@pytest.mark.parametrize(
    ("value", "granularity"),
    [
        ("2014-02-19", "day"),
        ("2014-02", "month"),
        ("1989-Q3", "quarter"),
        ("1998-W08", "week"),
        ("1998-SU", "season"),
        ("1990", "year"),
    ],
)
def test_parse_value(value, granularity):
    parsed = parse_value(value)
    assert parsed is not None and parsed[1] == granularity


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2014-02-28", "2014-02-28"),
        ("1998-01-08T18:30", "1998-01-08"),
        ("1998-01-08T18:30:00", "1998-01-08"),
        ("not a date", None),
        (None, None),
    ],
)
def test_parse_base(published, expected):
    base = parse_base(published)
    assert (base.isoformat() if base else None) == expected


def test_timex_is_plain_record():
    assert Timex("DATE", "2014").type == "DATE"


# ---------------------------------------------------------------- with the model
def _dates(nlp, text, published="2014-02-28"):
    return [(m.text, m.type, m.value) for m in extract_dates(nlp(text), published=published)]


SEED_EXPECTED = [
    ("Friday", "DATE", "2014-02-28"),
    ("February 19", "DATE", "2014-02-19"),
    ("six-month", "DURATION", "P6M"),
    ("August 2013", "DATE", "2013-08"),
    ("January 2014", "DATE", "2014-01"),
    ("Last month", "DATE", "2014-01"),
]


def test_seed_article(nlp, seed_text):
    mentions = extract_dates(nlp(seed_text), published="2014-02-28")
    assert [(m.text, m.type, m.value) for m in mentions] == SEED_EXPECTED
    for m in mentions:
        assert seed_text[m.start : m.end] == m.text
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    start = seed_text.index("30s")
    assert not any(m.start <= start < m.end for m in mentions)


def test_seed_article_without_publication_date(nlp, seed_text):
    values = {m.text: m.value for m in extract_dates(nlp(seed_text), published=None)}
    assert values["February 19"] == "XXXX-02-19"
    assert values["Last month"] == "XXXX-XX"
    assert values["August 2013"] == "2013-08"


RECOGNIZE = [
    ("Profit fell in the third quarter of 1989.", ("the third quarter of 1989", "DATE", "1989-Q3")),
    ("Prices rose over the past two months.", ("the past two months", "DURATION", "P2M")),
    ("The plant closed in 1990.", ("1990", "DATE", "1990")),
    ("He left for Chicago last Friday.", ("last Friday", "DATE", "2014-02-21")),
    ("Tension eased in the early 1990s.", ("the early 1990s", "DATE", "199")),
    ("The talks will resume next week.", ("next week", "DATE", "2014-W10")),
    ("Sales were $5 million a year earlier.", ("a year earlier", "DATE", "2013")),
    ("The bank has been around for years.", ("years", "DURATION", "PXY")),
    ("The paper is published daily.", ("daily", "SET", "P1D")),
    ("The market is now calmer.", ("now", "DATE", "PRESENT_REF")),
    ("The attack came at 10:35 a.m. on Friday.", ("10:35 a.m.", "TIME", "2014-02-28T10:35")),
]


# The clause decides which way a weekday or year-less date points from the publication date.
TENSE = [
    ("It had been due to expire Friday evening.", "1989-10-30", ("Friday evening", "DATE", "1989-10-27")),
    (
        "The agency has given them until 9 a.m. Tuesday to sign.",
        "2000-04-03",
        ("9 a.m. Tuesday", "TIME", "2000-04-04T09:00"),
    ),
    ("His father could arrive as early as Tuesday.", "2000-04-03", ("Tuesday", "DATE", "2000-04-04")),
    ("He said the father would be traveling to Miami Thursday.", "2000-04-05", ("Thursday", "DATE", "2000-04-06")),
    ("The board created a new office, effective Feb. 1.", "1989-10-26", ("Feb. 1", "DATE", "1990-02-01")),
    ("The mill shut in mid-afternoon yesterday.", "1989-11-02", ("mid-afternoon yesterday", "TIME", "1989-11-01TAF")),
]


@pytest.mark.parametrize(("text", "published", "expected"), TENSE)
def test_tense_and_context(nlp, text, published, expected):
    assert expected in _dates(nlp, text, published)


def test_matching_only_near_trigger_words_finds_every_match(nlp, seed_text):
    from spacy.matcher import Matcher

    from factx.mentions.dates import _matches, rules

    # One Matcher with every pattern, run over the whole text, is the reference.
    full = Matcher(nlp.vocab)
    for pid, pats in rules().patterns.items():
        full.add(pid, pats)
    texts = [
        seed_text,
        "Sales for the year ended Sept. 30 rose. In the past twenty four hours, 3:30 p.m. EST, "
        "the 1990s, mid-1980s, '80s, 12/31/1999, spring of nineteen ninety, as soon as possible.",
    ]
    for doc in nlp.pipe(texts):
        lowers = [t.lower_ for t in doc]
        assert sorted(_matches(doc, lowers, rules().triggers)) == sorted(full(doc))


@pytest.mark.parametrize(("text", "expected"), RECOGNIZE)
def test_recognition(nlp, text, expected):
    assert expected in _dates(nlp, text)


NON_DATES = [
    "Another couple in their 30s told CCTV they bought a baby.",
    "A 45-year-old man was arrested.",
    "The boy, 8 years old, was rescued.",
    "Officials may resign over the scandal.",
    "Thousands march through the capital every year.",
    "The home team won 3-2 in overtime.",
    "Call the hotline at 555-1998 for details.",
    "The company sold 1999 tons of steel.",
    "Sun Microsystems reported earnings.",
    "It pays $2 million a year in interest.",
    # A US street address: "the 2000 block of West Maypole".
    "Myles, who lived in the 2000 block of West Maypole, later died.",
]


@pytest.mark.parametrize("text", NON_DATES)
def test_non_dates(nlp, text):
    found = _dates(nlp, text)
    allowed = {"every year"}
    assert [d for d in found if d[0] not in allowed] == []


# An amount written just before a duration is no part of it.
AFTER_AMOUNTS = [
    ("Reserves rose to 39.5 billion two weeks earlier.", "1987-03-01", [("two weeks earlier", "DATE", "1987-W07")]),
    ("Output reached 3 million three years ago.", "1987-03-01", [("three years ago", "DATE", "1984")]),
    ("The fund lost 2.5 million dollars two days ago.", "1987-03-01", [("two days ago", "DATE", "1987-02-27")]),
    ("Prices rose over the past hundred years.", "1987-03-01", [("the past hundred years", "DURATION", "P100Y")]),
    ("It took one hundred days.", "1987-03-01", [("one hundred days", "DURATION", "P100D")]),
]


@pytest.mark.parametrize(("text", "published", "expected"), AFTER_AMOUNTS)
def test_amount_before_a_duration(nlp, text, published, expected):
    assert _dates(nlp, text, published) == expected


def test_offsets_match_text(nlp):
    text = "On Feb. 4, 1998, at 6 a.m., police said the six-month operation ended last week."
    for m in extract_dates(nlp(text), published="1998-02-13"):
        assert text[m.start : m.end] == m.text
