"""Reading the dependency parse: subjects, passives, antecedents, datelines and evidence spans."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..mentions.tokens import doc_text
from ..models import Event, Span
from .context import Trigger

PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}


# The place an adjective trigger is predicated of: "left one man dead", "was pronounced dead".
PREDICATIVE_DEPS = {"oprd", "ccomp", "xcomp", "acomp"}


FINITE_TAGS = {"VBD", "VBN", "VBZ", "VBP"}


DATELINE_DASHES = {"—", "–", "-", "--", "―"}


def _dateline_end(sent: SpacySpan) -> int:
    """The index of the first token after a leading dateline ("MANSFIELD (WCMH) —", "varanasi:"), else the start."""
    first = sent[0]
    if not first.is_alpha:
        return sent.start
    if first.text.isupper() and len(first.text) > 1:
        for t in sent[1:14]:
            if t.text in DATELINE_DASHES and (t.text != "-" or (t.doc[t.i - 1].whitespace_ and t.whitespace_)):
                return t.i + 1
    for t in sent[1:5]:
        # "varanasi:", "new delhi:" -- a place name and a colon, with no verb before it.
        if t.text == ":" and all(u.pos_ in ("PROPN", "NOUN", "ADJ") or u.is_punct for u in sent[:t.i - sent.start]):
            return t.i + 1
    return sent.start


def past_dateline(patient: Token | None, trig: Trigger) -> Token | None:
    """A dateline read as the subject ("MANSFIELD — Five teenagers were shot") gives way to the real subject."""
    if patient is None:
        return None
    end = _dateline_end(patient.sent)
    if patient.i >= end:
        return patient
    for t in patient.sent:
        if (t.i >= end and t.dep_ in ("nsubj", "nsubjpass", "appos") and t.pos_ in ("NOUN", "PROPN", "PRON", "NUM")
                and (t.head.i < end or t.head.i == trig.token.i or (t.i < trig.token.i and trig.token.is_ancestor(t)))):
            return t
    return patient


def in_span(start: int, end: int, tokens: Iterable[Token]) -> bool:
    """Whether the characters ``start:end`` overlap any of the tokens."""
    return any(t.idx < end and start < t.idx + len(t.text) for t in tokens)


def mention_at(mentions: Sequence[Any], token: Token) -> tuple[int, Any] | None:
    """The first mention (with its index) whose characters overlap the token, or None."""
    tstart, tend = token.idx, token.idx + len(token.text)
    for i, m in enumerate(mentions):
        if m.start < tend and tstart < m.end:
            return i, m
    return None


def antecedent_of(tok: Token, verb: Token) -> Token:
    """The noun a relative pronoun stands for: "two people who had been shot" -> people."""
    if tok.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        return verb.head
    return tok


def subject_of(tok: Token) -> Token | None:
    """The subject of a verb, looking through conjoined, participial and reduced clauses."""
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return antecedent_of(c, tok)
    if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return tok.head  # "a girl suffering from a gunshot wound"
    if (tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBD") and tok.head.pos_ in ("NOUN", "PROPN")
            and any(c.dep_ in ("dobj", "obj") for c in tok.children)):
        return tok.head  # "dharwad: police arrested 50 workers" parsed as police <- arrested
    if tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
        return subject_of(tok.head)
    if tok.dep_ in ("xcomp", "pcomp") and tok.head.pos_ == "VERB":
        return subject_of(tok.head)
    if (tok.dep_ == "pcomp" and tok.head.pos_ == "ADP" and tok.head.head.pos_ in ("VERB", "AUX")
            and any(c.dep_ == "auxpass" for c in tok.children)):
        return subject_of(tok.head.head)  # "a boy is in critical condition after being shot"
    if tok.dep_ == "dep" and tok.head.pos_ == "VERB" and tok.head.tag_ == "VBD":
        return subject_of(tok.head)  # "police sentries posted there killed one": a reduced relative read as the verb
    if tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.head.pos_ == "VERB":
        return subject_of(tok.head)  # "police opened fire, killing two": the participle shares the subject
    if tok.dep_ == "ROOT" and tok.tag_ in ("VBD", "VBZ", "VBP"):
        # "According to the Sheriff's Department, Damon Sochko, 16, of Morgantown, died": the name was read as
        # an apposition of the noun before it, and the verb was left without a subject.
        left = next((t for t in reversed(tok.doc[tok.sent.start:tok.i]) if not t.is_punct), None)
        while left is not None and left.dep_ != "appos" and left.head.i < tok.i and left.head.i != left.i:
            left = left.head
        if left is not None and left.dep_ == "appos" and left.pos_ in ("PROPN", "NOUN"):
            return left
    return None


def is_passive(tok: Token) -> bool:
    """Whether the verb is passive in form or in meaning (a reduced relative, a small clause)."""
    if any(c.dep_ in PASSIVE_SUBJECTS or c.dep_ == "auxpass" or c.dep_ == "agent" for c in tok.children):
        return True
    # A reduced relative ("a woman arrested by police", "11 babies rescued") is passive in meaning,
    # and so is a participle small clause ("found three people shot to death"); with a direct object it is
    # an active verb the parser hung off the noun before it ("dharwad: police arrested over 50 workers").
    if time_object(tok):
        return True
    if any(c.dep_ in ("dobj", "obj") for c in tok.children):
        return False
    if (tok.tag_ == "VBN" and tok.dep_ == "conj" and tok.head.pos_ == "VERB"
            and not any(c.dep_ in ("nsubj", "aux") for c in tok.children)):
        return is_passive(tok.head)  # "she was arrested and charged": the participle shares the passive
    if elided_passive(tok) or headline_passive(tok):
        return True
    if tok.tag_ == "VBD" and tok.dep_ == "acl" and not any(c.dep_ in ("nsubj", "aux") for c in tok.children):
        return True  # "one of the five men shot at a bowling alley": a participle the tagger took for a past tense
    return tok.tag_ == "VBN" and (tok.dep_ in ("acl", "amod") or small_clause(tok))


def small_clause(tok: Token) -> bool:
    """A bare participle predicated of an object ("found three people shot", "left four people injured")."""
    return (tok.tag_ == "VBN" and (tok.dep_ in PREDICATIVE_DEPS or (tok.dep_ == "advcl" and tok.head.lemma_ in
                                                                     RESULT_VERBS))
            and not any(c.dep_ in ("aux", "auxpass") for c in tok.children))


# Verbs whose object takes a participle that says what became of it: "left four people injured".
RESULT_VERBS = {"leave", "render"}


def headline_passive(tok: Token) -> bool:
    """A headline's participle with its auxiliary dropped: "Four people shot in Trenton", "Teen shot", "One killed"."""
    if tok.tag_ not in ("VBD", "VBN") or tok.dep_ not in ("ROOT", "ccomp", "conj"):
        return False
    # "Man shot at police", "Gunman fired on crowd": right after the verb these tell an active one's target;
    # further on ("killed in crash on I-75", "stabbed to death at bus stop") they tell where.
    if any(c.dep_ in ("aux", "auxpass", "dobj", "nsubjpass", "ccomp", "xcomp") or (c.dep_ == "prep" and c.lower_ in (
            "at", "into", "on", "toward", "towards") and c.i == tok.i + 1) for c in tok.children):
        return False
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    # A counted subject ("Four people", "One") or a bare one ("Teen", "Man") is headline style; "The gunman fired"
    # or "He shot" is not.
    # The first word of a headline is capitalized, and "Man" or "Teen" there is tagged as a name.
    bare = subj is not None and (subj.pos_ == "NOUN" or (
        subj.pos_ == "PROPN" and subj.i == subj.sent.start and not subj.ent_type_
        and all(t.pos_ == "ADV" for t in tok.doc[subj.i + 1:tok.i])))
    return subj is not None and (subj.like_num or any(c.dep_ == "nummod" for c in subj.children) or (
        bare and not any(c.dep_ in ("det", "poss") for c in subj.children)))


