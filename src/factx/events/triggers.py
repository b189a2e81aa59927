"""Find event triggers: single lemmas by part of speech, and multiword phrases with a Matcher."""

from __future__ import annotations

from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from .context import Trigger
from .rules import Rules
from .syntax import is_passive, subject_of

_MATCHERS: dict[tuple[int, int], tuple[Any, Rules, Matcher, frozenset[int]]] = {}


def _phrase_matcher(rules: Rules, vocab: Any) -> tuple[Matcher, frozenset[int]]:
    """The Matcher of multiword triggers, and the lemma hashes that every one of its patterns starts with."""
    cache_key = (id(vocab), id(rules))
    hit = _MATCHERS.get(cache_key)
    if hit is not None and hit[0] is vocab and hit[1] is rules:
        return hit[2], hit[3]
    matcher = Matcher(vocab)
    for key, (_, kind, parts) in rules.phrases.items():
        # The first word of a verb phrase is matched by lemma ("shot dead" -> shoot dead); the rest literally or by lemma.
        pattern = [{"LEMMA": parts[0]}] + [{"LOWER": p} if kind == "verb" else {"LEMMA": p} for p in parts[1:]]
        alt = [{"LEMMA": p} for p in parts]
        matcher.add(key, [pattern, alt])
    firsts = frozenset(vocab.strings.add(parts[0]) for _, _, parts in rules.phrases.values())
    _MATCHERS[cache_key] = (vocab, rules, matcher, firsts)
    return matcher, firsts


def find_triggers(doc: Doc | SpacySpan, rules: Rules) -> list[Trigger]:
    """Find event triggers (single lemmas and multiword phrases) in a Doc or sentence."""
    doc_obj = doc.doc if isinstance(doc, SpacySpan) else doc
    offset = doc.start if isinstance(doc, SpacySpan) else 0
    matcher, firsts = _phrase_matcher(rules, doc_obj.vocab)
    taken: set[int] = set()
    found: list[Trigger] = []
    span = doc if isinstance(doc, SpacySpan) else doc[:]
    # Every phrase starts with one of a few lemmas: a sentence with none of them is not worth the Matcher.
    matches = matcher(span) if not firsts.isdisjoint(t.lemma for t in span) else []
    for key, start, end in sorted(matches, key=lambda m: (m[1], -(m[2] - m[1]))):
        start, end = start + offset, end + offset
        if any(i in taken for i in range(start, end)):
            continue
        etype, kind, _ = rules.phrases[doc_obj.vocab.strings[key]]
        phrase = doc_obj[start:end]
        head = phrase.root
        found.append(Trigger(etype, head, phrase.start_char, phrase.end_char, kind))
        taken.update(range(start, end))
    for tok in span:
        if tok.i in taken:
            continue
        lemma = tok.lemma_.lower()
        etype = None
        kind = ""
        if tok.pos_ == "VERB" and lemma in rules.instrument_index and _wounding(tok, rules):
            etype, kind = rules.instrument_index[lemma], "verb"
        elif tok.pos_ == "VERB" and lemma in rules.verb_index:
            # A particle makes another verb ("held up", "held back"); phrasal triggers are matched above.
            if not any(c.dep_ == "prt" for c in tok.children):
                etype, kind = rules.verb_index[lemma], "verb"
        elif tok.pos_ in ("ADJ", "VERB") and tok.lower_ in rules.adj_index:
            etype, kind = rules.adj_index[tok.lower_], "adj"
        elif tok.pos_ == "NOUN" and lemma in rules.noun_index:
            etype, kind = rules.noun_index[lemma], "noun"
        if etype:
            found.append(Trigger(etype, tok, tok.idx, tok.idx + len(tok.text), kind))
    found.sort(key=lambda t: t.start)
    return found


def _wounding(tok: Token, rules: Rules) -> bool:
    """A verb of striking tells of a wound when a weapon strikes or a body part is hit ("a bullet struck her")."""
    subj = subject_of(tok)
    if subj is not None and not is_passive(tok) and subj.lemma_.lower() in rules.wound_instruments:
        return True
    for c in tok.children:
        objs = [g for g in c.children if g.dep_ == "pobj"]
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("by", "with")):
            if any(g.lemma_.lower() in rules.wound_instruments for g in objs):
                return True
        if c.dep_ == "prep" and c.lower_ in ("in", "on") and any(g.lemma_.lower() in rules.body_parts for g in objs):
            return True  # "was struck in the shoulder", "hitting him in the legs"
        if c.dep_ in ("dobj", "obj") and c.lemma_.lower() in rules.body_parts:
            return True  # "struck the knee of a girl"
    return False
