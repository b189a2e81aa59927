"""`factx show` rendering: reading saved output, terminal snapshots, and the HTML page in Chromium."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date

import pytest

from browser_helpers import chromium, open_offline
from factx.errors import InputError
from factx.show import (
    build_highlights,
    content_security_policy,
    event_cells,
    read_facts,
    records_from_json,
    render_html,
    render_terminal,
    timex_interval,
)

ARTICLE = (
    "Police in Lyon arrested 14 people on Tuesday after a raid on a warehouse, the interior ministry said.\n"
    "Officers seized about 2,000 counterfeit watches worth €1.5 million, according to a statement.\n"
    "A spokesman said more than 30 officers took part in the operation, which began in March 2023.\n"
    "Nobody was charged in Marseille, and no shots were fired.\n"
)

HOSTILE = (
    'Rioters wrote <script>window.__pwned = 1; document.title = "pwned"</script> on 3 walls.\n'
    'A page showed <img src=x onerror="window.__pwned = 2"> to 40 readers in Paris.\n'
    "Then 5 people were detained & questioned.\n"
)


def span(text: str, needle: str, nth: int = 0) -> dict:
    """Return text/start/end of the nth occurrence of needle."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return {"text": needle, "start": at, "end": at + len(needle)}


def line_of(text: str, needle: str) -> dict:
    """Return the start/end of the line holding needle (the test articles have one sentence a line)."""
    at = text.index(needle)
    return {"start": text.rfind("\n", 0, at) + 1, "end": text.index("\n", at)}


def lyon_record() -> dict:
    """A hand-built factx/1 record over ARTICLE, with nested mentions and a negated event."""
    t = ARTICLE
    return {
        "schema": "factx/1",
        "source": {"id": "lyon-raid.txt", "chars": len(t), "format": "text"},
        "published": {"value": "2024-05-10", "origin": "option"},
        "title": "Police raid warehouse in Lyon",
        "numbers": [
            {**span(t, "14 people"), "value": 14, "qualifier": "exact", "unit": "people"},
            {**span(t, "about 2,000"), "value": 2000, "qualifier": "about", "unit": "watches"},
            {**span(t, "1.5 million"), "value": 1500000, "qualifier": "exact"},
            {**span(t, "more than 30"), "value": 30, "qualifier": "more_than", "unit": "officers"},
        ],
        "money": [{**span(t, "€1.5 million"), "amount": 1500000, "currency": "EUR", "qualifier": "exact"}],
        "dates": [
            {**span(t, "Tuesday"), "type": "DATE", "value": "2024-05-07", "granularity": "day"},
            {**span(t, "March 2023"), "type": "DATE", "value": "2023-03", "granularity": "month"},
        ],
        "places": [
            {**span(t, "Lyon"), "name": "Lyon", "kind": "city", "country": "FR", "admin1": "FR-ARA", "lat": 45.75, "lon": 4.85},
            {**span(t, "Marseille"), "name": "Marseille", "kind": "city", "country": "FR", "admin1": "FR-PAC"},
        ],
        "events": [
            {
                "id": "e1", "type": "arrest", "trigger": span(t, "arrested"),
                "count": {**span(t, "14 people"), "value": 14, "qualifier": "exact", "unit": "people"},
                "agent": span(t, "Police"), "place": {"ref": "places[0]", "name": "Lyon", "country": "FR", "admin1": "FR-ARA"},
                "date": {"ref": "dates[0]", "value": "2024-05-07", "text": "Tuesday"}, "money": [],
                "negated": False, "modality": "reported", "source": span(t, "the interior ministry"),
                "sentence": line_of(t, "Police in"), "confidence": 0.8, "incident": "i1",
            },
            {
                "id": "e2", "type": "seizure", "trigger": span(t, "seized"),
                "count": {**span(t, "about 2,000"), "value": 2000, "qualifier": "about", "unit": "watches"},
                "agent": span(t, "Officers"), "place": None, "date": None, "money": [{"ref": "money[0]"}],
                "negated": False, "modality": "reported", "source": span(t, "a statement"),
                "sentence": line_of(t, "Officers seized"), "confidence": 0.7, "incident": "i1",
            },
            {
                "id": "e3", "type": "operation", "trigger": span(t, "operation"),
                "count": {**span(t, "more than 30"), "value": 30, "qualifier": "more_than", "unit": "officers"},
                "agent": None, "place": None, "date": {"ref": "dates[1]", "value": "2023-03", "text": "March 2023"},
                "money": [], "negated": False, "modality": "reported", "source": span(t, "A spokesman"),
                "sentence": line_of(t, "A spokesman"), "confidence": 0.6, "incident": "i2",
            },
            {
                "id": "e4", "type": "charge", "trigger": span(t, "charged"), "count": None, "agent": None,
                "place": {"ref": "places[1]", "name": "Marseille", "country": "FR", "admin1": "FR-PAC"},
                "date": None, "money": [], "negated": True, "modality": "asserted", "source": None,
                "sentence": line_of(t, "Nobody"), "confidence": 0.5,
            },
        ],
        "warnings": [],
    }  # fmt: skip


