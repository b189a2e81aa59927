"""Find event triggers: single lemmas by part of speech, and multiword phrases looked up by their first lemma."""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from .context import Trigger
from .rules import EventType, Rules
from .syntax import is_passive, negative_prefix, subject_of

_PHRASES: dict[int, tuple[Rules, dict[str, list[tuple[str, str, tuple[str, ...]]]]]] = {}


def _phrase_index(rules: Rules) -> dict[str, list[tuple[str, str, tuple[str, ...]]]]:
    """The multiword triggers by their first lemma: (key, kind, words) of each."""
    hit = _PHRASES.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]
    index: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
    for key, (_, kind, parts) in rules.phrases.items():
        index.setdefault(parts[0], []).append((key, kind, tuple(parts)))
    _PHRASES[id(rules)] = (rules, index)
    return index


def _phrase_matches(span: SpacySpan, rules: Rules) -> list[tuple[str, int, int]]:
    """Every multiword trigger in the span as (key, start, end): its first word by lemma, the others by lemma, or
    for a verb phrase by their form ("shot dead" -> shoot dead)."""
    index = _phrase_index(rules)
    doc, end = span.doc, span.end
    out = []
    for tok in span:
        for key, kind, parts in index.get(tok.lemma_, ()):
            n = len(parts)
            if tok.i + n <= end and all(
                    (t := doc[tok.i + j]).lemma_ == parts[j] or (kind == "verb" and t.lower_ == parts[j])
                    for j in range(1, n)):
                out.append((key, tok.i, tok.i + n))
    return out


def find_triggers(doc: Doc | SpacySpan, rules: Rules) -> list[Trigger]:
    """Find event triggers (single lemmas and multiword phrases) in a Doc or sentence."""
    doc_obj = doc.doc if isinstance(doc, SpacySpan) else doc
    taken: set[int] = set()
    found: list[Trigger] = []
    span = doc if isinstance(doc, SpacySpan) else doc[:]
    for key, start, end in sorted(_phrase_matches(span, rules), key=lambda m: (m[1], -(m[2] - m[1]))):
        if any(i in taken for i in range(start, end)):
            continue
        etype, kind, _ = rules.phrases[key]
        phrase = doc_obj[start:end]
        head = phrase.root
        if kind == "verb":
            # "shot and killed a man": the last verb of the phrase takes the object.
            head = next((t for t in reversed(phrase) if t.pos_ == "VERB"), head)
        taken.update(range(start, end))
        if _fits(head, rules.types[etype], kind, rules, inside=range(start, end)):
            found.append(Trigger(etype, head, phrase.start_char, phrase.end_char, kind))
    for tok in span:
        if tok.i in taken:
            continue
        etype, kind, end = _single(tok, rules)
        if etype and _fits(tok, rules.types[etype], kind, rules):
            found.append(Trigger(etype, tok, tok.idx, end, kind))
    found.sort(key=lambda t: t.start)
    return found


def _single(tok: Token, rules: Rules) -> tuple[str | None, str, int]:
    """The event type, trigger kind and end offset of a trigger headed by one word, or (None, "", 0)."""
    lemma = tok.lemma_.lower()
    end = tok.idx + len(tok.text)
    if (tok.tag_ == "VBG" and any(c.dep_ in ("det", "poss") for c in tok.children)
            and not any(c.dep_ in ("dobj", "nsubj") for c in tok.children)):
        # A gerund with an article is a noun the tagger took for a verb: "a drive-by shooting".
        etype = rules.noun_index.get(tok.lower_)
        if etype:
            return etype, "noun", end
    if tok.pos_ == "VERB":
        if lemma in rules.instrument_index and _wounding(tok, rules):
            return rules.instrument_index[lemma], "verb", end
        prt = next((c for c in tok.children if c.dep_ == "prt"), None)
        if prt is not None:
            # A particle makes another verb ("held up", "held back"); one apart from its verb ("blew himself
            # up") is looked up with it.
            return rules.particle_verbs.get(f"{lemma} {prt.lower_}"), "verb", end
        # A verb and its object tell the event, with words between them: "claimed the nine lives".
        for obj in (c for c in tok.children if c.dep_ == "dobj"):
            etype = rules.verb_objects.get(f"{lemma} {obj.lemma_.lower()}") or rules.verb_objects.get(
                f"{lemma} {obj.lower_}")
            if etype:
                return etype, "verb", max(end, obj.idx + len(obj.text))
        # The inflected form finds a trigger the tagger gave a wrong lemma ("fined" -> "fin").
        etype = rules.verb_index.get(lemma) or rules.verb_index.get(rules.forms.get("verb", {}).get(tok.lower_, ""))
        if etype:
            return etype, "verb", end
    if tok.pos_ in ("ADJ", "VERB") and tok.lower_ in rules.adj_index:
        return rules.adj_index[tok.lower_], "adj", end
    if tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.ent_type_ in ("", "EVENT")) or _storm_name(tok, rules):
        etype = rules.noun_index.get(lemma) or rules.noun_index.get(rules.forms.get("noun", {}).get(tok.lower_, ""))
        if etype:
            return etype, "noun", end
    return None, "", 0


