"""Where and when an event happened, and the money it involves: each chosen among the article's mentions."""

from __future__ import annotations

import re
from typing import Any, Iterable

from spacy.tokens import Span as SpacySpan

from ..mentions.tokens import doc_text
from ..models import DateMention, MoneyMention, PlaceMention
from .context import Context, Trigger
from .rules import Rules
from .syntax import in_span

SPECIFICITY = {"landmark": 5, "city": 4, "admin2": 3, "admin1": 2, "region": 1, "country": 1}


TIME_ONLY = re.compile(r"(?:(?:at|about|around|approximately|roughly|shortly|just|before|after|until|by)\s+)*"
                       r"\d{1,2}(?::\d\d)?\s*(?:[ap]\.?\s?m\.?|o'clock|hours?)?(?:\s+[A-Z]{2,4})?\.?", re.I)


USABLE_PLACE_KINDS = {"city", "admin2", "admin1", "country", "region"}


def place_for(trig: Trigger, sent: SpacySpan, ctx: Context) -> dict[str, Any] | None:
    """The place of an event: in its phrase, its sentence, its paragraph, else the article's city or focus."""
    places = [(i, p) for i, p in enumerate(ctx.places) if _usable_place(p)]
    if not places:
        return _focus_place(ctx)
    subtree = list(trig.token.subtree) if trig.kind != "noun" else list(trig.token.head.subtree)
    focus_country = ctx.focus.country if ctx.focus else None
    focus_admin1 = ctx.focus.admin1 if ctx.focus else None
    city = ctx.doc_city

    def pick(cands: list[tuple[int, PlaceMention]]) -> tuple[int, PlaceMention]:
        # A place in the article's own country (and region) beats a same-named one elsewhere; then the most
        # specific, then the nearest.
        return max(cands, key=lambda ip: (not focus_country or ip[1].country == focus_country,
                                          not focus_admin1 or ip[1].admin1 == focus_admin1,
                                          SPECIFICITY.get(ip[1].kind or "", 0), -abs(ip[1].start - trig.start)))

    def finer(chosen: tuple[int, PlaceMention], origin: str) -> dict[str, Any]:
        # "in northwest Indiana", "in Greene County": the dateline city inside that region is finer.
        if (chosen[1].kind in ("admin1", "admin2") and city is not None and city[1].kind == "city"
                and city[1].admin1 == chosen[1].admin1):
            return _place_record(city, "document")
        return _place_record(chosen, origin)

    in_sent = [(i, p) for i, p in places if sent.start_char <= p.start < sent.end_char]
    in_tree = [(i, p) for i, p in in_sent if in_span(p.start, p.end, subtree)]
    if focus_country:
        # Outside the event's own phrase, a place abroad is background ("the next of kin is in Vietnam").
        in_sent = [(i, p) for i, p in in_sent if p.country == focus_country or (i, p) in in_tree]
    if focus_admin1 and city is not None and city[1].admin1 == focus_admin1:
        # A place outside the article's region, when the article names a city inside it, is most often a
        # same-named place resolved to the wrong region ("Rogers Park" in a Tennessee story).
        in_tree = [(i, p) for i, p in in_tree if p.admin1 in (None, focus_admin1) or p.kind in ("country", "admin1")]
        in_sent = [(i, p) for i, p in in_sent if p.admin1 in (None, focus_admin1) or p.kind in ("country", "admin1")]
    for cands in (in_tree, in_sent):
        if cands:
            return finer(pick(cands), "sentence")
    text = doc_text(ctx.doc)
    para_start = text.rfind("\n", 0, sent.start_char) + 1
    para_end = text.find("\n", sent.end_char)
    para_end = len(text) if para_end < 0 else para_end
    in_para = [(i, p) for i, p in places if para_start <= p.start < para_end]
    if in_para:
        return finer(pick(in_para), "paragraph")
    if city is not None:
        return _place_record(city, "document")
    return _focus_place(ctx)


def _usable_place(p: PlaceMention) -> bool:
    """A place that can locate an event: resolved to a country (streets and hospitals often are not)."""
    if p.kind == "demonym" or not p.country:
        return False
    return p.kind in USABLE_PLACE_KINDS or (p.kind == "landmark" and p.admin1 is not None)


def document_city(ctx: Context) -> tuple[int, PlaceMention] | None:
    """The first city (else county) of the article that agrees with its focus: usually the dateline."""
    f = ctx.focus
    for kinds in (("city",), ("admin2",)):
        for i, p in enumerate(ctx.places):
            if p.kind not in kinds or not _usable_place(p):
                continue
            if f and f.admin1 and p.admin1 != f.admin1:
                continue
            if f and f.country and p.country != f.country:
                continue
            return i, p
    return None


def _place_record(ip: tuple[int, PlaceMention], origin: str) -> dict[str, Any]:
    i, p = ip
    return {"ref": f"places[{i}]", "name": p.name, "kind": p.kind, "country": p.country, "admin1": p.admin1,
            "lat": p.lat, "lon": p.lon, "text": p.text, "start": p.start, "end": p.end, "origin": origin}


def _focus_place(ctx: Context) -> dict[str, Any] | None:
    f = ctx.focus
    if not f or not (f.country or f.admin1):
        return None
    return {"ref": None, "name": f.name, "kind": "admin1" if f.admin1 else "country", "country": f.country,
            "admin1": f.admin1, "lat": None, "lon": None, "text": None, "start": None, "end": None, "origin": "focus"}