def hostile_record() -> dict:
    """Markup in the article, the title, the source id and a normalized value."""
    t = HOSTILE
    return {
        "schema": "factx/1",
        "source": {"id": '"><img src=y onerror="window.__pwned=3">.txt'},
        "published": {"value": "2024-01-02", "origin": "option"},
        "title": '</title><script>window.__pwned = 4</script>',
        "numbers": [
            {**span(t, "1"), "value": 1},  # inside the <script> text
            {**span(t, "3 walls"), "value": 3, "unit": "walls"},
            {**span(t, "40 readers"), "value": 40, "unit": "<b onmouseover=alert(1)>readers</b>"},
            {**span(t, "5 people"), "value": 5, "unit": "people"},
        ],
        "money": [],
        "dates": [],
        "places": [{**span(t, "Paris"), "name": "<svg onload=\"window.__pwned=5\">", "kind": "city", "country": "FR"}],
        "events": [
            {
                "id": "e1", "type": "detention", "trigger": span(t, "detained"),
                "count": {**span(t, "5 people"), "value": 5, "unit": "people"},
                "agent": None, "place": None, "date": {"value": "2024-01-01"}, "negated": False,
                "modality": "asserted", "source": {"text": "<i>x</i>"}, "sentence": line_of(t, "Then 5"),
            }
        ],
        "warnings": ["<script>window.__pwned = 6</script>"],
    }  # fmt: skip


# --------------------------------------------------------------------------- records_from_json


@pytest.mark.parametrize(
    ("saved", "texts"),
    [
        ('{"text": "One.", "events": []}', ["One."]),
        ('[{"text": "One."}, {"text": "Two."}]', ["One.", "Two."]),
        ('{"text": "One."}\n\n{"text": "Two."}\n', ["One.", "Two."]),
        ('{\n  "text": "One."\n}\n{\n  "text": "Two."\n}\n', ["One.", "Two."]),
        ('  [\n {"text": ""}\n]  ', [""]),
        ("[]", []),
    ],
    ids=["object", "array", "jsonl", "pretty-stream", "empty-text", "empty-array"],
)
def test_records_from_json_shapes(saved, texts):
    assert [r["text"] for r in records_from_json(saved)] == texts


