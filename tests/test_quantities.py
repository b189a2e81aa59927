from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factx.errors import RulesError
from factx.mentions.quantities import extract_quantities
from factx.models import DateMention
from factx.normalize import quantities as nq
from factx.normalize.quantities import currency_code, parse_money, parse_number, unit_name


# --------------------------------------------------------------------------
# normalize: pure text -> value, no model
# --------------------------------------------------------------------------
class TestParseNumber:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("1,094", 1094),
            ("3.5", 3.5),
            (".500", 0.5),
            ("-5", -5),
            ("1.2 million", 1_200_000),
            ("4bn", 4_000_000_000),
            ("2.5m", 2_500_000),
            ("25k", 25_000),
            ("3 lakh", 300_000),
            ("500 crore", 5_000_000_000),
            ("12,34,567", 1_234_567),
            ("seven", 7),
            ("twenty-one", 21),
            ("one hundred and five", 105),
            ("a thousand", 1000),
            ("a dozen", 12),
            ("half a dozen", 6),
            ("a third", pytest.approx(1 / 3)),
            ("two-thirds", pytest.approx(2 / 3)),
            ("three quarters", 0.75),
            ("1/2", 0.5),
            ("½", 0.5),
            ("2½", 2.5),
        ],
    )
    def test_values(self, text, expected):
        assert parse_number(text) == expected

    @pytest.mark.parametrize("text", ["", "people", "1.2.3", "twelve apples"])
    def test_not_numbers(self, text):
        assert parse_number(text) is None


class TestParseMoney:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("$4bn", (4_000_000_000, "USD")),
            ("US$3,250", (3250, "USD")),
            ("US $58.24", (58.24, "USD")),
            ("HK$5.2bn", (5_200_000_000, "HKD")),
            ("A$30", (30, "AUD")),
            ("€45m", (45_000_000, "EUR")),
            ("£1.2bn", (1_200_000_000, "GBP")),
            ("¥300", (300, "JPY")),
            ("20,000 yuan", (20000, "CNY")),
            ("500 renminbi", (500, "CNY")),
            ("300 rupees", (300, "INR")),
            ("Rs 500 crore", (5_000_000_000, "INR")),
            ("10.5 million Australian dollars", (10_500_000, "AUD")),
            ("4 cents", (0.04, "USD")),
            ("-$4.5m", (-4_500_000, "USD")),
            ("USD 500", (500, "USD")),
        ],
    )
    def test_amounts(self, text, expected):
        assert parse_money(text) == expected

    def test_no_currency(self):
        assert parse_money("4,000 people") is None


class TestCurrencyTable:
    @pytest.mark.parametrize(
        ("text", "code"),
        [("$", "USD"), ("US$", "USD"), ("HK$", "HKD"), ("A$", "AUD"), ("€", "EUR"), ("£", "GBP"),
         ("¥", "JPY"), ("yuan", "CNY"), ("renminbi", "CNY"), ("rupees", "INR"), ("Swiss francs", "CHF"),
         ("EUR", "EUR"), ("Danish kroner", "DKK")],
    )
    def test_codes(self, text, code):
        assert currency_code(text) == code

    def test_generated_table_covers_iso_4217(self):
        data = json.loads((resources.files("factx") / "data" / "currencies.json").read_text(encoding="utf-8"))
        table = data["currencies"]
        assert {"USD", "EUR", "GBP", "JPY", "CNY", "INR", "AUD", "CHF"} <= set(table)
        assert all(len(code) == 3 and code.isupper() for code in table)
        assert "babel" in data["source"] and "pycountry" in data["source"]

    def test_bad_rules_file_names_the_file(self, monkeypatch):
        monkeypatch.setattr(nq, "_read_json", lambda name: {"qualifiers": []})
        nq.load_quantity_rules.cache_clear()
        try:
            with pytest.raises(RulesError, match="quantities.json"):
                nq.load_quantity_rules()
        finally:
            monkeypatch.undo()
            nq.load_quantity_rules.cache_clear()

    @pytest.mark.parametrize(("surface", "name"), [("°C", "degrees celsius"), ("deg f", "degrees fahrenheit"),
                                                   ("km", "km"), ("sq m", "square metres")])
    def test_unit_names(self, surface, name):
        assert unit_name(surface) == name


