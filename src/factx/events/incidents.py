"""Relations between events: stronger types replace weaker ones, restatements are linked with ``same_as``, and
the events of one happening form an incident."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Token

from ..models import Event, Incident
from .anchors import SPECIFICITY
from .context import Trigger
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
            if other_patient.i == patient.i or patient in _own_words(other_patient) or other_patient in _own_words(
                    patient):
                if ev in events:
                    events.remove(ev)
                break


def _own_words(tok: Token) -> list[Token]:
    """A noun phrase without the phrases joined to it: "two people" of "two people and two more"."""
    joined = [t for c in tok.children if c.dep_ in ("conj", "cc") for t in c.subtree]
    return [t for t in tok.subtree if t not in joined]


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
            if (patient is not None and (op in patient.subtree or _included(op, patient))) or _part_of_those_told(op):
                count = dict(ev.count, value=n - m, total=n)
                new = with_changes(ev, count=count)
                events[events.index(ev)] = new
                sent_events[k] = (new, patient)
                break


def _included(tok: Token, patient: Token) -> bool:
    """ "Five people were shot, including two men who were killed": the two are among the five."""
    return (tok.dep_ == "pobj" and tok.head.lower_ in ("including", "among")
            and tok.head.head.i in (patient.i, patient.head.i))


def _part_of_those_told(tok: Token) -> bool:
    """A bare number or "two of whom/them" stands for part of the people just told of."""
    # "four were shot, one fatally, at the park": a place or time hung on the number does not make it others.
    if tok.pos_ == "NUM" and tok.like_num and not any(
            c.dep_ == "prep" and c.lower_ not in ("of", "at", "in", "on", "near", "outside", "inside")
            for c in tok.children):
        of = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        return not of or all(g.lower_ in ("whom", "them", "those", "these") for g in of)
    return False


def _victim_key(patient: Token) -> set[str]:
    """Words that identify one victim across sentences: the names in the phrase, else its head noun."""
    names = {t.lower_ for t in patient.subtree if t.pos_ == "PROPN" and t.ent_type_ in ("PERSON", "")}
    return names or ({patient.lemma_.lower()} if patient.pos_ == "NOUN" else set())


def drop_yielding_victims(doc: Doc, events: list[Event], pairs: list[tuple[Event, Token | None]],
                           rules: Rules, earlier: dict[int, list[dict[str, Any]]] | None = None) -> None:
    """Drop an injury of one victim whom the article also reports dead ("The boy was shot ... the boy died").

    ``earlier`` collects the own dates of the dropped injuries, by the trigger offset of the death that stays.

    The victim is the same when the names (or the head noun) agree, or, for a pronoun, when a single
    death is told in the same or the next sentence.
    """
    sents = {s.start: k for k, s in enumerate(doc.sents)}
    strong = [(ev, p) for ev, p in pairs if p is not None and not ev.negated]
    for ev, patient in pairs:
        yields = rules.types[ev.type].yields_to
        if not yields or patient is None or ev.negated or not ev.count or ev.count.get("value") != 1:
            continue
        if any(t.lower_ in rules.additive_cues or t.lower_ in ORDINALS for t in patient.subtree):
            continue  # "another man was shot": someone else than the dead
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
                    if ev.date and ev.date.get("origin") in _OWN and earlier is not None:
                        # "She was shot on Dec. 12 ... she died on Monday": the death keeps its own day, and the
                        # shooting's day is where the happening began.
                        earlier.setdefault(other.trigger.start, []).append(ev.date)
                break


def renumber(events: list[Event], links: dict[str, str] | None = None) -> tuple[list[Event], dict[str, str]]:
    """Give the events the ids e1, e2, ... in order; ``links`` (id -> id) is renamed to match."""
    new_ids = {ev.id: f"e{i}" for i, ev in enumerate(events, 1)}
    out = [ev if ev.id == new_ids[ev.id] else with_changes(ev, id=new_ids[ev.id]) for ev in events]
    return out, {new_ids[k]: new_ids[v] for k, v in (links or {}).items() if k in new_ids and v in new_ids}


DEFINITE = {"the", "this", "that", "these", "those"}


def restated(trig: Trigger, events: list[Event], rules: Rules) -> Event | None:
    """The earlier event that a definite event noun refers back to ("the attack", "Saturday's bombing"), or None."""
    tok = trig.token
    if trig.kind != "noun" or any(c.dep_ == "nummod" for c in tok.children):
        return None
    definite = any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in DEFINITE) for c in tok.children)
    heading = not any(t.pos_ in ("VERB", "AUX") for t in tok.sent)  # "==The attack==", "2014 Kabul bombing*"
    if not (definite or heading):
        return None
    family = rules.types[trig.type].family
    return next((e for e in reversed(events) if not e.negated and e.type in rules.types
                 and rules.types[e.type].family == family), None)


def merely_mentioned(trig: Trigger, rules: Rules) -> bool:
    """A restatement under a word of reference tells nothing new: "involved in the attack", "condemned the bombing"."""
    if any(c.dep_ in ("relcl", "acl") for c in trig.token.children):
        return False  # "a response to the attacks that have taken place": the clause tells it again
    head = trig.token.head
    words = {head.lemma_.lower(), head.lower_}
    if head.dep_ in ("prep", "agent"):
        words |= {head.head.lemma_.lower(), head.head.lower_}
    return bool(words & rules.reference_heads)


def link_duplicates(events: list[Event], restatements: dict[str, str] | None = None) -> list[Event]:
    """Link each restatement of an earlier event with ``same_as``: the same type, count and place, or a
    definite noun that refers back to it (``restatements``: event id -> the id of the event it restates)."""
    out: list[Event] = []
    restatements = restatements or {}
    for ev in events:
        same = restatements.get(ev.id)
        if same is None and ev.count is not None and not ev.negated:
            for prev in out:
                if (prev.type == ev.type and prev.count is not None and prev.count.get("value") == ev.count.get("value")
                        and prev.count.get("qualifier") == ev.count.get("qualifier") and _same_place(prev.place, ev.place)):
                    same = prev.same_as or prev.id
                    break
        elif same is not None:
            first = next((p for p in out if p.id == same), None)
            same = (first.same_as or first.id) if first is not None else None
        out.append(with_changes(ev, same_as=same) if same else ev)
    return out


def _same_place(a: dict | None, b: dict | None) -> bool:
    if not a or not b:
        return True
    if a.get("admin1") and b.get("admin1"):
        return a["admin1"] == b["admin1"]
    return a.get("country") == b.get("country")


ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
            "tenth": 10, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10}
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def assign_incidents(events: list[Event], rules: Rules, text: str) -> list[Event]:
    """Give each asserted event the id of the article's incident it is part of ("i1", "i2", ...).

    Events are read in order; an event joins the latest incident whose family it can join and whose own
    place and date do not contradict its own, unless its sentence says it tells of another happening
    ("in a separate incident", "last year"). A restatement joins the incident of the event it restates.
    Negated events are part of no incident.
    """
    incidents: list[_Open] = []
    by_event: dict[str, _Open] = {}
    out: list[Event] = []
    for ev in events:
        if ev.negated:
            out.append(ev)
            continue
        family = family_of(ev.type, rules)
        inc = by_event.get(ev.same_as or "")
        if inc is None and not _tells_another(ev, rules, text):
            inc = next((c for c in reversed(incidents) if c.accepts(ev, family, rules)), None)
        if inc is None:
            inc = _Open(f"i{len(incidents) + 1}")
            incidents.append(inc)
        inc.add(ev, family)
        by_event[ev.id] = inc
        out.append(with_changes(ev, incident=inc.id))
    return out


def summarize_incidents(events: list[Event], rules: Rules) -> list[Incident]:
    """The article's incidents, from events that carry incident ids: types, place, date and counts by type."""
    members: dict[str, list[Event]] = {}
    for ev in events:
        if ev.incident:
            members.setdefault(ev.incident, []).append(ev)
    out = []
    for iid, evs in members.items():
        types = sorted(dict.fromkeys(e.type for e in evs),
                       key=lambda t: (_FAMILY_RANK.get(rules.types[t].family if t in rules.types else "", 9),
                                      [e.type for e in evs].index(t)))
        out.append(Incident(id=iid, types=types, place=_incident_place(evs), date=_incident_date(evs),
                            counts=_counts(evs, rules), events=[e.id for e in evs]))
    return out


