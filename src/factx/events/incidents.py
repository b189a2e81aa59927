"""Relations between events: stronger types replace weaker ones, restatements are linked with ``same_as``."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ..models import Event
from .rules import Rules
from .syntax import with_changes


def drop_yielding(events: list[Event], sent_events: list[tuple[Event, Token | None]], rules: Rules) -> None:
    """Drop events that give way to a stronger type on the same patient ("shot and killed": a kill only)."""
    for ev, patient in sent_events:
        yields = rules.types[ev.type].yields_to
        if not yields or patient is None:
            continue
        for other, other_patient in sent_events:
            if other is ev or other.type not in yields or other_patient is None or other.negated != ev.negated:
                continue
            if other_patient.i == patient.i or patient in other_patient.subtree or other_patient in patient.subtree:
                if ev in events:
                    events.remove(ev)
                break


def take_out_the_dead(events: list[Event], sent_events: list[tuple[Event, Token | None]], rules: Rules) -> None:
    """Count only the survivors as injured when the sentence tells that some of the wounded died.

    "Six people were shot, two fatally", "Five people were shot and one was killed", "four were shot, two of
    whom died": the dead are a part of the people shot, so the injury counts the rest; ``count.total`` keeps the
    number the text gives.
    """
    for k, (ev, patient) in enumerate(sent_events):
        yields = rules.types[ev.type].yields_to
        n = (ev.count or {}).get("value")
        if not yields or ev.negated or ev not in events or not isinstance(n, (int, float)) or (
                ev.count or {}).get("qualifier", "exact") != "exact":
            continue
        for other, op in sent_events:
            m = (other.count or {}).get("value")
            if (other.type not in yields or other.negated or op is None or not isinstance(m, (int, float))
                    or not 0 < m < n or other.trigger.start < ev.trigger.start):
                continue
            if (patient is not None and op in patient.subtree) or _part_of_those_told(op):
                count = dict(ev.count, value=n - m, total=n)
                new = with_changes(ev, count=count)
                events[events.index(ev)] = new
                sent_events[k] = (new, patient)
                break


def _part_of_those_told(tok: Token) -> bool:
    """A bare number or "two of whom/them" stands for part of the people just told of."""
    if tok.pos_ == "NUM" and tok.like_num and not any(c.dep_ == "prep" and c.lower_ != "of" for c in tok.children):
        of = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        return not of or all(g.lower_ in ("whom", "them", "those", "these") for g in of)
    return False


def _victim_key(patient: Token) -> set[str]:
    """Words that identify one victim across sentences: the names in the phrase, else its head noun."""
    names = {t.lower_ for t in patient.subtree if t.pos_ == "PROPN" and t.ent_type_ in ("PERSON", "")}
    return names or ({patient.lemma_.lower()} if patient.pos_ == "NOUN" else set())


def drop_yielding_victims(doc: Doc, events: list[Event], pairs: list[tuple[Event, Token | None]],
                           rules: Rules) -> None:
    """Drop an injury of one victim whom the article also reports dead ("The boy was shot ... the boy died").

    The victim is the same when the names (or the head noun) agree, or, for a pronoun, when a single
    death is told in the same or the next sentence.
    """
    sents = {s.start: k for k, s in enumerate(doc.sents)}
    strong = [(ev, p) for ev, p in pairs if p is not None and not ev.negated]
    for ev, patient in pairs:
        yields = rules.types[ev.type].yields_to
        if not yields or patient is None or ev.negated or not ev.count or ev.count.get("value") != 1:
            continue
        key = _victim_key(patient)
        here = sents.get(patient.sent.start, -9)
        for other, op in strong:
            if other.type not in yields or other is ev or not other.count or other.count.get("value") != 1:
                continue
            if key and key & _victim_key(op):
                same = True
            else:
                same = patient.pos_ == "PRON" and abs(sents.get(op.sent.start, 99) - here) <= 1
            if same:
                if ev in events:
                    events.remove(ev)
                break


def renumber(events: list[Event]) -> list[Event]:
    """Give the events the ids e1, e2, ... in order."""
    return [ev if ev.id == f"e{i}" else with_changes(ev, id=f"e{i}") for i, ev in enumerate(events, 1)]


def link_duplicates(events: list[Event]) -> list[Event]:
    """Link each restatement of an earlier event (same type, count and place) with ``same_as``."""
    out: list[Event] = []
    for ev in events:
        same = None
        if ev.count is not None and not ev.negated:
            for prev in out:
                if (prev.type == ev.type and prev.count is not None and prev.count.get("value") == ev.count.get("value")
                        and prev.count.get("qualifier") == ev.count.get("qualifier") and _same_place(prev.place, ev.place)):
                    same = prev.same_as or prev.id
                    break
        out.append(with_changes(ev, same_as=same) if same else ev)
    return out


def _same_place(a: dict | None, b: dict | None) -> bool:
    if not a or not b:
        return True
    if a.get("admin1") and b.get("admin1"):
        return a["admin1"] == b["admin1"]
    return a.get("country") == b.get("country")
