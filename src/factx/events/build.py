"""Build event records: triggers, then arguments, counts, modality and anchors, then relations between events."""

from __future__ import annotations

from typing import Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..mentions.tokens import doc_text
from ..models import (
    DateMention,
    Event,
    Focus,
    MoneyMention,
    NumberMention,
    PlaceMention,
    Span,
)
from .anchors import document_city, fill_anchors, money_for, place_for
from .arguments import (
    PLURAL_PRONOUNS,
    aged_person,
    by_authority,
    find_agent,
    find_patient,
    indefinite_or_bare,
    named_person,
    owner_of_body_part,
    participant_ok,
    told_of_people,
    victim_type,
)
from .context import Context, Trigger
from .counts import anaphoric_count, elliptic_part, find_count
from .dates import date_for, document_date
from .incidents import (
    assign_incidents,
    drop_yielding,
    drop_yielding_victims,
    link_duplicates,
    merely_mentioned,
    renumber,
    restated,
    take_out_the_dead,
)
from .modality import find_source, is_generic, is_hedged, is_irrealis, is_negated
from .rules import EventType, Rules, load_rules
from .syntax import is_passive, past_dateline, span_of, text_at, with_changes
from .triggers import find_triggers, retyped


def _confidence(count: dict | None, place: dict | None, date: dict | None, patient: Token | None) -> float:
    score = 0.4
    if count is not None:
        score += 0.25 if count.get("ref") else 0.15
    if patient is not None:
        score += 0.1
    if place is not None and place.get("origin") == "sentence":
        score += 0.1
    if date is not None and date.get("origin") == "sentence":
        score += 0.1
    return round(min(score, 0.95), 2)