@pytest.mark.parametrize(
    ("saved", "message"),
    [
        ("", "input: no factx records"),
        ("  \n", "input: no factx records"),
        ('{"text": ', "input: not valid JSON (line 1"),
        (
            '{"text": "a"}\n{"text": \n',
            "input: the record starting on line 2 is not valid JSON (Expecting value: line 3, column 1)",
        ),
        ('["just a string"]', "input: item 1 is a JSON str, not a factx record object"),
        ('{"source": {"id": "corpus/a.txt"}, "events": []}', "input: record 1 (corpus/a.txt) has no article text"),
        (
            '{"text": "a"}\n{"text": 3}',
            "input: line 2 has no article text: factx output only renders when each record "
            'carries the article under a top-level "text" key',
        ),
    ],
    ids=["empty", "blank", "broken", "jsonl-broken", "not-object", "no-text", "text-not-string"],
)
def test_records_from_json_errors(saved, message):
    with pytest.raises(InputError) as err:
        list(records_from_json(saved))
    assert str(err.value).startswith(message)


def test_records_from_json_names_the_input():
    with pytest.raises(InputError, match=r"^saved\.jsonl: record 1 has no article text"):
        list(records_from_json("{}", name="saved.jsonl"))


# --------------------------------------------------------------------------- facts and values


@pytest.mark.parametrize(
    ("kind", "fields", "summary"),
    [
        ("numbers", {"value": 1094, "qualifier": "exact", "unit": "people"}, "1,094 people"),
        ("numbers", {"value": 1000, "qualifier": "more_than", "unit": "people"}, "more than 1,000 people"),
        ("numbers", {"value": None, "qualifier": "range", "low": 27, "high": 43}, "27–43"),
        ("numbers", {"value": 12.5, "kind": "percent", "change": "up"}, "12.5% (up)"),
        ("numbers", {"value": 2.0}, "2"),
        ("numbers", {"value": 0.25, "qualifier": "at_least"}, "at least 0.25"),
        ("money", {"amount": 20000, "currency": "CNY"}, "CNY 20,000"),
        ("money", {"amount": 3250, "currency": "USD", "qualifier": "about"}, "about USD 3,250"),
        ("money", {"amount": None, "currency": None}, "? ?"),
        ("dates", {"type": "DATE", "value": "2014-02-19", "granularity": "day"}, "2014-02-19 (DATE, day)"),
        ("dates", {"type": "DATE", "value": None}, "unresolved (DATE)"),
        ("places", {"name": "Sichuan", "kind": "admin1", "country": "CN", "admin1": "CN-SC"}, "Sichuan (CN-SC)"),
        ("places", {"name": "China", "country": "CN"}, "China (CN)"),
        ("places", {"name": "Atlantis"}, "Atlantis"),
    ],
)
def test_fact_summaries(kind, fields, summary):
    text = "x" * 10
    record = {kind: [{"text": "xxx", "start": 2, "end": 5, **fields}]}
    (fact,), skipped = read_facts(record, text)
    assert (fact.summary, skipped) == (summary, 0)
    assert all(key not in ("text", "start", "end") for key, _ in fact.details)


@pytest.mark.parametrize(
    "mention",
    [
        {"text": "abc", "start": 5, "end": 3},
        {"text": "abc", "start": 8, "end": 11},
        {"text": "abd", "start": 0, "end": 3},
        {"text": "", "start": 2, "end": 2},
        {"start": "0", "end": 3},
        {"text": "abc"},
    ],
    ids=["reversed", "past-end", "text-mismatch", "empty", "string-offset", "no-offsets"],
)
def test_spans_with_bad_offsets_are_skipped(mention):
    facts, skipped = read_facts({"numbers": [mention, {"text": "def", "start": 3, "end": 6, "value": 1}]}, "abcdefghi")
    assert [(f.text, skipped) for f in facts] == [("def", 1)]