# --------------------------------------------------------------------------
# mentions: the parsed sentence in, numbers and money out
# --------------------------------------------------------------------------
def _numbers(nlp, text, **kw):
    numbers, _ = extract_quantities(nlp(text), **kw)
    return numbers


def _money(nlp, text, **kw):
    _, money = extract_quantities(nlp(text), **kw)
    return money


def _one(nlp, text):
    numbers = _numbers(nlp, text)
    assert len(numbers) == 1, [n.to_dict() for n in numbers]
    return numbers[0]


class TestNumbers:
    @pytest.mark.parametrize(
        ("text", "value", "qualifier", "unit", "kind"),
        [
            ("Police arrested 1,094 people.", 1094, "exact", "people", "cardinal"),
            ("Officials counted 3.5 tonnes of waste.", 3.5, "exact", "tonnes", "measure"),
            ("The firm made 1.2 million phones.", 1_200_000, "exact", "phones", "cardinal"),
            ("Ticket sales reached 2.5m this season.", 2_500_000, "exact", None, "cardinal"),
            ("Turnout was 45%.", 45, "exact", "percent", "percent"),
            ("Turnout was 45 per cent.", 45, "exact", "percent", "percent"),
            ("Half of the voters stayed home.", 0.5, "exact", "voters", "fraction"),
            ("The team signed seven players.", 7, "exact", "players", "cardinal"),
            ("There were twenty-one candidates.", 21, "exact", "candidates", "cardinal"),
            ("He bought a dozen eggs.", 12, "exact", "eggs", "cardinal"),
            ("A thousand soldiers arrived.", 1000, "exact", "soldiers", "cardinal"),
            ("A couple of boats sank.", 2, "about", "boats", "cardinal"),
            ("Only a handful of shops opened.", 5, "about", "shops", "cardinal"),
            ("China arrested more than a thousand people.", 1000, "more_than", "people", "cardinal"),
            ("More than 50 people died.", 50, "more_than", "people", "cardinal"),
            ("Over 200 homes were destroyed.", 200, "more_than", "homes", "cardinal"),
            ("At least 12 people were killed.", 12, "at_least", "people", "cardinal"),
            ("Up to 400 jobs will go.", 400, "at_most", "jobs", "cardinal"),
            ("Nearly 300 people attended.", 300, "about", "people", "cardinal"),
            ("Almost 70 cars were damaged.", 70, "about", "cars", "cardinal"),
            ("About 40 boats sank.", 40, "about", "boats", "cardinal"),
            ("It involved some 30 groups.", 30, "about", "groups", "cardinal"),
            ("Roughly 5,000 fans came.", 5000, "about", "fans", "cardinal"),
            ("Fewer than 10 shops remain.", 10, "less_than", "shops", "cardinal"),
            ("As many as 14 players left.", 14, "at_most", "players", "cardinal"),
            ("The road is 12 km long.", 12, "exact", "km", "measure"),
            ("The parcel weighed 4 kg.", 4, "exact", "kg", "measure"),
            ("It was 30 degrees outside.", 30, "exact", "degrees", "measure"),
            ("Winds reached 87 mph.", 87, "exact", "mph", "measure"),
            ("He served 15 years in prison.", 15, "exact", "years", "measure"),
            ("Police rescued 382 babies.", 382, "exact", "babies", "cardinal"),
            ("In Sichuan, 13 babies were also rescued.", 13, "exact", "babies", "cardinal"),
            ("Police in the province arrested 27 suspects.", 27, "exact", "suspects", "cardinal"),
            ("China has smashed four child-trafficking rings.", 4, "exact", "rings", "cardinal"),
            ("She admitted buying two baby girls.", 2, "exact", "girls", "cardinal"),
        ],
    )
    def test_forms(self, nlp, text, value, qualifier, unit, kind):
        n = _one(nlp, text)
        assert (n.value, n.qualifier, n.unit, n.kind) == (value, qualifier, unit, kind)
        assert nlp(text).text[n.start:n.end] == n.text

    @pytest.mark.parametrize(
        ("text", "low", "high", "unit"),
        [
            ("Between 10-15 people were hurt.", 10, 15, "people"),
            ("The vote drew between 20 and 30 lawmakers.", 20, 30, "lawmakers"),
            ("Crowds of 20,000-30,000 gathered.", 20000, 30000, None),
            ("Temperatures dropped by 1 to 1.5 degrees.", 1, 1.5, "degrees"),
            ("There are four to five thousand people.", 4000, 5000, "people"),
            ("Dozens of people were injured.", 12, 120, "people"),
            ("Hundreds of homes were flooded.", 100, 1000, "homes"),
            ("Tens of thousands of people marched.", 10_000, 100_000, "people"),
        ],
    )
    def test_ranges(self, nlp, text, low, high, unit):
        n = _one(nlp, text)
        assert (n.qualifier, n.low, n.high, n.value, n.unit) == ("range", low, high, low, unit)

    @pytest.mark.parametrize(
        ("text", "change"),
        [
            ("Prices rose by 5% last year.", "up"),
            ("Shares jumped 0.4% on Monday.", "up"),
            ("Sales fell to 300 units.", "down"),
            ("The index was down 2.1% at noon.", "down"),
            ("The sector closed 0.68 percent lower.", "down"),
            ("Turnout was 45% this year.", None),
        ],
    )
    def test_change(self, nlp, text, change):
        assert _one(nlp, text).change == change

    def test_ordinals_are_left_out(self, nlp):
        assert _numbers(nlp, "She finished 22nd in the race and second overall, the 3rd time.") == []

    def test_fraction_out_of(self, nlp):
        n = _one(nlp, "One out of three Germans have housing problems.")
        assert n.value == pytest.approx(1 / 3) and n.kind == "fraction"

    def test_or_shares_the_unit(self, nlp):
        money = _money(nlp, "Dinner costs eight or nine euros.")
        assert [(m.amount, m.currency) for m in money] == [(8, "EUR"), (9, "EUR")]


