"""Events read from the headline when the article's text tells of none ("Teen killed in DeKalb shooting")."""

from __future__ import annotations

from typing import Any, Sequence

from spacy.tokens import Doc

from ..models import DateMention, Event, Focus, MoneyMention, NumberMention, PlaceMention
from .anchors import _place_record, dateline_place, document_city
from .build import build_events
from .context import Context
from .rules import Rules
from .syntax import with_changes

_OWN = ("clause", "sentence")


def headline_events(title: Doc, text: Doc, *, numbers: Sequence[NumberMention], money: Sequence[MoneyMention],
                    dates: Sequence[DateMention], places: Sequence[PlaceMention], text_places: Sequence[PlaceMention],
                    focus: Focus, published: str | None, rules: Rules) -> list[Event]:
    """The events of a parsed headline (``part: "title"``), from its own mentions and the article's places.

    Offsets of the headline's words point into the title, and their mentions are in no list of the record, so
    their references are null. A place the headline does not give is the text's dateline or main city, with
    its reference into the record's places; so is the city of a landmark the headline names ("outside school").
    """
    events = build_events(title, numbers=numbers, money=money, dates=dates, places=places, focus=focus,
                          published=published, rules=rules)
    ctx = Context(text, (), (), (), text_places, focus, published, rules)
    city = document_city(ctx)
    dateline = dateline_place(ctx)
    borrowed = None
    if city is not None:
        borrowed = _place_record(city, "dateline" if dateline is not None and dateline[0] == city[0] else "document")
    out = []
    for ev in events:
        own = ev.place is not None and ev.place.get("origin") in _OWN
        place = _unref(ev.place) if own or borrowed is None else borrowed
        if own and borrowed is not None and ev.place.get("kind") == "landmark" and not ev.place.get("country"):
            # "shot outside school": the school is in the text's city, as it would be in the text.
            place = {**borrowed, **{k: ev.place[k] for k in ("text", "start", "end", "origin", "landmark")
                                    if k in ev.place}}
        out.append(with_changes(ev, part="title", place=place, date=_unref(ev.date), count=_unref(ev.count),
                                money=[_unref(m) or m for m in ev.money]))
    return out


def _unref(part: dict[str, Any] | None) -> dict[str, Any] | None:
    if part is None or "ref" not in part:
        return part
    return {**part, "ref": None}
