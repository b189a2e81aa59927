"""How many an event happened to: the number of its patient, a pronoun's antecedent, a retyped part."""

from __future__ import annotations

from typing import Any, Iterable

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..models import Event, NumberMention, Span
from .arguments import ONE_PRONOUNS, PLURAL_PRONOUNS
from .context import Context, Trigger
from .rules import EventType, Rules
from .syntax import age_set_off, conjuncts_of, headline_passive, mention_at, text_at, with_changes

SINGULAR_DETS = {"a", "an", "one", "another", "the", "this", "that", "each", "either"}


GROUP_WORDS = {"duo": 2, "pair": 2, "trio": 3, "quartet": 4}  # "the duo were arrested"


# An age ("a 17-year-old", "Robertson, 13,") describes one person; it never counts people.
AGE_UNITS = ("year-old", "year old", "years old", "month-old", "month old", "months old", "week-old", "day-old")


def _is_age(m: NumberMention, doc: Doc) -> bool:
    unit = (m.unit or "").lower()
    if any(a in unit for a in AGE_UNITS) or any(a in m.text.lower() for a in AGE_UNITS):
        return True
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    after = doc[span.end:span.end + 4].text.lower() if span is not None else ""
    if after.lstrip("- ").startswith(("year-old", "year old", "years old", "month-old", "months old")):
        return True
    # "Javarrie Robertson, 13, ..." : a bare number in apposition to a name is an age.
    return span is not None and span.root.dep_ in ("appos", "npadvmod") and span.root.head.pos_ == "PROPN"


def _number_in(tokens: Iterable[Token], ctx: Context) -> tuple[int, NumberMention] | None:
    for t in tokens:
        hit = mention_at(ctx.numbers, t)
        if hit is not None and hit[1].kind not in ("ordinal", "percent") and not _is_age(hit[1], ctx.doc):
            return hit
    return None


def _noun_phrase_unit(head: Token) -> str:
    parts = [c for c in head.lefts if c.dep_ in ("compound",) and c.pos_ in ("NOUN", "PROPN")]
    words = [t.text for t in parts] + [head.text]
    return " ".join(words)


def _one(tok: Token, start: int, unit: str | None) -> dict[str, Any]:
    end = tok.idx + len(tok.text)
    return {"value": 1, "qualifier": "exact", "unit": unit, "text": text_at(tok.doc, start, end), "start": start,
            "end": end, "ref": None}


NOT_NAMES = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}