def _attached_to_reporting(tok_span: SpacySpan | None, rules: Rules) -> bool:
    if tok_span is None:
        return False
    root = tok_span.root
    return root.head.lemma_.lower() in rules.reporting_verbs and root.head.pos_ == "VERB" and root.dep_ in ("npadvmod", "tmod", "obl", "advmod", "prep", "pobj")


def date_for(trig: Trigger, sent: SpacySpan, ctx: Context) -> dict[str, Any] | None:
    """The date of an event: in its phrase or sentence, else the article's incident date or publication date."""
    subtree = list(trig.token.subtree) if trig.kind != "noun" else list(trig.token.head.subtree)
    cands = []
    for i, d in enumerate(ctx.dates):
        if d.type not in ("DATE", "TIME") or not (sent.start_char <= d.start < sent.end_char) or not _dated(d, ctx):
            continue
        span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
        if _attached_to_reporting(span, ctx.rules):
            continue
        cands.append((not in_span(d.start, d.end, subtree), not _is_day(d), abs(d.start - trig.start), i, d))
    if cands and ctx.doc_date is not None and not _time_only(ctx.doc_date[1]):
        # A bare clock time gives no day: the day the article dates the incident to is better.
        cands = [c for c in cands if not _time_only(c[4])]
        if not cands:
            return _date_record(*ctx.doc_date, "document")
    if cands:
        _, coarse, _, i, d = min(cands, key=lambda c: c[:3])
        if coarse and ctx.doc_date is not None and _within(ctx.doc_date[1].value, d.value or ""):
            # "in October": the day the article dates the incident to is finer and agrees.
            return _date_record(*ctx.doc_date, "document")
        return _date_record(i, d, "sentence")
    if ctx.doc_date is not None:
        i, d = ctx.doc_date
        return _date_record(i, d, "document")
    if ctx.published:
        return {"ref": None, "value": ctx.published[:10], "type": "DATE", "granularity": "day", "text": None,
                "start": None, "end": None, "origin": "published"}
    return None


def _within(day: str, period: str) -> bool:
    """Whether the day ``YYYY-MM-DD...`` lies in the TIMEX3 period (year, month, or ISO week)."""
    import datetime as dt

    if day.startswith(period):
        return True
    if len(period) >= 8 and period[4:6] == "-W" and period[6:8].isdigit():
        try:
            year, week, _ = dt.date.fromisoformat(day[:10]).isocalendar()
        except ValueError:
            return False
        return (year, week) == (int(period[:4]), int(period[6:8]))
    return False


def _is_day(d: DateMention) -> bool:
    v = d.value or ""
    return len(v) >= 10 and v[:4].isdigit() and v[4] == "-" and v[5:7].isdigit() and v[7] == "-" and v[8:10].isdigit()


def _dated(d: DateMention, ctx: Context) -> bool:
    """A resolved calendar date that is not after publication (events are reported after they happen)."""
    v = d.value or ""
    if not v[:4].isdigit():
        return False
    return not (ctx.published and _is_day(d) and v[:10] > ctx.published[:10])


def _date_record(i: int, d: DateMention, origin: str) -> dict[str, Any]:
    return {"ref": f"dates[{i}]", "value": d.value, "type": d.type, "granularity": d.granularity, "text": d.text,
            "start": d.start, "end": d.end, "origin": origin}


def _document_dates(ctx: Context) -> Iterable[tuple[int, DateMention]]:
    """The day-precise dates of the article, in order, that are neither a page timestamp nor a statement's date."""
    for i, d in enumerate(ctx.dates):
        if d.type not in ("DATE", "TIME") or not _is_day(d) or not _dated(d, ctx):
            continue
        if ctx.published and d.value[:10] == ctx.published[:10] and any(ch.isdigit() for ch in d.text[-4:]):
            continue  # "Posted: Jul. 6, 2016": the page's own timestamp, not when anything happened
        span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
        if _attached_to_reporting(span, ctx.rules):
            continue
        yield i, d


def document_date(ctx: Context) -> tuple[int, DateMention] | None:
    """The first day-precise date of the article that is not the date of a statement.

    A bare clock time ("at 5 p.m.") names no day of its own, so a date that does is preferred.
    """
    found = list(_document_dates(ctx))
    return next((h for h in found if not _time_only(h[1])), found[0] if found else None)


def _time_only(d: DateMention) -> bool:
    """A clock time without a day word ("about 5:50 a.m.", "11:14 AM"): its day is only assumed."""
    return d.type == "TIME" and TIME_ONLY.fullmatch(d.text.strip()) is not None


def money_for(trig: Trigger, sent: SpacySpan, ctx: Context) -> list[dict[str, Any]]:
    """The amounts of money in the event's phrase, else in its sentence."""
    subtree = list(trig.token.subtree) if trig.kind != "noun" else list(trig.token.head.subtree)
    in_sent = [(i, m) for i, m in enumerate(ctx.money) if sent.start_char <= m.start < sent.end_char]
    in_tree = [(i, m) for i, m in in_sent if in_span(m.start, m.end, subtree)]
    chosen = in_tree or in_sent
    return [_money_record(i, m) for i, m in chosen]


def _money_record(i: int, m: MoneyMention) -> dict[str, Any]:
    return {"ref": f"money[{i}]", "amount": m.amount, "currency": m.currency, "qualifier": m.qualifier,
            "text": m.text, "start": m.start, "end": m.end}
