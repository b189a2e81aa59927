"""The records the stages pass along: a found trigger, and the parsed article with its mentions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from spacy.tokens import Doc, Token

from ..models import DateMention, Focus, MoneyMention, NumberMention, PlaceMention
from .rules import Rules


@dataclass(slots=True)
class Trigger:
    """A trigger found in the text: its event type, syntactic head, character span and kind."""

    type: str
    token: Token  # the syntactic head of the trigger
    start: int  # character offsets of the trigger text
    end: int
    kind: str  # verb | noun | adj


@dataclass(slots=True)
class Context:
    """The parsed article with its mentions, the rules and the article-wide date and city."""

    doc: Doc
    numbers: Sequence[NumberMention]
    money: Sequence[MoneyMention]
    dates: Sequence[DateMention]
    places: Sequence[PlaceMention]
    focus: Focus
    published: str | None
    rules: Rules
    doc_date: tuple[int, DateMention] | None = None
    doc_city: tuple[int, PlaceMention] | None = None
    # The own dates of injuries dropped for a death of the same victim, by the death's trigger offset.
    earlier_dates: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