def _single_count(patient: Token, ctx: Context) -> dict[str, Any] | None:
    """The count of one noun phrase: its number, else 1 for a singular person or thing."""
    if patient.lemma_.lower() == "total":
        # "a total of 47 miscreants": the total is the count of what it is a total of.
        of = [g for c in patient.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
              if g.dep_ == "pobj"]
        if of:
            return _single_count(of[0], ctx)
    if (age_set_off(patient) and patient.lemma_.lower() in ctx.rules.participants.get("person", ())
            and not any(c.dep_ in ("nummod", "det") and c.lower_ not in SINGULAR_DETS for c in patient.children)):
        return _one(patient, patient.idx, patient.text)  # "Boy, 3, wounded": one boy, aged three
    if patient.lower_ in GROUP_WORDS:
        end = patient.idx + len(patient.text)
        return {"value": GROUP_WORDS[patient.lower_], "qualifier": "exact", "unit": None, "text": patient.text,
                "start": patient.idx, "end": end, "ref": None}
    hit = mention_at(ctx.numbers, patient)
    if hit is not None and hit[1].kind not in ("ordinal", "percent") and not _is_age(hit[1], ctx.doc):
        return _count_record(hit, unit=hit[1].unit)
    premods = [t for t in patient.subtree if t.i < patient.i]
    hit = _number_in(premods, ctx)
    if hit is not None:
        return _count_record(hit, unit=_noun_phrase_unit(patient) if patient.pos_ in ("NOUN", "PROPN") else hit[1].unit)
    if patient.like_num and mention_at(ctx.numbers, patient) is None:
        from ..normalize.quantities import parse_number

        value = parse_number(patient.text)
        if value is not None:
            return {"value": value, "qualifier": "exact", "unit": None, "text": patient.text, "start": patient.idx,
                    "end": patient.idx + len(patient.text), "ref": None}
    if patient.pos_ == "PRON" and (patient.lower_ in ONE_PRONOUNS or patient.lower_ == "another"):
        return _one(patient, patient.idx, None)
    both = patient.lower_ == "both" or ((patient.lower_ in PLURAL_PRONOUNS or patient.tag_ == "NNS") and any(
        c.lower_ == "both" and c.dep_ in ("appos", "det", "advmod", "predet") for c in patient.children))
    if both and not any(c.dep_ == "prep" for c in patient.children):
        end = patient.idx + len(patient.text)
        return {"value": 2, "qualifier": "exact", "unit": None, "text": patient.text, "start": patient.idx,
                "end": end, "ref": None}
    # A name counts one person; an all-capitals word is a dateline ("PINETOWN -"), not a victim.
    # The tagger often takes a victim's name for a place or an organisation ("Knowles was pronounced dead").
    if (patient.pos_ == "PROPN" and patient.ent_type_ not in NOT_NAMES and not patient.text.isupper()):
        first = min(t.idx for t in patient.subtree if t.dep_ in ("compound", "flat") or t is patient)
        return _one(patient, first, None)
    if patient.tag_ in ("NN", "JJ") and patient.pos_ in ("NOUN", "ADJ", "PROPN"):
        det = next((c for c in patient.children if c.dep_ in ("det", "nummod", "poss")), None)
        if det is not None and (det.lower_ in SINGULAR_DETS or det.dep_ == "poss"):
            return _one(patient, det.idx, _noun_phrase_unit(patient) if patient.pos_ == "NOUN" else None)
        headline = (patient.dep_ == "nsubj" and headline_passive(patient.head)) or (
            # "Girl, 10, shot in face": the parser hangs the participle off the headline's noun.
            patient.dep_ == "ROOT" and any(c.dep_ == "acl" and c.tag_ == "VBN" for c in patient.children))
        if (det is None and patient.tag_ == "NN" and headline
                and patient.lemma_.lower() in ctx.rules.participants.get("person", ())):
            return _one(patient, patient.idx, patient.text)  # "Teen shot in Homestead": a headline's bare noun
    return None


def find_count(patient: Token | None, trig: Trigger, ctx: Context) -> dict[str, Any] | None:
    """The count of an event: from its patient, a number by its trigger, or the number it stands for."""
    tok = trig.token
    etype = ctx.rules.types[trig.type]
    if not etype.count_expected and etype.participants == "any":
        patient = None  # what an attack or a flood hit is no head count: "the bomber blew himself up"
    if patient is not None:
        members = conjuncts_of(patient)
        if len(members) > 1:
            # "Javarrie Robertson and his father were killed": one count for the coordinated victims.
            parts = [_single_count(m, ctx) for m in members]
            if parts[0] is not None and parts[0]["value"] == 1 and parts[0]["ref"] is None:
                # "a woman and toddler": the article of the first noun serves the bare singular ones after it.
                parts = [p if p is not None or m.tag_ != "NN" or any(c.dep_ == "det" for c in m.children)
                         else _one(m, m.idx, None) for p, m in zip(parts, members)]
            if (all(p is not None and p["qualifier"] == "exact" for p in parts) and parts[0]["ref"] is not None
                    and parts[0]["value"] == sum(p["value"] for p in parts[1:])):
                return parts[0]  # "Two of those men, A and B, died": the names spell out the two
            if all(p is not None and p["qualifier"] == "exact" for p in parts):
                start, end = parts[0]["start"], max(p["end"] for p in parts)
                return {"value": sum(p["value"] for p in parts), "qualifier": "exact", "unit": None,
                        "text": text_at(ctx.doc, start, end), "start": start, "end": end, "ref": None}
        rec = _single_count(patient, ctx)
        if rec is not None:
            return rec
    if trig.kind == "noun":
        near = [c for c in tok.children if c.dep_ in ("nummod", "quantmod")]
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.like_num:
            near.append(tok.head.head)  # "40 of these deaths"
        hit = _number_in(near, ctx)
        if hit is not None:
            return _count_record(hit, unit=hit[1].unit or tok.text)
    if trig.kind in ("adj", "verb") and patient is None:
        # "1 dead, 4 wounded": the number stands for the people.
        near = [c for c in tok.children if c.dep_ in ("npadvmod", "nsubj", "nsubjpass", "meta", "dobj")]
        if tok.i > 0:
            near.append(tok.doc[tok.i - 1])
        if tok.dep_ in ("acl", "amod") and tok.head.like_num:
            near.append(tok.head)
        hit = _number_in([t for t in near if t.like_num], ctx)
        if hit is not None:
            return _count_record(hit, unit=hit[1].unit)
    return None