# The family that names a happening comes first in an incident's types; its dead and wounded, then what
# followed (arrests, rescues), after it.
_FAMILY_RANK = {"violence": 0, "disaster": 0, "accident": 0, "protest": 0, "abduction": 0, "crime": 1, "business": 1,
                "politics": 1, "casualty": 2, "relief": 3, "justice": 4}
_OWN = ("clause", "sentence")


def family_of(etype: str, rules: Rules) -> str:
    """The family of an event type ("other" for a type the inventory does not hold)."""
    return rules.types[etype].family if etype in rules.types else "other"


def families_join(families: set[str], family: str, rules: Rules) -> bool:
    """Whether an event of ``family`` can be part of a happening whose events are of ``families``."""
    joins = rules.families.get(family, frozenset({family}))
    return any(f in joins or family in rules.families.get(f, frozenset({f})) for f in families)


@dataclass(slots=True)
class _Open:
    """An incident being built: its families and the first own place and date of its events."""

    id: str
    families: set[str] = field(default_factory=set)
    place: dict[str, Any] | None = None
    date: dict[str, Any] | None = None

    def accepts(self, ev: Event, family: str, rules: Rules) -> bool:
        if not families_join(self.families, family, rules):
            return False
        return not _places_differ(self.place, _own(ev.place)) and not _dates_differ(self.date, _own(ev.date))

    def add(self, ev: Event, family: str) -> None:
        self.families.add(family)
        self.place = self.place or _own(ev.place)
        self.date = self.date or _own(ev.date)


