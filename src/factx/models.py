"""Plain records that flow between the stages: articles in, mentions and events out.

Every record that comes from the text carries ``text``, ``start`` and ``end`` with
``text == article.text[start:end]``. ``to_dict()`` gives the factx/1 JSON shape with a
stable key order (the dataclass field order).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

SCHEMA = "factx/1"

QUALIFIERS = ("exact", "about", "more_than", "less_than", "at_least", "at_most", "range")
PLACE_KINDS = ("country", "admin1", "admin2", "city", "region", "landmark", "demonym")
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")


# The record's lists of facts, in output order; references such as "numbers[3]" index them.
FACT_LISTS = ("numbers", "money", "dates", "places", "events", "incidents")


def plain(value: Any) -> Any:
    """Return ``value`` as JSON-ready plain data (records through their ``to_dict``)."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


class _Record:
    """Mixin: ``to_dict()`` over dataclass fields, in declaration order."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the record as JSON-ready plain data."""
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Article(_Record):
    """One input article, as read."""

    id: str
    text: str
    published: str | None = None
    published_origin: str = "none"  # option | metadata | inferred | none
    title: str | None = None
    format: str = "text"  # text | html | jsonl
    encoding: str | None = "utf-8"
    sha256: str | None = None  # of the input bytes, when read from a file


@dataclass(frozen=True, slots=True)
class NumberMention(_Record):
    """A cardinal number, percentage or fraction, with its qualifier and what it counts."""

    text: str
    start: int
    end: int
    value: float | int | None
    qualifier: str = "exact"
    unit: str | None = None
    low: float | int | None = None
    high: float | int | None = None
    change: str | None = None  # up | down, from "rose by", "fell to"
    kind: str = "cardinal"  # cardinal | percent | fraction | ordinal | measure


@dataclass(frozen=True, slots=True)
class MoneyMention(_Record):
    """An amount of money with its ISO 4217 currency."""

    text: str
    start: int
    end: int
    amount: float | int | None
    currency: str | None
    qualifier: str = "exact"
    low: float | int | None = None
    high: float | int | None = None
    change: str | None = None
    equivalent_of: int | None = None  # index into ``money`` of the amount this one converts


@dataclass(frozen=True, slots=True)
class DateMention(_Record):
    """A TIMEX3 temporal expression: type, value and granularity."""

    text: str
    start: int
    end: int
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    granularity: str | None = None  # day | month | year | week | quarter | season | decade | century | time | ...
    mod: str | None = None  # START | MID | END | APPROX | BEFORE | AFTER | ...


@dataclass(frozen=True, slots=True)
class PlaceMention(_Record):
    """A place name resolved to country, ISO 3166-2 region and coordinates."""

    text: str
    start: int
    end: int
    name: str
    kind: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None  # ISO 3166-2
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None


@dataclass(frozen=True, slots=True)
class Focus(_Record):
    """The country and region an article is mostly about."""

    country: str | None = None
    admin1: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Span(_Record):
    """A piece of evidence in the text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Event(_Record):
    """Who did what to how many, where, when, according to whom."""

    id: str
    type: str
    trigger: Span
    count: dict[str, Any] | None = None
    agent: Span | None = None
    patient: Span | None = None
    place: dict[str, Any] | None = None
    date: dict[str, Any] | None = None
    money: list[dict[str, Any]] = field(default_factory=list)
    negated: bool = False
    modality: str = "asserted"  # asserted | reported | hedged
    source: Span | None = None
    sentence: dict[str, int] = field(default_factory=dict)
    confidence: float = 0.5
    same_as: str | None = None
    incident: str | None = None  # the id of the article's incident this event is part of ("i1")
    part: str = "text"  # what its offsets point into: the article's text, or its title (see events.headline)


@dataclass(frozen=True, slots=True)
class Incident(_Record):
    """One happening of an article: the events that tell of it, its place, date and reconciled counts."""

    id: str
    types: list[str]
    place: dict[str, Any] | None
    date: dict[str, Any] | None
    counts: dict[str, dict[str, Any]]
    events: list[str]


@dataclass(frozen=True, slots=True)
class Record(_Record):
    """Everything factx found in one article: the factx/1 document."""

    source: dict[str, Any]
    published: dict[str, Any]
    title: str | None
    numbers: list[NumberMention]
    money: list[MoneyMention]
    dates: list[DateMention]
    places: list[PlaceMention]
    focus: Focus
    events: list[Event]
    incidents: list[Incident] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schema: str = SCHEMA
    text: str | None = field(default=None, repr=False)  # the article text, written only on request

    def to_dict(self, *, include_text: bool = False) -> dict[str, Any]:
        """Return the factx/1 JSON object, ``schema`` first; ``include_text`` adds the article text."""
        out: dict[str, Any] = {"schema": self.schema}
        for f in fields(self):
            if f.name not in ("schema", "text"):
                out[f.name] = plain(getattr(self, f.name))
        if include_text:
            out["text"] = self.text
        return out
