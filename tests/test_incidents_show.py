"""The incidents part of the `factx show` page: the list, the links to sentences and the offline map, in Chromium."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from browser_helpers import chromium, open_offline
from factx.cli import cli
from factx.show import render_html
from factx.show_incidents import incidents_html, world_paths

PARIS = {"name": "Paris", "kind": "city", "country": "FR", "admin1": "FR-IDF", "lat": 48.86, "lon": 2.35}
LIMA = {"name": "Lima", "kind": "city", "country": "PE", "admin1": "PE-LIM", "lat": -12.05, "lon": -77.04}

TEXTS = {
    "a.txt": "A gunman killed 3 people in Paris on Friday, police said.\nTwo others were wounded.\n",
    "b.txt": "Three people died in a shooting in Paris on Friday.\nThe attacker was arrested on Saturday.\n",
    "c.txt": "Floods killed 27 people in Lima on Friday, officials said.\n",
}


def span(text: str, needle: str) -> dict:
    at = text.index(needle)
    return {"text": needle, "start": at, "end": at + len(needle)}


def line(text: str, needle: str) -> dict:
    at = text.index(needle)
    return {"start": text.rfind("\n", 0, at) + 1, "end": text.index("\n", at)}


def event(text, eid, etype, trigger, place, *, count=None, incident="i1"):
    return {"id": eid, "type": etype, "trigger": span(text, trigger),
            "count": {"value": count, "qualifier": "exact"} if count else None,
            "place": {**place, "origin": "sentence"}, "date": {"value": "2024-05-10", "granularity": "day",
                                                              "origin": "sentence"},
            "money": [], "negated": False, "modality": "asserted", "sentence": line(text, trigger),
            "confidence": 0.8, "same_as": None, "incident": incident}


def rec(source: str, events: list[dict], title: str) -> dict:
    counts = {e["type"]: {"value": e["count"]["value"], "qualifier": "exact", "events": [e["id"]]}
              for e in events if e["count"]}
    return {"schema": "factx/1", "source": {"id": source, "sha256": "0" * 64, "chars": len(TEXTS[source]),
                                            "format": "text"},
            "published": {"value": "2024-05-11", "origin": "option"}, "title": title, "numbers": [], "money": [],
            "dates": [], "places": [], "focus": {}, "events": events,
            "incidents": [{"id": "i1", "types": list(dict.fromkeys(e["type"] for e in events)),
                           "place": events[0]["place"], "date": events[0]["date"], "counts": counts,
                           "events": [e["id"] for e in events]}],
            "warnings": [], "text": TEXTS[source]}


def pairs() -> list[tuple[dict, str]]:
    a, b, c = TEXTS["a.txt"], TEXTS["b.txt"], TEXTS["c.txt"]
    recs = [
        rec("a.txt", [event(a, "e1", "kill", "killed", PARIS, count=3),
                      event(a, "e2", "injure", "wounded", PARIS, count=2)], "Gunman kills 3 in Paris"),
        rec("b.txt", [event(b, "e1", "kill", "died", PARIS, count=3),
                      event(b, "e2", "arrest", "arrested", PARIS)], "Three dead in Paris shooting"),
        rec("c.txt", [event(c, "e1", "kill", "killed", LIMA, count=27)], "Floods in Lima"),
    ]
    return [(r, r["text"]) for r in recs]


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_world_outline_is_shipped_and_small():
    paths = world_paths()
    assert len(paths) > 150 and any(name == "France" for name, _d in paths)
    assert sum(len(d) for _n, d in paths) < 200_000


def test_section_lists_each_incident_once_with_figures_and_sources():
    html = incidents_html(pairs())
    assert html.count('class="inc"') == 2 and "Incidents (2)" in html
    assert "kill 3, 2 of 2 reports agree" in html and "kill 27, 1 of 1 report agree" in html
    assert 'href="#a2-ev1"' in html  # b.txt's arrest, the second event row of the second article
    assert html.count('class="inc-dot"') == 2


def test_one_article_has_no_incidents_section():
    page = render_html(pairs()[:1])
    assert 'id="incidents"' not in page
    assert 'id="incidents"' not in render_html(pairs(), incidents=False)


def test_browser_incidents_map_and_links_to_sentences(browser, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(render_html(pairs()), encoding="utf-8")
    page, requests, errors = open_offline(browser, path)
    try:
        assert page.locator("#incidents .inc").count() == 2
        assert page.locator(".inc-map path.land").count() == len(world_paths())
        dots = page.locator(".inc-map a.inc-dot")
        assert dots.count() == 2
        # The map is drawn: the dots have a size on screen and lie inside the figure.
        box, fig = dots.nth(0).bounding_box(), page.locator(".inc-map").bounding_box()
        assert box["width"] > 2 and fig["x"] <= box["x"] <= fig["x"] + fig["width"]
        # A dot leads to its incident.
        dots.nth(1).click()
        assert page.evaluate("location.hash") in ("#inc-1", "#inc-2")
        # A mention selects its event row in the article and highlights the sentence it comes from.
        page.locator('a.ev-link[href="#a2-ev1"]').click()
        row = page.locator("#a2-ev1")
        assert row.get_attribute("aria-selected") == "true"
        selected = page.eval_on_selector_all("#a2 .sent.sel", "ss => ss.map(s => s.innerText).join('')")
        assert selected == "The attacker was arrested on Saturday."
        assert [r for r in requests if not r.startswith("file:")] == []
        assert errors == []
    finally:
        page.close()


def test_show_command_renders_incidents_from_saved_jsonl(tmp_path):
    src = tmp_path / "facts.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r, _t in pairs()), encoding="utf-8")
    out = tmp_path / "page.html"
    res = CliRunner().invoke(cli, ["show", str(src), "--html", "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "Incidents (2)" in html and "default-src" in html
