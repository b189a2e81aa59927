"""The incidents part of the `factx show` page: the happenings that the shown articles tell, grouped across
articles (``factx.incidents``), with their figures and sources, each mention linked to its article's event row
(and so to the highlighted sentence), and a map of where they happened drawn on an offline world outline
(Natural Earth 1:110m, shipped as ``data/show/world.json``).

Example:
    >>> from factx.incidents import _example
    >>> html = incidents_html([(_example("a.txt", "2016-06-12", 3), ""), (_example("b.txt", "2016-06-12", 3), "")])
    >>> html.count('class="inc"'), "Orlando" in html
    (1, True)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from html import escape
from importlib import resources
from typing import Any

from .incidents import group_records

WIDTH, HEIGHT = 360, 170  # the map's plane: longitude -180..180, latitude 85..-85


@lru_cache(maxsize=1)
def world_paths() -> tuple[tuple[str, str], ...]:
    """The shipped world outline: (country name, SVG path data) in the plane x = lon, y = -lat."""
    data = json.loads((resources.files("factx") / "data" / "show" / "world.json").read_text(encoding="utf-8"))
    return tuple((c.get("name") or "", c["d"]) for c in data["countries"])


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _count(name: str, c: Mapping[str, Any]) -> str:
    value = c.get("value")
    text = f"{name} {value:g}" if isinstance(value, (int, float)) else name
    if c.get("low") is not None and c.get("high") is not None:
        text += f" (reports {c['low']:g}–{c['high']:g})"
    n = len(c.get("reported") or [])
    return f"{text}, {c.get('support', 0)} of {n} report{'s' if n != 1 else ''} agree"


def incidents_html(pairs: list[tuple[dict, str]]) -> str:
    """The incidents section of the page for (record, text) pairs; '' when they tell of no incident."""
    records = [rec for rec, _text in pairs if isinstance(rec.get("source"), Mapping) and rec["source"].get("id")]
    incidents = group_records(records) if records else []
    if not incidents:
        return ""
    article = {}  # source id -> (article number on the page, event id -> row index)
    for n, (rec, _text) in enumerate(pairs, 1):
        source = rec.get("source") if isinstance(rec.get("source"), Mapping) else {}
        rows = {e.get("id"): i for i, e in enumerate(rec.get("events") or []) if isinstance(e, Mapping)}
        article.setdefault(source.get("id"), (n, rows, rec.get("title") or source.get("id")))
    items = [_incident_item(k, inc, article) for k, inc in enumerate(incidents, 1)]
    located = sum(1 for inc in incidents if _point(inc) is not None)
    return (
        '<section class="incidents" id="incidents" aria-labelledby="inc-h">'
        f'<h2 id="inc-h">Incidents ({len(incidents)})</h2>'
        '<p class="hint muted">The happenings these articles tell, each once, with figures reconciled across its '
        "reports. Select a mention to see its sentence; a dot on the map leads to its incident.</p>"
        f"{_map_svg(incidents)}"
        f'<p class="hint muted">{located} of {len(incidents)} incident(s) have coordinates and are on the map.</p>'
        f'<ol class="inc-list">{"".join(items)}</ol></section>'
    )


def _point(inc: Mapping[str, Any]) -> tuple[float, float] | None:
    place = inc.get("place") or {}
    lat, lon = place.get("lat"), place.get("lon")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and -90 <= lat <= 90 and -180 <= lon <= 180:
        return float(lon), float(-lat)
    return None


def _label(inc: Mapping[str, Any]) -> str:
    place = (inc.get("place") or {}).get("name") or "unknown place"
    date = (inc.get("date") or {}).get("value") or "undated"
    return f"{', '.join(inc.get('types') or [])} · {place} · {date}"


def _map_svg(incidents: list[dict]) -> str:
    land = "".join(f'<path class="land" d="{_e(d)}"><title>{_e(name)}</title></path>' for name, d in world_paths())
    x0, y0, w, h = _view([p for p in map(_point, incidents) if p is not None])
    dots = []
    for k, inc in enumerate(incidents, 1):
        point = _point(inc)
        if point is None:
            continue
        # A dot's size is a share of the shown width, larger for an incident told by more articles.
        r = w * (0.005 + 0.0015 * min(len(inc.get("sources") or []), 6))
        dots.append(f'<a href="#inc-{k}" class="inc-dot" data-inc="inc-{k}"><title>{_e(_label(inc))}</title>'
                    f'<circle cx="{point[0]:.2f}" cy="{point[1]:.2f}" r="{r:.2f}"/></a>')
    return (f'<figure class="inc-map"><svg viewBox="{x0:g} {y0:g} {w:g} {h:g}" role="img" aria-labelledby="inc-map-t" '
            f'focusable="false" xmlns="http://www.w3.org/2000/svg"><title id="inc-map-t">Where the incidents happened'
            f'</title><rect class="sea" x="-180" y="-85" width="{WIDTH}" height="{HEIGHT}"/>{land}'
            f'{"".join(dots)}</svg></figure>')


def _view(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The part of the world plane that shows every point with a margin, at least 60 by 30 degrees."""
    if not points:
        return -180.0, -85.0, float(WIDTH), float(HEIGHT)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    w = min(float(WIDTH), max(60.0, (max(xs) - min(xs)) * 1.3, (max(ys) - min(ys)) * 2.6))
    h = min(float(HEIGHT), w / 2)
    x0 = min(max(-180.0, (max(xs) + min(xs)) / 2 - w / 2), 180.0 - w)
    y0 = min(max(-85.0, (max(ys) + min(ys)) / 2 - h / 2), 85.0 - h)
    return round(x0, 1), round(y0, 1), round(w, 1), round(h, 1)


def _incident_item(k: int, inc: Mapping[str, Any], article: Mapping[str, tuple]) -> str:
    place = inc.get("place") or {}
    where = ", ".join(str(x) for x in (place.get("name"), place.get("admin1") or place.get("country")) if x)
    when = (inc.get("date") or {}).get("value") or ""
    counts = "".join(f"<li>{_e(_count(t, c))}</li>" for t, c in (inc.get("counts") or {}).items())
    by_source: dict[str, list[Mapping[str, Any]]] = {}
    for m in inc.get("mentions") or []:
        by_source.setdefault(m["source_id"], []).append(m)
    sources = []
    for source, mentions in by_source.items():
        n, rows, title = article.get(source, (None, {}, source))
        links = []
        for m in mentions:
            i = rows.get(m["event_id"])
            text = f"{m['type']} {m['event_id']}"
            links.append(f'<a class="ev-link" href="#a{n}-ev{i}" data-row="a{n}-ev{i}">{_e(text)}</a>'
                         if n is not None and i is not None else _e(text))
        head = f'<a href="#a{n}">{_e(title)}</a>' if n is not None else _e(source)
        sources.append(f'<li class="inc-src">{head}: {" ".join(links)}</li>')
    return (f'<li class="inc" id="inc-{k}"><h3>{_e(", ".join(inc.get("types") or []))}</h3>'
            f'<p class="inc-meta"><span>{_e(where or "unknown place")}</span> · <span>{_e(when or "undated")}</span>'
            f' · <code>{_e(inc.get("id"))}</code></p>'
            f'{f"<ul class=inc-counts>{counts}</ul>" if counts else ""}'
            f'<ul class="inc-sources" aria-label="Reports">{"".join(sources)}</ul></li>')
