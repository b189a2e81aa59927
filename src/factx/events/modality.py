"""Whether an event is asserted: negation, irrealis (wanted, planned, conditional), hedges, and sources."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..models import Span
from .context import Trigger
from .rules import Rules
from .syntax import ancestors, is_passive, span_of


def find_source(sent: SpacySpan, trig: Trigger, rules: Rules) -> Span | None:
    """Who reports the event: an ``according to`` phrase, or the subject of a reporting verb."""
    text_lower = sent.text.lower()
    for prep in rules.reporting_prepositions:
        pos = text_lower.find(prep)
        if pos >= 0:
            anchor = sent.char_span(sent.start_char + pos, sent.start_char + pos + len(prep), alignment_mode="expand")
            if anchor is not None:
                for t in anchor:
                    for c in t.children:
                        if c.dep_ == "pobj":
                            return span_of(c)
                    for c in t.rights:
                        for g in c.children:
                            if g.dep_ == "pobj":
                                return span_of(g)
    chain = [trig.token] + ancestors(trig.token)
    candidates = [t for t in chain if t.lemma_.lower() in rules.reporting_verbs and t.pos_ == "VERB"]
    if not candidates:
        # "X happened, the ministry said": the reporting verb may hang off the event clause.
        candidates = [t for t in sent if t.lemma_.lower() in rules.reporting_verbs and t.pos_ == "VERB"
                      and t.dep_ in ("ROOT", "parataxis", "ccomp", "advcl") and t != trig.token]
    for rv in candidates:
        subj = next((c for c in rv.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.pos_ != "PRON":
            return span_of(subj)
        if subj is not None:
            return Span(subj.text, subj.idx, subj.idx + len(subj.text))
    return None


def is_negated(trig: Trigger, patient: Token | None, rules: Rules) -> bool:
    """Whether the text says the event did not happen ("no arrests", "was not killed")."""
    tok = trig.token
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if trig.kind == "verb" and any(c.dep_ == "advmod" and c.lower_ in rules.near_miss_adverbs for c in tok.children):
        return True  # "the bullets nearly killed him": it did not happen
    if trig.kind == "noun" and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return True  # "no arrests have been made"
    if patient is not None:
        phrase = " ".join(t.lower_ for t in patient.subtree)
        if patient.lower_ in ("nobody", "none") or any(phrase.startswith(p) for p in rules.negated_patients):
            return True
        if any(c.dep_ == "det" and c.lower_ == "no" for c in patient.children):
            return True
    cur = tok
    while cur.head.i != cur.i:
        marked = any(c.dep_ == "mark" and c.lower_ in rules.uncertainty_complementizers for c in cur.children)
        cur = cur.head
        if marked and any(c.dep_ == "neg" for c in cur.children):
            return True  # "did not say whether charges have been brought"
    return False


def is_irrealis(trig: Trigger, rules: Rules) -> bool:
    """An event only wanted, threatened, allowed or demanded ("threatening to kill himself", "should be arrested")."""
    tok = trig.token
    if any(c.dep_ == "aux" and c.lower_ in rules.irrealis_modals for c in tok.children):
        return True
    if (trig.kind == "verb" and tok.dep_ == "conj" and tok.head.pos_ == "VERB"
            and not any(c.dep_ in ("aux", "nsubj", "nsubjpass") for c in tok.children)
            and any(c.dep_ == "aux" and c.lower_ in rules.irrealis_modals for c in tok.head.children)):
        return True  # "must be arrested and booked": the second verb shares the modal
    auxes = {c.lemma_.lower() for c in tok.children if c.dep_ == "aux"} | {
        c.lower_ for c in tok.children if c.dep_ == "aux"}
    if tok.tag_ == "VBN" and auxes & {"have", "'ve"} and "could" in auxes and not is_passive(tok):
        return True  # a counterfactual: "the government could have apprehended the violence"
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
        return True  # a condition: "if the administration arrested the sants"
    if auxes & {"may", "might", "could"} and not auxes & {"have", "'ve"}:
        return True  # a possibility still ahead: "may be arrested", "could kill hundreds"; "may have killed" is hedged
    if trig.kind == "noun":
        # "demanded the arrest of leaders", "calling for his arrest": the wanted event has not happened;
        # "we will effect preventive arrests", "powers to make arrests": neither has a planned or allowed one;
        # "may be put under house arrest", "the possibility of his arrest": nor a possible one.
        # "wanted in the death of", "sought in the shooting": other prepositions name a real event the verb is about.
        gov = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ in ("for", "under", "into", "of") else tok.head
        if tok.dep_ == "nsubj":
            # "a storm could hit the coast": only a modal makes its subject unreal ("the bombing caused chaos").
            return gov.pos_ in ("VERB", "AUX") and any(
                c.dep_ == "aux" and c.lower_ in rules.irrealis_modals for c in gov.children)
        if tok.dep_ not in ("dobj", "pobj", "conj", "nsubjpass"):
            return False
        # A noun above it makes it unreal only when it says so ("the threat of an attack"; not "the aim of the attacks").
        if gov.lemma_.lower() in (rules.irrealis_nouns if gov.pos_ in ("NOUN", "PROPN") else rules.irrealis_verbs):
            return True
        return gov.pos_ in ("VERB", "AUX") and gov.i != tok.i and is_irrealis(
            Trigger(trig.type, gov, gov.idx, gov.idx + len(gov.text), "verb"), rules)
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and any(c.dep_ == "aux" and c.lower_ in ("had", "were", "should") and c.i < subj.i
                                for c in tok.children) and not tok.sent.text.rstrip().endswith("?"):
        return True  # an inverted condition, not a question: "had Singhal been detained in Lucknow, ..."
    # A bare participle clause ("get the workers arrested") is as unrealized as the infinitive above it.
    bare_participle = (tok.tag_ == "VBN" and tok.dep_ in ("ccomp", "xcomp", "oprd")
                       and not any(c.dep_ in ("aux", "auxpass") for c in tok.children))
    if (tok.tag_ != "VB" and not bare_participle) or any(
            c.dep_ in ("neg", "aux") and c.lower_ in rules.hedge_words for c in tok.children):
        return False
    first = tok
    while first.dep_ == "conj" and first.head.tag_ == "VB":
        first = first.head
    if first.dep_ in ("advcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in first.children):
        return True  # a purpose or plan: "fired to harm or kill another person", "a plot to kill the mayor"
    for anc in ancestors(tok):
        lemma = anc.lemma_.lower()
        if lemma in rules.reporting_verbs:
            return False
        if lemma in rules.irrealis_verbs:
            return True
        if anc.tag_ == "VB" and anc.dep_ in ("acl", "advcl") and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in anc.children):
            return True  # "a conspiracy to get the activists arrested"
        # A passive infinitive ("to be discharged") continues the chain of infinitives up to the verb of wanting.
        if anc.tag_ != "VB" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in anc.children):
            return False
    return False


def is_generic(trig: Trigger, rules: Rules) -> bool:
    """An event in general, a planned one, or a statistic, rather than one that happened.

    "bombings are rare here", "frequent attacks", "floods often kill hundreds", "a planned strike", "the
    number of shootings", "attacks have increased".
    """
    tok = trig.token
    mods = {c.lower_ for c in tok.children if c.dep_ in ("amod", "advmod", "det", "predet", "npadvmod")}
    if mods & rules.generic_modifiers:
        return True
    if trig.kind == "verb":
        # A present-tense verb with a word of frequency tells of a habit: "floods often kill hundreds";
        # so does a present-tense verb of habit above it: "insurgents continue to ambush convoys".
        if tok.tag_ == "VB" and tok.head.tag_ in ("VBZ", "VBP") and tok.head.lemma_.lower() in rules.habitual_verbs:
            return True
        return (tok.tag_ in ("VBZ", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
                and any(t.lower_ in ("every", "each") for c in tok.children if c.dep_ == "npadvmod"
                        for t in c.subtree))
    if trig.kind != "noun":
        return False
    if mods & rules.planned_modifiers:
        return True
    counted = any(c.dep_ == "nummod" for c in tok.children)
    if not counted and tok.dep_ == "pobj" and tok.head.lower_ in ("of", "in"):
        head = tok.head.head
        if head.lemma_.lower() in rules.statistical_heads:
            return True  # "the murder rate", "a rise in shootings"
        if head.dep_ == "nsubj" and head.head.lemma_.lower() in rules.trend_verbs:
            return True  # "the number of shootings has fallen"
    bare = tok.tag_ == "NNS" and not counted and not any(c.dep_ in ("det", "poss") for c in tok.children)
    if bare and any(c.dep_ == "amod" and c.tag_ in ("JJR", "RBR") for c in tok.children):
        return True  # "longer jail sentences for extremists", "tougher penalties": a kind wanted, not one given
    if bare and tok.dep_ in ("nsubj", "nsubjpass"):
        verb = tok.head
        return verb.lemma_.lower() in rules.trend_verbs or (
            verb.tag_ in ("VBZ", "VBP") and verb.lemma_.lower() in rules.generic_verbs)
    return False


def is_hedged(trig: Trigger, rules: Rules) -> bool:
    """Whether the event is only alleged, suspected or believed."""
    tok = trig.token
    for c in tok.children:
        if c.dep_ in ("aux", "advmod") and c.lower_ in rules.hedge_words:
            return True
    for anc in ancestors(tok):
        if anc.lemma_.lower() in rules.reporting_verbs:
            break
        if anc.lemma_.lower() in rules.hedge_verbs:
            return True
    return False
