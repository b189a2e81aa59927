"""The rule layer: trigger words and the dependency parse turn mentions into event records.

Event types, trigger lemmas, the nouns that count as participants, reporting verbs, hedge and
negation cues all come from ``data/events.json`` (plus any ``--rules`` files), never from code.
The stages follow the data: ``rules`` (load the inventory), ``triggers`` (find them),
``arguments`` and ``counts`` (patient, agent, how many), ``modality`` (negation, irrealis, hedges,
sources), ``anchors`` (place, date, money), ``incidents`` (relations between events); ``build``
runs them in that order. ``headline`` reads an article's title the same way, for the kinds of events
its text does not tell.
"""

from __future__ import annotations

from .build import build_events
from .incidents import summarize_incidents
from .rules import EventType, Rules, describe_types, load_rules, read_rules_file
from .triggers import find_triggers

__all__ = ["EventType", "Rules", "build_events", "describe_types", "find_triggers", "load_rules", "read_rules_file", "summarize_incidents"]