class TestMoney:
    @pytest.mark.parametrize(
        ("text", "amount", "currency"),
        [
            ("The group raised $4bn last year.", 4_000_000_000, "USD"),
            ("It sold for US$3,250 in May.", 3250, "USD"),
            ("The deal is worth HK$5.2bn in total.", 5_200_000_000, "HKD"),
            ("Tickets cost A$30 each.", 30, "AUD"),
            ("The club spent €45m on players.", 45_000_000, "EUR"),
            ("The bank lost £1.2bn in the year.", 1_200_000_000, "GBP"),
            ("A bowl costs ¥300 there.", 300, "JPY"),
            ("They paid 20,000 yuan for it.", 20000, "CNY"),
            ("The bank lent 500 million renminbi.", 500_000_000, "CNY"),
            ("The fee is 300 rupees a month.", 300, "INR"),
            ("The state set aside Rs 500 crore.", 5_000_000_000, "INR"),
            ("He won 3 lakh rupees.", 300_000, "INR"),
            ("Revenue was $13.6M in the quarter.", 13_600_000, "USD"),
            ("Stamps cost 4 cents more.", 0.04, "USD"),
            ("It only cost 3 dollars 50 cents.", 3.5, "USD"),
            ("The fine was 10.5 million Australian dollars.", 10_500_000, "AUD"),
            ("Net profit was 6.91 billion won.", 6_910_000_000, "KRW"),
            ("Spending rose 3.6 billion dlrs in January.", 3_600_000_000, "USD"),
            ("Deposits above 7.5 million Danish crowns pay a fee.", 7_500_000, "DKK"),
        ],
    )
    def test_amounts(self, nlp, text, amount, currency):
        money = _money(nlp, text)
        assert [(m.amount, m.currency) for m in money] == [(amount, currency)]
        assert _numbers(nlp, text) == []

    def test_equivalent_pair(self, nlp):
        money = _money(nlp, "They paid 20,000 yuan (US$3,250) for the child.")
        assert [(m.text, m.amount, m.currency, m.equivalent_of) for m in money] == [
            ("20,000 yuan", 20000, "CNY", None), ("US$3,250", 3250, "USD", 0)]

    def test_unknown_nationality_is_no_guess(self, nlp):
        money = _money(nlp, "The bond raised 300 million French francs.")
        assert all(m.currency != "CHF" for m in money)

    def test_negative_amount(self, nlp):
        (m,) = _money(nlp, "The trade balance came in at -$4.5m.")
        assert m.amount == -4_500_000

    def test_loss_is_a_fall(self, nlp):
        (m,) = _money(nlp, "The company reported a loss of $3 million.")
        assert (m.amount, m.change) == (3_000_000, "down")

    def test_money_range(self, nlp):
        (m,) = _money(nlp, "The fine could be $3 billion to $5 billion.")
        assert (m.qualifier, m.low, m.high) == ("range", 3_000_000_000, 5_000_000_000)

    def test_range_scale_applies_to_both_ends(self, nlp):
        (m,) = _money(nlp, "Analysts expect $5-10 million in sales.")
        assert (m.low, m.high, m.currency) == (5_000_000, 10_000_000, "USD")


