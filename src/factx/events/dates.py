"""When an event happened: the date its clause gives, else its sentence's; then, for events without one, the
incident's earliest day, the article's date or the publication date (see ``fill_date``)."""

from __future__ import annotations

import re
from typing import Any, Iterable

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..mentions.tokens import doc_text
from ..models import DateMention, Event
from .context import Context, Trigger
from .rules import Rules
from .syntax import clause_heads

OWN = ("clause", "sentence")


TIME_ONLY = re.compile(r"(?:(?:at|about|around|approximately|roughly|shortly|just|before|after|until|by)\s+)*"
                       r"\d{1,2}(?::\d\d)?\s*(?:[ap]\.?\s?m\.?|o'clock|hours?)?(?:\s+[A-Z]{2,4})?\.?", re.I)


def fill_date(ev: Event, mates: list[Event], main: str | None, ctx: Context) -> dict[str, Any] | None:
    """A date for an event whose text gives none: its incident's earliest day, the article's, or the publication's."""
    family = ctx.rules.types[ev.type].family if ev.type in ctx.rules.types else ""
    if family not in ctx.rules.dated_by_own_clause:
        own = [e.date for e in mates if e.date and e.date.get("origin") in OWN
               and (ctx.rules.types[e.type].family if e.type in ctx.rules.types else "")
               not in ctx.rules.dated_by_own_clause]
        own += [d for e in mates for d in ctx.earlier_dates.get(e.trigger.start, ())]
        # The happening began on the earliest day its events give ("shot on Dec. 12 ... died Monday").
        days = sorted((d for d in own if len(d.get("value") or "") >= 10), key=lambda d: d["value"][:10])
        if days:
            return {**days[0], "origin": "incident"}
        if own and not (ctx.doc_date is not None and ev.incident in (main, None)
                        and within(ctx.doc_date[1].value, own[0].get("value") or "")):
            return {**own[0], "origin": "incident"}
        if ctx.doc_date is not None and ev.incident in (main, None):
            return date_record(*ctx.doc_date, "document")
    if ctx.published:
        return {"ref": None, "value": ctx.published[:10], "type": "DATE", "granularity": "day", "text": None,
                "start": None, "end": None, "origin": "published"}
    return None


def attached_to_reporting(tok_span: SpacySpan | None, rules: Rules) -> bool:
    """Whether a date tells when something was said ("police said Tuesday"), not when it happened."""
    if tok_span is None:
        return False
    root = tok_span.root
    return root.head.lemma_.lower() in rules.reporting_verbs and root.head.pos_ == "VERB" and root.dep_ in ("npadvmod", "tmod", "obl", "advmod", "prep", "pobj")


def date_for(trig: Trigger, sent: SpacySpan, ctx: Context) -> dict[str, Any] | None:
    """The event's own date: one its clause gives ("Saturday's attack", "killed on Friday"), else one of its
    sentence that no statement and no other event takes; None when the text gives it none."""
    heads = clause_heads(trig)
    clause = {t.i for h in heads for t in h.subtree}
    cands = []
    for i, d in enumerate(ctx.dates):
        if d.type not in ("DATE", "TIME") or not (sent.start_char <= d.start < sent.end_char) or not _dated(d, ctx):
            continue
        span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or attached_to_reporting(span, ctx.rules):
            continue
        own = span.root.i in clause
        if not own and any(t.i in clause for t in span):
            own = True
        cands.append((not own, not is_day(d), abs(d.start - trig.start), i, d))
    if not cands:
        return None
    if ctx.doc_date is not None and not time_only(ctx.doc_date[1]):
        # A bare clock time gives no day: the day the article dates the incident to is better.
        dayful = [c for c in cands if not time_only(c[4])]
        if not dayful:
            return None
        cands = dayful
    foreign, coarse, _, i, d = min(cands, key=lambda c: c[:3])
    if coarse and ctx.doc_date is not None and within(ctx.doc_date[1].value, d.value or ""):
        # "in October": the day the article dates the incident to is finer and agrees.
        return date_record(*ctx.doc_date, "document")
    return date_record(i, d, "sentence" if foreign else "clause")


def within(day: str, period: str) -> bool:
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


def is_day(d: DateMention) -> bool:
    """Whether a date mention names one calendar day."""
    v = d.value or ""
    return len(v) >= 10 and v[:4].isdigit() and v[4] == "-" and v[5:7].isdigit() and v[7] == "-" and v[8:10].isdigit()