def test_nested_and_crossing_spans_join_the_longest_highlight():
    text = "about 20,000 yuan on May 3, 2014"
    record = {
        "numbers": [{**span(text, "20,000"), "value": 20000}, {**span(text, "3, 2014"), "value": 3}],
        "money": [{**span(text, "about 20,000 yuan"), "amount": 20000, "currency": "CNY"}],
        "dates": [{**span(text, "May 3, 2014"), "value": "2014-05-03"}, {**span(text, "May 3"), "value": "XXXX-05-03"}],
    }
    highlights = build_highlights(read_facts(record, text)[0])
    assert [(h.kind, text[h.start : h.end], [f.ref for f in h.facts]) for h in highlights] == [
        ("money", "about 20,000 yuan", ["money[0]", "numbers[0]"]),
        ("date", "May 3, 2014", ["dates[0]", "dates[1]", "numbers[1]"]),
    ]


def test_same_span_prefers_money_over_number():
    text = "It cost $5."
    record = {"numbers": [{**span(text, "$5"), "value": 5}], "money": [{**span(text, "$5"), "amount": 5, "currency": "USD"}]}
    (h,) = build_highlights(read_facts(record, text)[0])
    assert [f.kind for f in h.facts] == ["money", "number"]


@pytest.mark.parametrize(
    ("event", "cells"),
    [
        (
            {"id": "e1", "type": "arrest", "negated": True, "count": {"value": 1094, "unit": "people"},
             "agent": {"text": "police"}, "place": {"name": "China", "country": "CN"}, "date": {"value": "2014-02-19"},
             "source": {"text": "the ministry"}, "modality": "reported", "trigger": {"text": "arrested"},
             "incident": "i2"},
            {"event": "not arrest", "id": "e1", "trigger": "arrested", "count": "1,094 people", "who": "police",
             "where": "China (CN)", "when": "2014-02-19", "source": "the ministry", "modality": "reported",
             "incident": "i2"},
        ),
        (
            {"type": "protest", "count": {"text": "thousands", "value": None}, "date": {"text": "last week", "value": None}},
            {"event": "protest", "id": "", "trigger": "", "count": "thousands", "who": "", "where": "",
             "when": "last week", "source": "", "modality": "", "incident": ""},
        ),
        (
            {"type": "kill", "count": {"qualifier": "range", "low": 3, "high": 5, "unit": "people"},
             "place": {"name": "Leshan", "admin1": "CN-SC", "country": "CN"}},
            {"event": "kill", "id": "", "trigger": "", "count": "3–5 people", "who": "", "where": "Leshan (CN-SC)",
             "when": "", "source": "", "modality": "", "incident": ""},
        ),
    ],
    ids=["full", "unresolved", "range"],
)  # fmt: skip
def test_event_cells(event, cells):
    assert event_cells(event) == cells


@pytest.mark.parametrize(
    ("value", "interval"),
    [
        ("2014-02-19", (date(2014, 2, 19), date(2014, 2, 20))),
        ("2014-02", (date(2014, 2, 1), date(2014, 3, 1))),
        ("2014-12", (date(2014, 12, 1), date(2015, 1, 1))),
        ("2014", (date(2014, 1, 1), date(2015, 1, 1))),
        ("2014-W08", (date(2014, 2, 17), date(2014, 2, 24))),
        ("2014-02-19T18:30", (date(2014, 2, 19), date(2014, 2, 20))),
        ("XXXX-02-19", None),
        ("P6M", None),
        ("PRESENT_REF", None),
        ("2014-02-30", None),
        (None, None),
    ],
)
def test_timex_interval(value, interval):
    assert timex_interval(value) == interval


# --------------------------------------------------------------------------- terminal