class TestNotQuantities:
    """One test per class of false positive."""

    def test_years(self, nlp):
        assert _numbers(nlp, "The plant opened in 2014 and closed in 1998.") == []

    def test_year_before_a_plural_noun(self, nlp):
        assert [n.value for n in _numbers(nlp, "The share of 1985 exports fell, and it sold 1999 units.")] == [1999]

    def test_dates(self, nlp):
        assert _numbers(nlp, "On February 19, police acted, and on 3 March they left.") == []

    def test_date_ranges(self, nlp):
        assert _numbers(nlp, "The hunt runs Sept. 20-24 this year.") == []

    def test_times(self, nlp):
        assert _numbers(nlp, "The meeting started at 2.15pm and ended at 4 p.m., or 17:22 GMT.") == []

    def test_phone_numbers(self, nlp):
        assert _numbers(nlp, "Call 555-1234 or (212) 555-0199 for details.") == []

    def test_addresses(self, nlp):
        assert _numbers(nlp, "The office is at 10 Downing Street, near 9 E 71st St.") == []

    def test_versions(self, nlp):
        assert _numbers(nlp, "Apple released iOS 13 and version 2.1.3 of the app.") == []

    def test_scores(self, nlp):
        assert _numbers(nlp, "Chelsea won 3-1 on Saturday after a 2-2 draw.") == []

    def test_ages_as_identifiers(self, nlp):
        assert _numbers(nlp, "The under-21 side beat the U21 team of Spain.") == []

    def test_section_numbers(self, nlp):
        assert _numbers(nlp, "Under Section 427 of the act, Article 5 applies to Row 21.") == []

    def test_decades(self, nlp):
        assert _numbers(nlp, "Parents in their 30s grew up in the 1990s and the '80s.") == []

    def test_model_names(self, nlp):
        assert _numbers(nlp, "Samsung showed the Galaxy S23 and the Apple Watch 5.") == []

    def test_duration_modifier(self, nlp):
        assert _numbers(nlp, "The sting was part of a six-month operation.") == []

    def test_dates_argument(self, nlp):
        doc = nlp("Police acted on the 19th and on day 19 of the siege.")
        start = doc.text.index("day 19")
        date = DateMention(text="day 19", start=start, end=start + 6, type="DATE", value=None)
        assert _numbers(nlp, doc.text, dates=[date]) == []

    def test_duration_dates_keep_counts(self, nlp):
        text = "The operation lasted three months."
        start = text.index("three months")
        date = DateMention(text="three months", start=start, end=start + 12, type="DURATION", value="P3M")
        (n,) = _numbers(nlp, text, dates=[date])
        assert (n.value, n.unit) == (3, "months")