def build_events(doc: Doc, *, numbers: Sequence[NumberMention], money: Sequence[MoneyMention],
                 dates: Sequence[DateMention], places: Sequence[PlaceMention], focus: Focus,
                 published: str | None, rules: Rules | None = None) -> list[Event]:
    """Build event records from a parsed Doc and its normalized mentions.

    An event is kept when it has a count, money, a negation, a clause that tells of the people it
    happened to ("the protesters were arrested"), or is of a type that needs no count
    (``count_expected: false``); a bare restatement ("the people arrested") adds nothing and is dropped.
    Wanted or demanded events ("threatened to kill", "should be arrested") are not events; an injury
    gives way to a death of the same victim; a restatement of an earlier event gets ``same_as``.

    Example:
        >>> events = build_events(doc, numbers=nums, money=[], dates=[], places=[], focus=Focus(), published=None)
        >>> [(e.type, e.count["value"]) for e in events]
        [('arrest', 27)]
    """
    rules = rules or load_rules()
    ctx = Context(doc, numbers, money, dates, places, focus, published, rules)
    ctx.doc_date = document_date(ctx)
    sent_triggers = [(sent, find_triggers(sent, rules)) for sent in doc.sents]
    ctx.doc_city = document_city(ctx)
    events: list[Event] = []
    made = 0  # events made so far: ids stay unique while some are dropped, until ``renumber``
    restatements: dict[str, str] = {}
    doc_events: list[tuple[Event, Token | None]] = []
    prev_pairs: list[tuple[Event, Token | None]] = []
    prev_sent: SpacySpan | None = None
    for sent, triggers in sent_triggers:
        sent_events: list[tuple[Event, Token | None]] = []
        for trig in triggers:
            trig = retyped(trig, rules)
            etype = rules.types[trig.type]
            trigger_span = trig
            if trig.kind == "noun" and trig.token.dep_ in ("dobj", "attr") and trig.token.head.lemma_.lower() in etype.light_verbs:
                # "received a suspended death sentence", "suffered minor injuries": the verb and its noun tell the event.
                lv = trig.token.head
                trigger_span = Trigger(trig.type, trig.token, min(lv.idx, trig.start), max(lv.idx + len(lv.text), trig.end),
                                       "noun")
            if is_irrealis(trig, rules) or is_generic(trig, rules):
                continue
            patient = aged_person(owner_of_body_part(past_dateline(find_patient(trig, etype), trig), rules))
            victim = victim_type(trig, patient, etype, rules)
            if victim is not None:
                # "the shooting of a nine-year-old girl": she was shot; "the fatal shooting of a teen": he died.
                trig = Trigger(victim, trig.token, trig.start, trig.end, trig.kind)
                etype = rules.types[victim]
            if not participant_ok(patient, etype, rules) and not (
                    trig.kind == "verb" and etype.participants == "person" and by_authority(trig.token, rules)
                    and (is_passive(trig.token) or indefinite_or_bare(patient, rules))):
                continue
            if trig.kind == "verb" and trig.token.lemma_.lower() in etype.strict_verbs and not named_person(
                    trig.token, patient, etype, rules):
                continue
            count = find_count(patient, trig, ctx)
            negated = is_negated(trig, patient, rules)
            if count is None and not negated and patient is not None and patient.lower_ in PLURAL_PRONOUNS:
                count = anaphoric_count(patient, etype, events, prev_sent, rules)
                if count is not None and count.get("yields"):
                    continue
            money_list = money_for(trig, sent, ctx) if etype.money else []
            if count is None and money_list and not negated and _is_price(etype, events, sent, rules):
                # "They paid 20,000 yuan for the child": the price of the purchase just told, not a new event.
                events[-1] = with_changes(events[-1], money=money_list)
                continue
            agent = find_agent(trig, patient, rules)
            # "the people killed in police firing": a restatement that names the doer still tells something.
            named_doer = agent is not None and patient is not None and trig.kind == "verb"
            if (count is None and not money_list and not negated and etype.count_expected and not named_doer
                    and not told_of_people(trig, patient, etype)):
                continue
            earlier = restated(trig, events, rules)
            if earlier is not None and (merely_mentioned(trig, rules) or not any(
                    t.pos_ in ("VERB", "AUX") for t in sent)):
                continue  # "involved in the attack", a heading or a list item: named again, not told again
            place = place_for(trig, sent, ctx)
            date = date_for(trig, sent, ctx)
            source = find_source(sent, trig, rules)
            modality = "hedged" if is_hedged(trig, rules) else ("reported" if source is not None else "asserted")
            made += 1
            ev = Event(
                id=f"e{made}",
                type=etype.name,
                trigger=Span(text_at(doc, trigger_span.start, trigger_span.end), trigger_span.start, trigger_span.end),
                count=count,
                agent=agent,
                patient=span_of(patient) if patient is not None else None,
                place=place,
                date=date,
                money=money_list,
                negated=negated,
                modality=modality,
                source=source,
                sentence={"start": sent.start_char, "end": sent.end_char},
                confidence=_confidence(count, place, date, patient),
            )
            events.append(ev)
            sent_events.append((ev, patient))
            if earlier is not None:
                restatements[ev.id] = earlier.id
            part = elliptic_part(trig, etype, ev, ctx)
            if part is not None:
                events.append(part[0])
                sent_events.append(part)
        drop_yielding(events, sent_events, rules)
        # "Four people were shot. Two of them died.": the dead may be part of those shot in the sentence before.
        pairs = prev_pairs + sent_events
        take_out_the_dead(events, pairs, rules)
        del doc_events[len(doc_events) - len(prev_pairs):]
        doc_events.extend(pair for pair in pairs if pair[0] in events)
        prev_pairs = [pair for pair in pairs[len(prev_pairs):] if pair[0] in events]
        prev_sent = sent
    drop_yielding_victims(doc, events, doc_events, rules, ctx.earlier_dates)
    events, restatements = renumber(events, restatements)
    return fill_anchors(assign_incidents(link_duplicates(events, restatements), rules, doc_text(doc)), ctx)


def _is_price(etype: EventType, events: list[Event], sent: SpacySpan, rules: Rules) -> bool:
    if not etype.price_of or not events:
        return False
    last = events[-1]
    text = doc_text(sent.doc)
    # The priced event must be told just before: in this sentence or in the one before it.
    between = text[last.sentence["end"]:sent.start_char]
    return last.type in etype.price_of and not last.money and (last.sentence["start"] == sent.start_char or (
        "\n\n" not in between and len(between.strip()) == 0))