LYON_80 = """\
Police raid warehouse in Lyon ──────────────────────────────────────────────────
source: lyon-raid.txt  ·  published: 2024-05-10 (option)  ·  4 numbers, 1 money,
2 dates, 2 places, 4 events

Police in [Lyon] arrested [14 people] on [Tuesday] after a raid on a warehouse,
the interior ministry said.
Officers seized [about 2,000] counterfeit watches worth [€1.5 million],
according to a statement.
A spokesman said [more than 30] officers took part in the operation, which began
in [March 2023].
Nobody was charged in [Marseille], and no shots were fired.

Facts
kind      text          value
──────────────────────────────────────────────
place     Lyon          Lyon (FR-ARA)
number    14 people     14 people
date      Tuesday       2024-05-07 (DATE, day)
number    about 2,000   about 2,000 watches
money     €1.5 million  EUR 1,500,000
└ number  1.5 million   1,500,000
number    more than 30  more than 30 officers
date      March 2023    2023-03 (DATE, month)
place     Marseille     Marseille (FR-PAC)

Events
event       count        who       where      when        source        modality
────────────────────────────────────────────────────────────────────────────────
arrest      14 people    Police    Lyon       2024-05-07  the interior  reported
i1                                 (FR-ARA)               ministry
seizure     about 2,000  Officers                         a statement   reported
i1          watches
operation   more than                         2023-03     A spokesman   reported
i2          30 officers
not charge                         Marseille                            asserted
                                   (FR-PAC)
"""

NARROW_EVENTS_50 = """\
Events
e1 arrest “arrested”
  count       14 people
  who         Police
  where       Lyon (FR-ARA)
  when        2024-05-07
  source      the interior ministry
  modality    reported
  incident    i1

e2 seizure “seized”
  count       about 2,000 watches
  who         Officers
  source      a statement
  modality    reported
  incident    i1

e3 operation “operation”
  count       more than 30 officers
  when        2023-03
  source      A spokesman
  modality    reported
  incident    i2

e4 not charge “charged”
  where       Marseille (FR-PAC)
  modality    asserted
"""


def test_terminal_snapshot_80_columns():
    assert render_terminal([(lyon_record(), ARTICLE)], width=80, color=False) == LYON_80


def test_terminal_narrow_lists_events_as_blocks():
    out = render_terminal([(lyon_record(), ARTICLE)], width=50, color=False, facts=False)
    assert out.endswith(NARROW_EVENTS_50)
    assert max(len(line) for line in out.splitlines()) <= 50


@pytest.mark.parametrize("width", [40, 60, 80, 100, 132])
def test_terminal_fits_width(width):
    out = render_terminal([(lyon_record(), ARTICLE)], width=width, color=False)
    assert max(len(line) for line in out.splitlines()) <= width
    assert "\x1b" not in out


def test_terminal_colours_each_kind_differently():
    out = render_terminal([(lyon_record(), ARTICLE)], width=80, color=True)
    styles = {
        kind: re.search(r"(\x1b\[[0-9;]*m)" + re.escape(word), out).group(1)
        for kind, word in [
            ("number", "14 people"), ("money", "€1.5 million"), ("date", "Tuesday"), ("place", "Lyon"), ("event", "arrested")
        ]
    }  # fmt: skip
    assert len(set(styles.values())) == 5
    assert "[Lyon]" not in out


def test_terminal_many_records_and_problems():
    bad = {
        "title": None,
        "source": {"id": "b.txt"},
        "numbers": [{"text": "zz", "start": 0, "end": 2}],
        "warnings": ["odd input"],
    }
    out = render_terminal([(lyon_record(), ARTICLE), (bad, "No facts here.\n")], width=80, color=False)
    second = out.split("\n\nb.txt ")[1]
    assert second.splitlines()[1:] == [
        "source: b.txt  ·  1 numbers, 0 money, 0 dates, 0 places, 0 events",
        "",
        "No facts here.",
        "1 span(s) not shown: their offsets do not match the text.",
        "",
        "No events.",
        "warning: odd input",
    ]


# --------------------------------------------------------------------------- HTML, static


def _inline(page: str, tag: str) -> str:
    return re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S).group(1)