def age_set_off(noun: Token) -> bool:
    """A number set off by commas after the noun: its age ("Boy, 3, wounded", "Javier Ruiz, 34, was killed")."""
    after = noun.doc[noun.i + 1:noun.i + 4]
    return len(after) == 3 and after[0].text == "," and after[1].like_num and after[2].text == ","


def time_object(tok: Token) -> bool:
    """A participle whose only 'object' is a time, its subject what it happened to: "the four people killed
    Christmas Eve were identified", "two men shot Sunday night" (the parser reads an active verb)."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
    return (tok.tag_ in ("VBD", "VBN") and bool(objs) and all(o.ent_type_ in ("DATE", "TIME") for o in objs)
            and any(c.dep_ == "nsubj" for c in tok.children)
            and not any(c.dep_ in ("aux", "auxpass") for c in tok.children))


def elided_passive(tok: Token) -> bool:
    """A participle joined to a clause with its own subject and no auxiliary: "two were dead and four others
    injured" (were injured)."""
    return (tok.tag_ == "VBN" and tok.dep_ in ("conj", "relcl") and any(c.dep_ == "nsubj" and c.tag_ not in (
        "WDT", "WP") for c in tok.children) and not any(c.dep_ in ("aux", "auxpass", "dobj") for c in tok.children))