def test_seed_article(nlp, seed_text):
    numbers, money = extract_quantities(nlp(seed_text))
    got = [(n.text, n.value, n.qualifier) for n in numbers]
    assert got == [
        ("four", 4, "exact"), ("more than a thousand", 1000, "more_than"), ("27", 27, "exact"),
        ("382", 382, "exact"), ("1,094", 1094, "exact"), ("four", 4, "exact"), ("some 30", 30, "about"),
        ("27", 27, "exact"), ("13", 13, "exact"), ("43", 43, "exact"), ("11", 11, "exact"),
        ("two", 2, "exact"), ("seven", 7, "exact"), ("six", 6, "exact"),
    ]
    assert [(m.amount, m.currency, m.equivalent_of) for m in money] == [(20000, "CNY", None), (3250, "USD", 0)]
    for mention in [*numbers, *money]:
        assert seed_text[mention.start:mention.end] == mention.text
    assert [n.start for n in numbers] == sorted(n.start for n in numbers)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["1,094", "3.5", "$4bn", "about", "-", "to", "between", "and", "US$", "(", ")",
                                 "people", "per cent", "%", "yuan", "2014", "Section", "won", "3-1", "half",
                                 "twenty-one", "dozens of", "Feb.", "19", "km", "more than", ",", ".", "12m"]),
                max_size=14))
def test_offsets_hold_for_any_text(nlp, words):
    text = " ".join(words)
    numbers, money = extract_quantities(nlp(text))
    for mention in [*numbers, *money]:
        assert text[mention.start:mention.end] == mention.text
    for found in (numbers, money):
        assert [m.start for m in found] == sorted(m.start for m in found)
    for m in money:
        assert m.equivalent_of is None or 0 <= m.equivalent_of < len(money)


def test_thousands_before_a_slash_does_not_crash(nlp):
    from factx.mentions.quantities import extract_quantities

    doc = nlp("The bond was set at $7,500/10 percent, and 3/4 of the money was paid.")
    numbers, money = extract_quantities(doc)
    assert all(doc.text[m.start:m.end] == m.text for m in [*numbers, *money])


# --------------------------------------------------------------------------
# word alternations: a prefix tree that matches as the sorted alternation does
# --------------------------------------------------------------------------
def _plain_alternation(words):
    import re

    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


ALTERNATIONS = [
    (["seven", "seventeen", "seventy", "seven hundred"], "seventeen, seventy-seven, seven hundred and sevens"),
    (["a", "an", "and", "ann"], "a man and an ann, a b"),
    (["m", "mm", "mil", "million", "mn"], "5 mm, 3 mil, 2 million, 4 mn, 7 m"),
    (["colón", "colon", "col", "colones"], "COLÓN colones colon Col"),
    (["k", "K", "km", "kK"], "K k km KM kK"),
    (["us dollar", "us dollars", "dollar", "dollars", "$"], "US dollars, us dollar, Dollar $"),
]


@pytest.mark.parametrize(("words", "text"), ALTERNATIONS)
@pytest.mark.parametrize("flags", [0, 2])  # re.IGNORECASE is 2
def test_alternation_matches_like_a_sorted_alternation(words, text, flags):
    import re

    from factx.mentions.quantities import _alternation

    tree = re.compile(rf"(?:{_alternation(words)})\b", flags)
    plain = re.compile(rf"(?:{_plain_alternation(words)})\b", flags)
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)]
    for i in range(len(text)):
        a, b = tree.match(text, i), plain.match(text, i)
        assert (a and a.span()) == (b and b.span())


def test_alternation_of_the_shipped_tables_keeps_every_word():
    import re

    from factx.mentions.quantities import _alternation
    from factx.normalize.quantities import load_currencies, load_quantity_rules

    cur, rules = load_currencies(), load_quantity_rules()
    for words in (list(cur.names) + list(cur.minor), list(rules.units), list(rules.number_words)):
        rx = re.compile(rf"(?:{_alternation(words)})$", re.I)
        assert all(rx.match(w) for w in words)
