"""Events read from the headline: those of the kinds the article's text does not tell ("Teen killed in DeKalb
shooting")."""

from __future__ import annotations

from typing import Any, Sequence

from spacy.tokens import Doc

from ..models import DateMention, Event, Focus, MoneyMention, NumberMention, PlaceMention
from .anchors import dateline_place, document_city, held_place, place_record
from .build import build_events
from .context import Context
from .incidents import families_join, family_of
from .rules import Rules
from .syntax import with_changes

_OWN = ("clause", "sentence")


def headline_events(title: Doc, text: Doc, *, numbers: Sequence[NumberMention], money: Sequence[MoneyMention],
                    dates: Sequence[DateMention], places: Sequence[PlaceMention], text_places: Sequence[PlaceMention],
                    focus: Focus, published: str | None, rules: Rules, length: int | None = None) -> list[Event]:
    """The events of a parsed headline (``part: "title"``), from its own mentions and the article's places.

    ``length`` is the title's, when the parsed text has a stop added after it.

    Offsets of the headline's words point into the title, and their mentions are in no list of the record, so
    their references are null. A place the headline does not give is the text's dateline or main city, with
    its reference into the record's places; so is the city of a landmark the headline names ("outside school").
    """
    events = build_events(title, numbers=numbers, money=money, dates=dates, places=places, focus=focus,
                          published=published, rules=rules)
    length = len(title.text) if length is None else length
    ctx = Context(text, (), (), (), text_places, focus, published, rules)
    city = document_city(ctx)
    dateline = dateline_place(ctx)
    borrowed = None
    if city is not None:
        borrowed = place_record(city, "dateline" if dateline is not None and dateline[0] == city[0] else "document")
    out = []
    for ev in events:
        own = ev.place is not None and ev.place.get("origin") in _OWN
        place = _unref(ev.place) if own or borrowed is None else borrowed
        if own and borrowed is not None and ev.place.get("kind") == "landmark" and not ev.place.get("country"):
            # "shot outside school": the school is in the text's city, as it would be in the text.
            place = held_place(ev.place, borrowed, ev.place["origin"])
        sentence = {"start": ev.sentence.get("start", 0), "end": min(ev.sentence.get("end", 0), length)}
        out.append(with_changes(ev, part="title", place=place, date=_unref(ev.date), count=_unref(ev.count),
                                money=[_unref(m) for m in ev.money], sentence=sentence))
    return out


def _unref(part: dict[str, Any] | None) -> dict[str, Any] | None:
    if part is None or "ref" not in part:
        return part
    return {**part, "ref": None}


def add_headline(events: list[Event], title_events: list[Event], rules: Rules) -> list[Event]:
    """The text's events and the headline's of the types the text does not tell, which join its lead incident.

    "Man shot dead in Dayton" over a text that tells only of the arrest: the death is the headline's. A type
    the text tells is the text's to tell (the headline restates it); a text with no event has the headline's.
    """
    told = {e.type for e in events if not e.negated}
    if not told:
        return title_events or events
    extra = [e for e in title_events if not e.negated and e.same_as is None and e.type not in told]
    if not extra:
        return events
    lead = next(e.incident for e in events if e.incident)
    families = {family_of(e.type, rules) for e in events if e.incident == lead}
    last = max(int(e.incident[1:]) for e in events if e.incident and e.incident[1:].isdigit())
    out = list(events)
    for ev in extra:
        joins = families_join(families, family_of(ev.type, rules), rules)
        out.append(with_changes(ev, id=f"e{len(out) + 1}", incident=lead if joins else f"i{last + 1}"))
    return out