def conjuncts_of(tok: Token) -> list[Token]:
    """The token and the nouns coordinated with it."""
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            out.extend(conjuncts_of(c))
    return out


def span_of(tok: Token, *, trim: bool = True, conjuncts: bool = False) -> Span:
    """The evidence span of a noun phrase, without relative clauses and appositions."""
    drop = {"relcl", "appos", "punct", "acl", "advcl"} | (set() if conjuncts else {"cc", "conj"}) if trim else set()
    keep = [tok]
    for c in tok.children:
        if c.dep_ not in drop:
            keep.extend(c.subtree)
    start = min(t.idx for t in keep)
    last = max(keep, key=lambda t: t.idx)
    end = last.idx + len(last.text)
    return Span(text_at(tok.doc, start, end), start, end)


def text_at(doc: Doc, start: int, end: int) -> str:
    """The article text between two character offsets."""
    # Doc.text joins every token on each access; a token-aligned Span reads only its own tokens.
    span = doc.char_span(start, end)
    return span.text if span is not None else doc_text(doc)[start:end]


def ancestors(tok: Token) -> list[Token]:
    """The heads above a token, nearest first, up to the sentence root."""
    out = []
    cur = tok
    while cur.head.i != cur.i:
        cur = cur.head
        out.append(cur)
    return out


def negative_prefix(tok: Token) -> bool:
    """A modifier negated by a prefix or an adverb ("non-fatal", "not fatal") says the opposite of itself."""
    doc = tok.doc
    split = tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in ("non", "not")
    return split or tok.lower_.startswith("non") or any(c.lower_ in ("non", "not", "n't") for c in tok.children)


def non_restrictive(clause: Token) -> bool:
    """A relative clause set off by a comma adds a fact ("Ansari, who was arrested last month, ...")."""
    first = clause.left_edge
    return first.i > clause.sent.start and clause.doc[first.i - 1].text == ","


def with_changes(ev: Event, **changes: Any) -> Event:
    """A copy of the event with some fields changed."""
    from dataclasses import replace

    return replace(ev, **changes)


def clause_heads(trig: Trigger) -> list[Token]:
    """The words whose locative phrases place the event: the trigger, and the verb of a noun or adjective trigger
    or of a participle ("were found shot in their home", "a wave of shootings broke out in the north")."""
    tok = trig.token
    heads = [tok]
    cur = tok
    for _ in range(3):
        if cur.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd", "acomp", "xcomp", "ccomp", "conj", "amod",
                        "advcl") and cur.head.pos_ in ("VERB", "AUX", "NOUN"):
            cur = cur.head
        elif cur.dep_ == "pobj" and cur.head.head.pos_ in ("VERB", "AUX"):
            cur = cur.head.head  # "killed in an attack in Kabul"
        elif (cur.dep_ == "pobj" and cur.head.lower_ == "of" and cur.head.head.pos_ == "NOUN"
              and cur.head.head.dep_ in ("nsubj", "dobj") and cur.head.head.head.pos_ == "VERB"):
            cur = cur.head.head.head  # "a wave of shootings broke out in the north"
        else:
            break
        if cur.pos_ not in ("VERB", "AUX") or cur.lemma_.lower() in REPORTING_STOP:
            break
        heads.append(cur)
    return heads


REPORTING_STOP = {"say", "tell", "report", "add", "confirm", "announce"}