def _dated(d: DateMention, ctx: Context) -> bool:
    """A resolved calendar date that is not after publication (events are reported after they happen)."""
    v = d.value or ""
    if not v[:4].isdigit():
        return False
    if ctx.published and ctx.published[:4].isdigit() and not (
            int(ctx.published[:4]) - MAX_YEARS_BACK <= int(v[:4]) <= int(ctx.published[:4])):
        return False  # "3103 Foster Ave.": a house number read as a year
    return not (ctx.published and is_day(d) and v[:10] > ctx.published[:10]) and not _birth_date(d, ctx)


def _birth_date(d: DateMention, ctx: Context) -> bool:
    """A date of birth: after a birth word ("DOB 04/05/88", "born May 2, 1990") or in brackets after a name
    ("Mauricio Martinez (04/05/88)")."""
    doc = ctx.doc
    before = doc_text(doc)[max(0, d.start - 24):d.start].lower()
    words = re.findall(r"[a-z.]+", before)
    if words and any(" ".join(words[-k:]).rstrip(":.") in ctx.rules.birth_cues for k in (1, 2, 3)):
        return True
    span = doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None or span.start < 2 or span.end >= len(doc) or doc[span.start - 1].text != "(" \
            or doc[span.end].text != ")":
        return False
    name = doc[span.start - 2]
    return name.pos_ == "PROPN" and name.ent_type_ in ("PERSON", "")


MAX_YEARS_BACK = 150


def date_record(i: int, d: DateMention, origin: str) -> dict[str, Any]:
    """An event's date record for the article's i-th date mention, with its origin."""
    return {"ref": f"dates[{i}]", "value": d.value, "type": d.type, "granularity": d.granularity, "text": d.text,
            "start": d.start, "end": d.end, "origin": origin}


def _document_dates(ctx: Context) -> Iterable[tuple[int, DateMention]]:
    """The day-precise dates of the article, in order, that are neither a page timestamp nor a statement's date."""
    for i, d in enumerate(ctx.dates):
        if d.type not in ("DATE", "TIME") or not is_day(d) or not _dated(d, ctx):
            continue
        if ctx.published and d.value[:10] == ctx.published[:10] and any(ch.isdigit() for ch in d.text[-4:]):
            continue  # "Posted: Jul. 6, 2016": the page's own timestamp, not when anything happened
        span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
        if attached_to_reporting(span, ctx.rules) or _dates_own_clause_event(span, ctx.rules):
            continue
        yield i, d


def _verb_of(span: SpacySpan) -> Token:
    """The verb a date hangs on (through its prepositions), else the root of its sentence."""
    tok = span.root
    while tok.head.i != tok.i and tok.pos_ not in ("VERB", "AUX"):
        tok = tok.head
    return tok


def _dates_own_clause_event(span: SpacySpan | None, rules: Rules) -> bool:
    """A date of an arrest, a charge or a trial ("was arrested Wednesday"): it dates that, not the happening."""
    if span is None:
        return False
    etype = rules.verb_index.get(_verb_of(span).lemma_.lower())
    return etype is not None and etype in rules.types and rules.types[etype].family in rules.dated_by_own_clause


def document_date(ctx: Context) -> tuple[int, DateMention] | None:
    """The first day-precise date of the article that is not the date of a statement.

    A bare clock time ("at 5 p.m.") names no day of its own, so a date that does is preferred.
    """
    found = list(_document_dates(ctx))
    if ctx.published and len(ctx.published) >= 10:
        # A date of the weeks before publication dates what the article reports; an older one is most often
        # background ("born 07/19/98").
        import datetime as dt

        try:
            pub = dt.date.fromisoformat(ctx.published[:10])
        except ValueError:
            pub = None
        recent = [h for h in found if pub is not None and _days_before(h[1].value, pub) <= RECENT_DAYS]
        found = recent or found
    return next((h for h in found if not time_only(h[1])), found[0] if found else None)


RECENT_DAYS = 31


def _days_before(value: str | None, pub: Any) -> float:
    import datetime as dt

    try:
        return (pub - dt.date.fromisoformat((value or "")[:10])).days
    except ValueError:
        return float("inf")


def time_only(d: DateMention) -> bool:
    """A clock time without a day word ("about 5:50 a.m.", "11:14 AM"): its day is only assumed."""
    return d.type == "TIME" and TIME_ONLY.fullmatch(d.text.strip()) is not None