def _count_record(hit: tuple[int, NumberMention], *, unit: str | None) -> dict[str, Any]:
    i, m = hit
    rec = {"value": m.value, "qualifier": m.qualifier, "unit": unit or m.unit, "text": m.text, "start": m.start,
           "end": m.end, "ref": f"numbers[{i}]"}
    if m.qualifier == "range":
        rec["low"], rec["high"] = m.low, m.high
    return rec


def elliptic_part(trig: Trigger, etype: EventType, ev: Event, ctx: Context) -> tuple[Event, Token] | None:
    """The part of the victims a trailing phrase retypes: "six people were shot, two fatally" -> a kill of two."""
    retype = dict(etype.retype)
    tok = trig.token
    # The phrase may be hung off the next verb up ("where six people were shot, two fatally, ...").
    trailing = [t for t in tok.sent if t.i > tok.i and t.dep_ == "npadvmod" and t.doc[t.i - 1].text == ","]
    for c in list(tok.children) + trailing[:1]:
        # "six people were shot, two fatally", "four were shot, one man fatally"
        number = c if c.like_num else next((n for n in c.children if n.dep_ == "nummod" and n.like_num), None)
        if c.dep_ not in ("npadvmod", "appos", "conj", "dep") or number is None or ev.negated:
            continue
        adv = next((a for a in c.children if a.dep_ == "advmod" and a.lower_ in retype), None)
        if adv is None:
            continue
        hit = _number_in([number], ctx)
        if hit is not None:
            count = _count_record(hit, unit=None)
        else:
            from ..normalize.quantities import parse_number

            value = parse_number(number.text)
            if value is None:
                continue
            count = {"value": value, "qualifier": "exact", "unit": None, "text": number.text, "start": number.idx,
                     "end": number.idx + len(number.text), "ref": None}
        words = [c] + [t for g in c.children if g.dep_ == "prep" and g.lower_ == "of" for t in g.subtree]
        last = max(words, key=lambda t: t.i)
        patient = Span(text_at(c.doc, c.idx, last.idx + len(last.text)), c.idx, last.idx + len(last.text))
        start, end = adv.idx, adv.idx + len(adv.text)
        part = with_changes(ev, id=f"e{ev.id[1:]}b", type=retype[adv.lower_], trigger=Span(adv.text, start, end),
                        count=count, patient=patient, same_as=None)
        return part, number  # the number stands for part of the people told of
    return None


def anaphoric_count(pron: Token, etype: EventType, events: list[Event], prev_sent: SpacySpan | None,
                     rules: Rules) -> dict[str, Any] | None:
    """The count a plural pronoun takes over from the people just told of ("Two men were shot. They died.").

    The antecedent is the last counted, asserted event of people in this sentence or the one before. When
    the new event is one that an earlier event yields to (a death after a shooting), the earlier one is dropped;
    when it is one that yields to the earlier one ("A woman and a toddler died after they were shot"), it is
    told already and its count is marked ``{"yields": True}`` for the caller to drop it.
    """
    start = prev_sent.start_char if prev_sent is not None else pron.sent.start_char
    for prev in reversed(events):
        if prev.sentence["start"] < start:
            break
        if prev.negated or not prev.count or prev.trigger.start >= pron.idx:
            continue
        value = prev.count.get("value")
        if not isinstance(value, (int, float)) or value < 2 or rules.types[prev.type].participants != etype.participants:
            continue
        if etype.name in rules.types[prev.type].yields_to:
            events.remove(prev)
        if prev.type in etype.yields_to:
            return {"yields": True}
        return dict(prev.count)
    return None