def test_html_policy_pins_the_inline_script_and_style():
    page = render_html([(lyon_record(), ARTICLE)])
    policy = content_security_policy()
    assert f'http-equiv="Content-Security-Policy" content="{policy}"' in page.replace("&#x27;", "'")
    for tag, directive in (("script", "script-src"), ("style", "style-src")):
        digest = base64.b64encode(hashlib.sha256(_inline(page, tag).encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "unsafe" not in policy
    assert page.count("<script") == 1 and page.count("<style") == 1
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)


def test_html_escapes_everything_from_the_record():
    page = render_html([(hostile_record(), HOSTILE)], title="<b>t</b>")
    body = page.split("<body>", 1)[1].rsplit("<script>", 1)[0]
    assert "<script" not in body and "<img" not in body and "<svg onload" not in body and "<b " not in body
    assert "Rioters wrote &lt;script&gt;window.__pwned = <mark" in body  # the "1" inside is a highlight
    assert "&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;" in body
    assert "<title>&lt;b&gt;t&lt;/b&gt;</title>" in page


def test_html_many_records_get_a_list_and_sections():
    page = render_html([(lyon_record(), ARTICLE), ({"source": {"id": "b.txt"}}, "Quiet day.\n")])
    links = re.findall(r'<li><a href="#(a\d)">([^<]*)</a>', page)
    assert links == [("a1", "Police raid warehouse in Lyon"), ("a2", "b.txt")]
    assert page.count('<section class="article"') == 2
    assert "<p class=\"muted\">No events.</p>" in page


def test_html_with_no_records():
    assert "No articles." in render_html([])


# --------------------------------------------------------------------------- HTML in Chromium


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _page(browser, tmp_path, pairs, name="show.html", **kw):
    path = tmp_path / name
    path.write_text(render_html(pairs, **kw), encoding="utf-8")
    return open_offline(browser, path)


def test_browser_highlights_table_and_selection(browser, tmp_path):
    page, requests, errors = _page(browser, tmp_path, [(lyon_record(), ARTICLE)], title="Lyon")
    try:
        kinds = page.eval_on_selector_all("mark.fx[role=button]", "ms => ms.map(m => m.dataset.kind)")
        assert sorted(kinds) == ["date"] * 2 + ["event"] * 4 + ["money"] + ["number"] * 3 + ["place"] * 2
        assert page.locator("table.events tbody tr").count() == 4
        assert page.locator("svg[role=img] .tl-ev").count() == 2

        row = page.locator("tr.ev").nth(1)
        row.click()
        assert row.get_attribute("aria-selected") == "true"
        assert "selected" in row.get_attribute("class")
        selected = page.eval_on_selector_all(".sent.sel", "ss => ss.map(s => s.innerText).join('')")
        assert selected.startswith("Officers seized about 2,000") and selected.endswith("according to a statement.")
        assert page.locator("mark.trig-sel").inner_text() == "seized"
        assert page.locator(".tl-ev.sel").count() == 0  # e2 has no date

        # Keyboard: move to the next row and select it; the previous selection goes away.
        row.press("ArrowDown")
        page.keyboard.press("Enter")
        rows = page.locator("tr.ev")
        assert [rows.nth(i).get_attribute("aria-selected") for i in range(4)] == ["false", "false", "true", "false"]
        assert page.locator(".sent.sel").inner_text().startswith("A spokesman said")
        assert page.locator(".tl-ev.sel text").text_content() == "operation e3"
        assert "operation" in page.locator("[role=status]").inner_text()

        # A timeline mark selects its row too.
        page.locator(".tl-ev").first.click()
        assert rows.nth(2).get_attribute("aria-selected") == "true"

        # Hover and keyboard focus both reveal a highlight's normalized value.
        money = page.locator("mark.fx-money")
        assert not money.locator(".tip").is_visible()
        money.hover()
        assert money.locator(".tip").is_visible()
        assert "EUR 1,500,000" in money.locator(".tip").inner_text()
        page.mouse.move(0, 0)
        page.locator("mark.fx-place").first.focus()
        assert page.locator("mark.fx-place .tip").first.is_visible()
        page.keyboard.press("Enter")
        assert page.locator("mark.fx-place").first.get_attribute("aria-expanded") == "true"
        page.keyboard.press("Escape")
        assert page.locator("mark.fx-place").first.get_attribute("aria-expanded") == "false"

        # Keyboard only, from the top: skip links, then the first highlight shows its value.
        page.mouse.move(0, 0)
        page.reload()
        focused = []
        for _ in range(3):
            page.keyboard.press("Tab")
            focused.append(page.evaluate("document.activeElement.textContent.slice(0, 19)"))
        assert focused[:2] == ["Skip to the article", "Skip to the events"]
        assert focused[2].startswith("Lyon")
        assert page.locator("mark.fx-place .tip").first.is_visible()

        # Names in the accessibility tree.
        assert page.get_by_role("grid", name="Events").count() == 1
        assert page.get_by_role("img", name="Event dates operation e3: 2023-03; arrest e1: 2024-05-07").count() == 1
        assert page.get_by_role("button", name="Tuesday").get_attribute("aria-describedby") == "a1-h3-tip"

        assert page.title() == "Lyon"
        assert set(requests) == {(tmp_path / "show.html").resolve().as_uri()}  # loaded twice, nothing else
        assert errors == []
        shot = tmp_path / "show.png"
        rows.first.click()
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    finally:
        page.close()


def test_browser_runs_nothing_from_the_article(browser, tmp_path):
    page, requests, errors = _page(browser, tmp_path, [(hostile_record(), HOSTILE)], title="safe")
    try:
        for mark in page.locator("mark.fx[role=button]").all():
            mark.hover()
            mark.click()
        page.locator("tr.ev").first.click()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.title() == "safe"
        assert page.locator("section.article img, section.article script, section.article svg[onload]").count() == 0
        text = page.locator(".text").inner_text()
        assert '<script>window.__pwned = 1; document.title = "pwned"</script>' in text
        assert '<img src=x onerror="window.__pwned = 2">' in text
        assert page.locator("h2").first.inner_text() == "</title><script>window.__pwned = 4</script>"
        assert requests == [(tmp_path / "show.html").resolve().as_uri()]
        assert errors == []
        page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    finally:
        page.close()


def test_browser_many_articles_select_independently(browser, tmp_path):
    pairs = [(lyon_record(), ARTICLE), (hostile_record(), HOSTILE), (lyon_record(), ARTICLE)]
    page, _requests, errors = _page(browser, tmp_path, pairs)
    try:
        links = page.locator("nav.toc a")
        assert links.count() == 3
        links.nth(2).click()
        assert page.url.endswith("#a3")
        page.locator("#a3 tr.ev").first.click()
        page.locator("#a1 tr.ev").nth(3).click()
        assert page.locator("#a3 tr.ev[aria-selected=true]").count() == 1
        assert page.locator("#a1 .sent.sel").inner_text().startswith("Nobody was charged")
        assert page.locator("#a3 .sent.sel").inner_text().startswith("Police in Lyon")
        assert errors == []
        page.screenshot(path=str(tmp_path / "many.png"), full_page=True)
    finally:
        page.close()


def test_saved_json_round_trip_renders(tmp_path):
    saved = "\n".join(json.dumps({**r, "text": t}, ensure_ascii=False) for r, t in [(lyon_record(), ARTICLE)] * 2)
    pairs = [(r, r["text"]) for r in records_from_json(saved, name="saved.jsonl")]
    assert render_terminal(pairs[:1], width=80, color=False) == LYON_80
    assert render_html(pairs).count('<section class="article"') == 2


def test_overlapping_sentences_and_a_highlight_across_them():
    text = "Aaa bbb. Ccc ddd."
    record = {
        "numbers": [{"text": "bb. C", "start": 5, "end": 10, "value": 1}],
        "events": [
            {"id": "e1", "type": "a", "trigger": {"text": "Aaa", "start": 0, "end": 3}, "sentence": {"start": 0, "end": 8}},
            {"id": "e2", "type": "b", "trigger": {"text": "ddd", "start": 13, "end": 16}, "sentence": {"start": 4, "end": 17}},
        ],
    }
    page = render_html([(record, text)])
    regions = re.findall(r'<span class="sent" data-sent="([^"]*)">', page)
    assert regions == ["0-8", "0-8 4-17", "4-17"]
    rows = re.findall(r'<tr class="ev" id="a1-ev\d" tabindex="-?\d" aria-selected="false" data-sent="([^"]*)"', page)
    assert rows == ["0-8", "4-17"]
    number = re.findall(r'<mark class="fx fx-number( fx-cont)?"[^>]*>([^<]*)', page)
    assert number == [("", "bb."), (" fx-cont", " C")]


def test_terminal_shows_control_characters_instead_of_sending_them():
    text = "Red \x1b[31malert\x1b[0m for 3 days\x07.\r\n"
    record = {"title": "t\x1b]0;owned\x07", "numbers": [{**span(text, "3 days"), "value": 3}]}
    for color in (False, True):
        out = render_terminal([(record, text)], width=60, color=color)
        assert "\x07" not in out and "\r" not in out and "\x1b[31malert" not in out and "\x1b]0" not in out
    plain = render_terminal([(record, text)], width=60, color=False)
    assert "Red ␛[31malert␛[0m for [3 days]␇." in plain


def test_entries_that_are_not_objects_keep_the_others_in_place():
    text = "Two raids, 7 arrests."
    record = {
        "numbers": ["junk", {"text": "7", "start": 11, "end": 12, "value": 7}],
        "events": [None, {"id": "e2", "type": "arrest", "trigger": {"text": "arrests", "start": 13, "end": 20}}],
        "warnings": "one warning",
    }
    facts, skipped = read_facts(record, text)
    assert [(f.ref, f.text) for f in facts] == [("numbers[1]", "7"), ("events[1]", "arrests")]
    page = render_html([(record, text)])
    assert 'id="a1-ev1"' in page and 'data-trigger="a1-h1"' in page and "<li>one warning</li>" in page
    assert "warning: one warning" in render_terminal([(record, text)], color=False)


def test_browser_policy_blocks_markup_that_escaped_escaping(browser, tmp_path):
    # Second line of defence: even raw markup spliced into the page cannot run or load anything.
    page_html = render_html([(lyon_record(), ARTICLE)]).replace(
        '<div class="text"',
        '<script>window.__csp = 1</script><img src="https://example.com/x.png" onerror="window.__csp = 2">'
        '<div style="color: red" id="styled"></div><div class="text"',
        1,
    )
    path = tmp_path / "spliced.html"
    path.write_text(page_html, encoding="utf-8")
    page, requests, errors = open_offline(browser, path)
    try:
        assert page.evaluate("typeof window.__csp") == "undefined"
        assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
        assert requests == [path.resolve().as_uri()]
        assert any("Content Security Policy" in e for e in errors)
        page.locator("tr.ev").first.click()  # the page's own script still runs
        assert page.locator("tr.ev").first.get_attribute("aria-selected") == "true"
    finally:
        page.close()


def test_title_events_are_listed_but_not_placed_in_the_text():
    text = "DAYTON, Ohio — Police are looking for witnesses.\n"
    event = {"id": "e1", "type": "kill", "part": "title", "trigger": {"text": "killed", "start": 4, "end": 10},
             "sentence": {"start": 0, "end": 20}, "negated": False, "modality": "asserted"}
    record = {"source": {"id": "a.txt"}, "title": "Man killed in Dayton", "events": [event]}
    facts, skipped = read_facts(record, text)
    assert (facts, skipped) == ([], 0)
    page = render_html([(record, text)])
    assert "in the title" in page and 'data-sent=""' in page