def _own(anchor: dict[str, Any] | None) -> dict[str, Any] | None:
    """A place or date the event's own sentence gives, not one borrowed from elsewhere in the article."""
    return anchor if anchor and anchor.get("origin") in _OWN else None


def _places_differ(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if not a or not b or not a.get("country") or not b.get("country"):
        return False  # a landmark not yet placed in a town contradicts no town
    if a.get("country") != b.get("country"):
        return True
    if a.get("admin1") and b.get("admin1") and a["admin1"] != b["admin1"]:
        return True
    fine = ("city", "admin2", "landmark")
    return a.get("kind") in fine and b.get("kind") in fine and a.get("name") != b.get("name")


def _dates_differ(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if not a or not b:
        return False
    va, vb = a.get("value") or "", b.get("value") or ""
    if len(va) >= 10 and len(vb) >= 10 and va[:4].isdigit() and vb[:4].isdigit():
        try:
            return abs((dt.date.fromisoformat(va[:10]) - dt.date.fromisoformat(vb[:10])).days) > 1
        except ValueError:
            return False
    n = min(len(va), len(vb), 7)
    return n >= 4 and va[:n] != vb[:n]


def _tells_another(ev: Event, rules: Rules, text: str) -> bool:
    """Whether the event's sentence says it tells of another happening than the one before."""
    sent = text[ev.sentence.get("start", 0):ev.sentence.get("end", 0)].lower()
    # "Last month, a doctor was sentenced ...": a sentence that opens on another time tells another story.
    return (any(cue in sent for cue in rules.incident_breaks) or sent.lstrip().startswith(rules.incident_openers)
            or _under_link_label(ev.sentence.get("start", 0), text, rules))


LINK_HEADLINE_CHARS = 200


def _under_link_label(start: int, text: str, rules: Rules) -> bool:
    """Whether a sentence is one of the headlines listed under "RELATED:" or "ALSO:" (other stories' links)."""
    window = text[max(0, start - 20 * LINK_HEADLINE_CHARS):start]
    lines = window.split("\n")
    if lines and lines[-1].strip():
        return False  # the sentence goes on a line of running text
    for line in reversed(lines[:-1] if len(lines) > 1 else []):
        label = line.strip().lower().rstrip(":").strip()
        if not label:
            continue
        if label in rules.link_labels:
            return True
        if len(line) > LINK_HEADLINE_CHARS:
            return False  # a paragraph of the story comes first
    return False


def _incident_place(evs: list[Event]) -> dict[str, Any] | None:
    # The text's own words first: a headline's offsets point into the title.
    places = [e.place for e in evs if e.place and e.part == "text"] or [e.place for e in evs if e.place]
    own = [p for p in places if p.get("origin") in _OWN]
    pool = own or places
    if not pool:
        return None
    return max(pool, key=lambda p: (SPECIFICITY.get(p.get("kind") or "", 0), -pool.index(p)))


def _incident_date(evs: list[Event]) -> dict[str, Any] | None:
    dates = [e.date for e in evs if e.date and e.part == "text"] or [e.date for e in evs if e.date]
    own = [d for d in dates if d.get("origin") in _OWN]
    return (own or dates or [None])[0]


def _counts(evs: list[Event], rules: Rules) -> dict[str, dict[str, Any]]:
    """Reconciled counts by type: the largest figure, raised by the victims the text adds to it.

    "three killed" then "a fourth victim died" is 4; "two others were also wounded" adds 2; a restatement
    ("the three dead") is not counted again.
    """
    out: dict[str, dict[str, Any]] = {}
    for ev in evs:
        value = (ev.count or {}).get("value")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        cur = out.get(ev.type)
        words = WORD.findall(" ".join(x.text.lower() for x in (ev.patient, ev.trigger) if x is not None)
                             + " " + str((ev.count or {}).get("text") or "").lower())
        ordinal = max((ORDINALS[w] for w in words if w in ORDINALS), default=0)
        qualifier = (ev.count or {}).get("qualifier", "exact")
        if cur is None:
            total, qual = max(value, ordinal), qualifier
        elif ev.same_as:
            total, qual = max(cur["value"], value), cur["qualifier"]
        elif ordinal:
            total, qual = max(cur["value"], ordinal), cur["qualifier"]
        elif any(w in rules.additive_cues for w in words):
            total = cur["value"] + value
            qual = cur["qualifier"] if qualifier == "exact" else qualifier
        elif value > cur["value"]:
            total, qual = value, qualifier
        else:
            total, qual = cur["value"], cur["qualifier"]
        events = (cur["events"] if cur else []) + [ev.id]
        out[ev.type] = {"value": total, "qualifier": qual, "events": events}
    for kind, count in list(out.items()):
        if kind in rules.types and (stronger := [t for t in rules.types[kind].yields_to if t in out]):
            out[kind] = _survivors(count, [e for e in evs if e.type == kind], out[stronger[0]]["value"], rules)
    return out


def _survivors(count: dict[str, Any], evs: list[Event], dead: float, rules: Rules) -> dict[str, Any]:
    """The hurt who lived, when the dead are told apart: "a man was shot ... he died" is one killed, none hurt.

    A figure of those hit ("shot", "stabbed") holds the ones who died of it; one of those hurt ("wounded",
    "in stable condition") or of others ("another man was shot") does not. Only figures of the first kind
    make the dead of the incident come off; ``total`` keeps the figure of those hit.
    """
    hit, hurt = [], []
    for ev in evs:
        value = (ev.count or {}).get("value")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        words = set(WORD.findall(" ".join(x.text.lower() for x in (ev.patient, ev.trigger) if x is not None)))
        told_apart = "total" in (ev.count or {}) or words & rules.additive_cues
        (hurt if told_apart or not words & rules.hit_words else hit).append(ev)
    if hurt:
        if not hit:
            return count
        return _counts(hurt, rules)[hurt[0].type] | {"events": count["events"]}
    if not hit:
        return count
    return dict(count, value=max(0, count["value"] - dead), total=count["value"])