def _storm_name(tok: Token, rules: Rules) -> bool:
    """The first word of a disaster's name: "Hurricane Katrina", "Typhoon Haiyan", "Cyclone Idai"."""
    etype = rules.noun_index.get(tok.lemma_.lower())
    return (tok.pos_ == "PROPN" and tok.dep_ == "compound" and tok.head.pos_ == "PROPN" and etype is not None
            and rules.types[etype].family == "disaster")


def _fits(tok: Token, etype: EventType, kind: str, rules: Rules, *, inside: range = range(0)) -> bool:
    """Whether a trigger word is used in its event sense here.

    A noun that only modifies another noun names a kind of thing, not a happening ("fire department",
    "murder rate", "bomb squad"), unless the other noun is where or to whom it happened ("crash site",
    "flood victims") or itself a trigger, which then carries the event ("bomb blast": one blast).
    Words beside the trigger may give it another sense ("a storm of criticism", "a landslide victory").
    """
    if kind == "noun" and tok.dep_ in ("compound", "amod", "nmod") and tok.head.pos_ in ("NOUN", "PROPN"):
        if tok.head.lemma_.lower() not in rules.occurrence_heads and not _storm_name(tok, rules):
            return False
    doc = tok.doc
    if (kind == "noun" and tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and not tok.whitespace_
            and doc[tok.i + 2].is_alpha and doc[tok.i + 2].lower_ not in rules.aftermath_words):
        return False  # "hurricane-tracking satellite", "fire-fighting gear"; but "flood-hit", "quake-stricken"
    if kind in ("verb", "adj") and tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 2].whitespace_:
        return False  # "a privately-held company", "state-owned": part of a modifier, not a happening
    if etype.of_is_metaphor and any(
            g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME") and not g.like_num
            and g.lemma_.lower() not in rules.measure_words
            for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children):
        return False  # "a flood of imports", "a storm of criticism"; not "the floods of 1993"
    if etype.exclude_heads and {tok.head.lower_, tok.head.lemma_.lower()} & set(etype.exclude_heads):
        return False  # "awaiting trial on charges": the grounds of something else, not a charging
    if not (etype.exclude_with or etype.requires_with or etype.exclude_word_with or etype.requires_word_with):
        return True
    near = context_words(tok, inside=inside)
    if near & set(etype.exclude_with):
        return False
    lemma = tok.lemma_.lower()
    if any(word in (lemma, tok.lower_) and near & set(others) for word, others in etype.exclude_word_with):
        return False  # "critical of his leadership" is no injury
    if any(word in (lemma, tok.lower_) and not near & set(others) for word, others in etype.requires_word_with):
        return False  # "a body was found"; not "regulatory bodies"
    return not etype.requires_with or bool(near & set(etype.requires_with))


def context_words(tok: Token, *, inside: range = range(0)) -> set[str]:
    """The lemmas around a trigger that decide its sense: its head (through a preposition), its modifiers and
    arguments, and the objects of its prepositions."""
    words = set()
    for t in (tok.head, tok.head.head if tok.dep_ == "pobj" else tok.head):
        if t.i != tok.i and t.i not in inside:
            words |= {t.lemma_.lower(), t.lower_}
    for c in tok.children:
        if c.i in inside:
            continue
        words |= {c.lemma_.lower(), c.lower_}
        words |= {g.lemma_.lower() for g in c.children if g.dep_ in ("pobj", "compound", "amod")}
    return words


def retyped(trig: Trigger, rules: Rules) -> Trigger:
    """The trigger with the type its modifiers make of it ("fatally shot": a kill; "bomb blast": a bombing)."""
    etype = rules.types[trig.type]
    if not etype.retype:
        return trig
    tok = trig.token
    words = {c.lower_ for c in tok.children if c.dep_ in ("advmod", "amod", "npadvmod") and not negative_prefix(c)}
    # "shooting five people to death", "stabbed his wife to death": the result phrase changes the event.
    words |= {f"{c.lower_} {g.lower_}" for c in tok.children if c.dep_ == "prep" for g in c.children
              if g.dep_ == "pobj"}
    # "suicide car bomb attack", "a bomb exploded", "a bomber blew himself up": what the event is done with.
    nouns = [c for c in tok.children if c.dep_ in ("compound", "nmod", "amod")]
    if trig.kind == "verb":
        nouns += [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        words |= {c.lower_ for c in tok.children if c.dep_ == "dobj"}  # "blew himself up"
    for n in nouns:
        words |= {t.lemma_.lower() for t in n.subtree if t.i <= n.i and t.dep_ in ("compound", "amod", "nmod")
                  or t.i == n.i}
    new_type = next((t for m, t in etype.retype if m in words), None)
    if new_type is None:
        return trig
    return Trigger(new_type, trig.token, trig.start, trig.end, trig.kind)


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
