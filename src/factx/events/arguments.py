"""Who an event happened to (patient) and who did it (agent), from the dependency parse."""

from __future__ import annotations

from spacy.tokens import Token

from ..models import Span
from .context import Trigger
from .rules import EventType, Rules
from .syntax import (
    FINITE_TAGS,
    PASSIVE_SUBJECTS,
    PREDICATIVE_DEPS,
    age_set_off,
    ancestors,
    antecedent_of,
    conjuncts_of,
    elided_passive,
    headline_passive,
    is_passive,
    negative_prefix,
    non_restrictive,
    small_clause,
    span_of,
    subject_of,
    time_object,
)

ONE_PRONOUNS = {"he", "she", "him", "her", "his", "himself", "herself"}


PLURAL_PRONOUNS = {"they", "them", "both"}


BODY_REGIONS = {"side", "part", "front", "back", "half", "rest"}  # "the right side of his body"


PARTITIVE_HEADS = {"percent", "cent", "%", "some", "many", "most", "all", "half", "majority", "none", "dozens",
                   "scores", "hundreds", "thousands", "number", "lot", "rest", "one", "each", "several", "few",
                   "total", "handful", "couple", "pair", "dozen"}


THING_PRONOUNS = {"it", "itself", "this", "that", "which", "what", "something", "anything", "everything"}


CAUSE_PREPOSITIONS = {"in", "by", "during", "after", "due", "to", "from", "following", "because", "owing"}


def owner_of_body_part(patient: Token | None, rules: Rules) -> Token | None:
    """Who a wounded body part belongs to: "struck the knee of an 11-year-old girl" -> girl."""
    if patient is None or patient.lemma_.lower() not in rules.body_parts:
        return patient
    for c in patient.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            return next((g for g in c.children if g.dep_ == "pobj"), patient)
    return patient


def aged_person(patient: Token | None) -> Token | None:
    """The person an age stands for: "Boy, 3, wounded in shooting" -> Boy, not three people."""
    if patient is None or not patient.like_num or patient.i < 2:
        return patient
    noun = patient.doc[patient.i - 2]
    if age_set_off(noun) and noun.pos_ in ("NOUN", "PROPN", "INTJ") and noun.tag_ in ("NN", "NNP", "UH") \
            and noun.is_alpha:
        return noun
    return patient


def find_patient(trig: Trigger, etype: EventType) -> Token | None:
    """The token an event happened to: object, passive subject, possessor or bearer, by trigger kind."""
    tok = trig.token
    if trig.kind == "noun":
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    # "the crash of 1987", "the floods of last June": a time, not what it happened to;
                    # "in the custody of the magistrate": who holds, not who is held.
                    if (g.dep_ == "pobj" and (g.ent_type_ not in ("DATE", "TIME") or g.lower_ == "old")
                            and tok.lemma_.lower() not in etype.of_holder):  # "the death of a 12-year-old"
                        return g
        possessors = [c for c in tok.children if c.dep_ == "poss" and c.tag_ != "WP$"]
        if tok.dep_ == "pobj" and (tok.head.lower_ in ("in", "on", "to", "into", "through", "across") or (
                tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in BODY_REGIONS)):
            possessors = []  # "shot in his upper body", "the right side of his body": where the wound is
        # "his arrest in Dubai", "Wilder's death"; "his or her body" is anyone's, no one's in particular.
        if (len(possessors) == 1 and (possessors[0].pos_ == "PROPN" or possessors[0].lower_ in ONE_PRONOUNS)
                and not any(c.dep_ in ("conj", "cc") for c in possessors[0].children)):
            return possessors[0]
        if tok.head.lemma_.lower() in etype.light_verbs:
            return subject_of(tok.head)
        if tok.head.dep_ == "prep" and tok.head.head.lemma_.lower() in etype.light_verbs:
            # "suffering from a gunshot wound", "is in custody"; "keep Ansari in custody": the object.
            verb = tok.head.head
            obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
            return obj if obj is not None else subject_of(verb)
        if tok.dep_ == "pobj" and tok.head.lower_ == "with":
            return _bearer(tok.head.head)  # "a man with a gunshot wound", "three others are in hospital with wounds"
        if (tok.dep_ == "pobj" and tok.head.lower_ in ("in", "under") and tok.head.head.pos_ in ("NOUN", "PROPN")
                and tok.head.head.lemma_.lower() not in etype.nouns):  # "deaths in custody": no participant
            return tok.head.head  # "a suspect in custody"
        if etype.patient == "subject":
            # "a bus accident", "a building collapse", "a student protest": the noun before it is who or what it
            # happened to, as the subject of the verb would be ("the bus crashed").
            return next((c for c in tok.children if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN")
                         and not trig.start <= c.idx < trig.end), None)
        return None
    if trig.kind == "adj":
        if tok.dep_ in PREDICATIVE_DEPS and tok.head.pos_ == "VERB":
            obj = next((c for c in tok.head.children if c.dep_ in ("dobj", "obj")), None)
            if obj is not None:
                return obj
        if tok.dep_ in ("acomp", "oprd") or tok.dep_ == "ROOT":
            subj = subject_of(tok.head if tok.dep_ != "ROOT" else tok)
            if subj is not None:
                return subj
            if tok.head.dep_ == "acl" and tok.head.head.pos_ in ("NOUN", "PROPN"):
                return tok.head.head  # "two people found dead"
        if tok.dep_ in ("amod",):
            return tok.head
        return None
    if ((tok.dep_ in PREDICATIVE_DEPS or small_clause(tok)) and tok.tag_ == "VBN" and tok.head.pos_ == "VERB"
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)):
        obj = next((c for c in tok.head.children if c.dep_ in ("dobj", "obj")), None)
        if obj is not None:
            return obj  # "found three people shot to death"
    passive = is_passive(tok)
    if passive:
        auxpass = [c for c in tok.children if c.dep_ == "auxpass"]
        for c in tok.children:
            if c.dep_ in PASSIVE_SUBJECTS or (c.dep_ == "nsubj" and (
                    small_clause(tok) or auxpass or elided_passive(tok) or headline_passive(tok) or time_object(tok))):
                return antecedent_of(c, tok)
        if auxpass and auxpass[0].lower_ == "being" and tok.dep_ in ("xcomp", "advcl", "acl", "conj"):
            # "the city seethed with two persons being killed in police firing": the absolute phrase's noun,
            # parsed as the object of "with", is what the participle is predicated of.
            withs = [t for t in tok.sent if t.i < auxpass[0].i and t.dep_ == "pobj" and t.head.lower_ == "with"]
            if withs and not any(t.pos_ in ("VERB", "AUX") and t.dep_ != "prep"
                                 for t in tok.doc[withs[-1].i + 1:auxpass[0].i]):
                return withs[-1]
        for aux in auxpass:  # "workers were on Wednesday taken into custody": the subject hangs off "were"
            subj = next((c for c in aux.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                return subj
        if auxpass and tok.dep_ in ("ccomp", "conj") and tok.head.pos_ == "VERB":
            # "15 workers trying to enforce the bandh were arrested": the subject was taken by the participle.
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.i < auxpass[0].i and tok.head.tag_ == "VBG":
                return subj
        if auxpass and tok.dep_ == "pcomp" and tok.head.head.pos_ in ("VERB", "AUX"):
            # "a man is fighting for his life after being shot": the clause's subject was shot.
            subj = subject_of(tok.head.head)
            if subj is not None:
                return subj
        if tok.dep_ in ("acl", "amod"):
            return tok.head
        if tok.dep_ == "conj":
            if tok.head.pos_ == "VERB" and not is_passive(tok.head):
                # "the leaders left the office and were arrested": the conjuncts share the subject, not the object.
                return subject_of(tok.head)
            return find_patient(Trigger(trig.type, tok.head, 0, 0, "verb"), etype)
        if small_clause(tok) and tok.head.pos_ == "VERB":
            # "a man was found shot to death": the small clause is predicated of the passive subject.
            return next((antecedent_of(c, tok.head) for c in tok.head.children if c.dep_ in PASSIVE_SUBJECTS), None)
        return None
    intransitive = etype.patient == "subject" or (
        etype.patient == "subject_if_intransitive" and tok.lemma_.lower() in etype.intransitive)
    if intransitive:
        return subject_of(tok)
    for c in tok.children:
        if c.dep_ in ("dobj", "obj"):
            return c
    for c in tok.children:
        if c.dep_ == "ccomp" and c.tag_ in ("VBN", "VBD") and not any(g.dep_ == "aux" for g in c.children):
            subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
            if subj is not None:
                return subj  # "rounded up 1,740 activists headed for the city": the object read as a clause subject
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ == "VERB":
            for g in c.children:
                if g.dep_ == "dobj":
                    return g  # "buying and selling infants"
    return None


def _bearer(head: Token) -> Token | None:
    """Who has what a "with" phrase names: the noun it modifies, else the object or subject of its verb."""
    if head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        if head.dep_ == "pobj" and head.head.head.pos_ in ("VERB", "AUX"):
            return _bearer(head.head.head)  # "three others are in the hospital with gunshot wounds"
        return head
    if head.pos_ in ("VERB", "AUX"):
        obj = next((c for c in head.children if c.dep_ in ("dobj", "obj")), None)
        return obj if obj is not None else subject_of(head)
    return None


def by_authority(verb: Token, rules: Rules) -> bool:
    """Whether the police or another authority did it: "the duo were arrested by a police team".

    What the police arrest, detain or shoot is people, whatever noun names them ("the duo", "miscreants").
    """
    authority = rules.participants.get("authority", frozenset())
    doers = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not is_passive(verb):
        subj = subject_of(verb)
        doers += [subj] if subj is not None else []
    for d in doers:
        names = {d.lemma_.lower(), d.lower_} | {c.lower_ for c in d.children if c.dep_ == "compound"}
        if names & authority or any(g.lemma_.lower() in authority for g in d.subtree if g.dep_ == "pobj"):
            return True  # "a team comprising personnel of the police"
    return False


def indefinite_or_bare(tok: Token | None, rules: Rules) -> bool:
    """A noun introduced by "a"/"one" or by nothing (a name, in lower-case text), that names no event.

    "police arrested one mohammad shahid", "police killed a ram bhakt"; not "helped to arrest the situation"
    or "apprehends reprisal killings".
    """
    if tok is None or tok.pos_ not in ("NOUN", "PROPN") or tok.lemma_.lower() in rules.noun_index:
        return False
    dets = [c.lower_ for c in tok.children if c.dep_ in ("det", "nummod", "poss")]
    return all(d in ("a", "an", "one", "another") for d in dets)


def named_person(verb: Token, patient: Token | None, etype: EventType, rules: Rules) -> bool:
    """For a verb of many senses, a patient that is surely a person, in a clause of the event's own sense.

    "two held for murder" is a detention; "meetings were held", "they held him responsible" are not.
    """
    if patient is None or any(c.dep_ in ("oprd", "acomp", "xcomp", "ccomp") for c in verb.children):
        return False
    if verb.tag_ == "VBG":
        return False  # "holding a meeting", "a member holding the post": the gerund is nearly always another sense
    if any(c.dep_ == "amod" and c.i > patient.i for c in patient.children):
        return False  # "held the officials responsible": an adjective after the noun is its predicate
    if patient.pos_ == "PROPN" and patient.ent_type_ in ("PERSON", ""):
        return True
    if patient.pos_ == "PRON":
        return patient.lower_ in ONE_PRONOUNS or patient.lower_ in ("them", "him", "her")
    # Only the hand-made list: WordNet's people include "proxy" and "holder", as in "the shares held by Rada".
    words = rules.core_participants.get(etype.participants, frozenset())
    return patient.lemma_.lower() in words or patient.lower_ in words


def _bare_name(tok: Token, rules: Rules) -> bool:
    """A bare noun that a passive clause says the authorities acted on: a name the tagger took for a common noun.

    "siddiqui was picked up by police": a singular count noun without a determiner is not English unless it
    names someone.
    """
    if tok.pos_ != "NOUN" or tok.dep_ != "nsubjpass" or not tok.is_alpha:
        return False
    if any(c.dep_ in ("det", "poss", "nummod", "amod", "compound") for c in tok.children):
        return False
    authority = rules.participants.get("authority", frozenset())
    doers = [g for c in tok.head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return any(g.lemma_.lower() in authority or g.lower_ in authority for g in doers)


def age_apposed(tok: Token) -> bool:
    """A name followed by an age ("Kionn Lamothe, 25,") names a person, whatever the entity tagger said."""
    return any(c.dep_ == "appos" and c.like_num for c in tok.children)


def participant_ok(patient: Token | None, etype: EventType, rules: Rules) -> bool:
    """Whether the patient is of the kind the event type happens to (people, things, groups)."""
    if patient is None or etype.participants in ("any", "thing"):
        return True
    if patient.pos_ == "PRON" and patient.lower_ in THING_PRONOUNS:
        return False  # "it will be held at the church"
    if etype.participants == "person" and (
            patient.pos_ in ("PRON", "PROPN", "NUM") or patient.ent_type_ in ("PERSON", "NORP", "ORG")):
        return True
    if patient.pos_ in ("PRON", "NUM") or (patient.pos_ == "PROPN" and patient.ent_type_ in rules.participant_entities.get(
            etype.participants, ("",))):
        return True  # "the Rana Plaza collapse", "its acquisition of Widget Corp"; not "the London collapse"
    words = rules.participants.get(etype.participants, frozenset())
    suffixes = rules.participant_suffixes.get(etype.participants, ())
    for tok in conjuncts_of(patient):  # "150 BJP and VHP workers": any conjunct may name the people
        lemma = tok.lemma_.lower()
        if lemma in words or tok.lower_ in words or lemma.split("-")[-1] in words:
            return True
        # Agent nouns ("rumour mongers", "activists") name people even when no list has them.
        if tok.pos_ == "NOUN" and len(lemma) > 4 and lemma.endswith(suffixes):
            return True
    if _bare_name(patient, rules):
        return True
    part_of = [g for c in patient.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
               if g.dep_ == "pobj"]
    if part_of and patient.lemma_.lower() in PARTITIVE_HEADS:
        return participant_ok(part_of[0], etype, rules)  # "25 per cent of them", "some of the victims"
    # For an event that happens to people, a counted noun is people: "17 ramsevaks were arrested".
    # "two more who were injured", "four others": counted, and of the people told of.
    return (etype.participants == "person" and (patient.tag_ == "NNS" or patient.lemma_.lower() in ("more", "other"))
            and any(c.dep_ == "nummod" for c in patient.children)
            and patient.lemma_.lower() not in rules.noun_index)  # "1,000 shootings" counts events, not people


def find_agent(trig: Trigger, patient: Token | None, rules: Rules) -> Span | None:
    """Who did it: the cause's doer, the passive agent, or the active subject."""
    tok = trig.token
    cause = _agent_of_cause(tok, rules)
    if cause is None and trig.kind in ("verb", "adj"):
        # "four were killed and five injured when police opened fire": the cause clause may hang off either conjunct.
        conjuncts = [c for c in tok.children if c.dep_ == "conj"] + ([tok.head] if tok.dep_ == "conj" else [])
        # "one was killed and six others injured when police fired": the second clause may be parsed as a noun.
        conjuncts += [a for c in conjuncts if c.pos_ == "NOUN" for a in c.children if a.dep_ == "acl"]
        for other in conjuncts:
            cause = _agent_of_cause(other, rules)
            if cause is not None:
                break
    if cause is not None:
        return cause
    if trig.kind == "verb":
        for c in tok.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return span_of(g)
        if not is_passive(tok):
            subj = subject_of(tok)
            if subj is not None and subj.lemma_.lower() in rules.wound_instruments:
                # "a bullet struck her" names no doer; "police fired 40 rounds, killing two" names the shooter.
                shooter = subject_of(subj.head) if subj.dep_ in ("dobj", "obj") else None
                if shooter is not None and shooter.lemma_.lower() in rules.wound_instruments:
                    shooter = None
                subj = shooter
            if subj is not None and subj != patient and subj.pos_ != "PRON":
                return span_of(subj)
    if trig.kind == "noun" and tok.head.pos_ == "VERB":
        for c in tok.head.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return span_of(g)
    if trig.kind == "noun":
        # "40 of these deaths took place due to police firing": the cause hangs off the clause of the noun.
        verb = next((a for a in ancestors(tok) if a.pos_ in ("VERB", "AUX")), None)
        if verb is not None and verb.lemma_.lower() not in rules.reporting_verbs:
            return _agent_of_cause(verb, rules)
    return None


def _agent_of_cause(tok: Token, rules: Rules) -> Span | None:
    """The doer named in the cause: "killed in police firing", "died in an army raid" -> police, army."""
    for c in tok.children:
        # "77 deaths due to police firing": "due" and "owing" are read as adjectives of the noun.
        if (c.dep_ not in ("prep", "agent") and not (c.dep_ == "amod" and c.lower_ in ("due", "owing"))
                or c.lower_ not in CAUSE_PREPOSITIONS):
            continue
        objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
        # "died due to police firing", "succumbed to the police firing": the cause sits one preposition down.
        objs += [h for g in c.children if g.dep_ == "prep" for h in g.children if h.dep_ in ("pobj", "pcomp")]
        # "the police firing in which one person was killed": the relative pronoun stands for the firing.
        objs = [_relative_antecedent(tok, rules) if g.tag_ in ("WDT", "WP") and tok.dep_ == "relcl" else g
                for g in objs]
        for g in objs:
            nxt = g.doc[g.i + 1] if g.i + 1 < len(g.doc) else None
            if (g.pos_ in ("NOUN", "PROPN") and nxt is not None and nxt.lower_ in rules.agentive_causes
                    and nxt.lower_ != g.lower_):
                return Span(g.text, g.idx, g.idx + len(g.text))  # "in police firing" with the compound torn apart
            if any(a.dep_ == "acl" and a.lemma_.lower() in rules.agentive_causes for a in g.children):
                return Span(g.text, g.idx, g.idx + len(g.text))  # "killed in police firing" parsed as police <- firing
            if g.lemma_.lower() in rules.agentive_causes:
                subj = next((a for a in g.children if a.dep_ == "nsubj" and a.pos_ in ("NOUN", "PROPN")), None)
                if g.pos_ == "VERB" and subj is not None:
                    return span_of(subj)  # "in police firing" parsed as a clause: police <- firing
                found = _doer_of(g)
                if found is not None:
                    return found
    for c in tok.children:
        # "three died when the police resorted to firing": the doer of the cause clause.
        if c.dep_ == "advcl" and any(m.dep_ in ("mark", "advmod") and m.lower_ in ("when", "after", "as")
                                     for m in c.children):
            near = [c] + [g for g in c.children] + [h for g in c.children for h in g.children]
            if any(t.lemma_.lower() in rules.agentive_causes for t in near):
                subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
                if subj is not None and subj.pos_ != "PRON":
                    # "after VHP activists and the police clashed": every party to the clash is a doer.
                    return span_of(subj, conjuncts=True)
    head = None
    if tok.dep_ in PREDICATIVE_DEPS and tok.head.pos_ == "VERB":
        head = tok.head
    elif tok.dep_ == "amod" and tok.head.dep_ in ("dobj", "obj") and tok.head.head.pos_ == "VERB":
        head = tok.head.head  # "left one dead" with "dead" read as the number's adjective
    if head is not None:
        # "the police firing that left one dead": the subject of "left" is the cause.
        subj = subject_of(head) or (head.head if head.dep_ == "relcl" else None)
        causes = conjuncts_of(subj) if subj is not None else []
        rel = next((c for c in head.children if c.tag_ in ("WDT", "WP")), None) if head.dep_ == "relcl" else None
        if rel is not None and rel.i > 0:
            causes.append(rel.doc[rel.i - 1])  # "the police firing that left one dead", the clause hung elsewhere
        for cause in causes:
            if cause.lemma_.lower() in rules.agentive_causes:
                return _doer_of(cause)
            nxt = cause.doc[cause.i + 1] if cause.i + 1 < len(cause.doc) else None
            if cause.pos_ in ("NOUN", "PROPN") and nxt is not None and nxt.lower_ in rules.agentive_causes:
                return Span(cause.text, cause.idx, cause.idx + len(cause.text))  # "police firing" torn apart
    return None


def _relative_antecedent(clause: Token, rules: Rules) -> Token:
    """What "in which" stands for: the nearest cause the relative clause may hang under.

    "the police firing on its activists at Taldih in which one person was killed": the clause is parsed
    under Taldih, but a place is no cause, so the firing above it is taken.
    """
    head = clause.head
    for cand in [head] + ancestors(head)[:4]:
        if cand.lemma_.lower() in rules.agentive_causes:
            if cand.dep_ == "acl" and cand.head.pos_ in ("NOUN", "PROPN"):
                return cand.head  # "police firing" parsed as police <- firing
            return cand
        if any(a.dep_ == "acl" and a.lemma_.lower() in rules.agentive_causes for a in cand.children):
            return cand
    return head


def _doer_of(cause: Token) -> Span | None:
    """The doer inside a cause noun: "police firing", "firing by the police", "the army's raid"."""
    for m in cause.children:
        if m.dep_ in ("compound", "poss", "amod", "nmod") and m.pos_ in ("NOUN", "PROPN"):
            return span_of(m)
    for m in cause.children:
        if m.dep_ == "prep" and m.lower_ == "by":
            for g in m.children:
                if g.dep_ == "pobj":
                    return span_of(g)
    return None


def told_of_people(trig: Trigger, patient: Token | None, etype: EventType) -> bool:
    """A clause that tells of people it happened to, without a number ("the protesters were arrested").

    A reduced relative ("the people arrested") or a gerund ("selling babies") only names the event again.
    """
    tok = trig.token
    if trig.kind == "noun":
        # "the arrest of terrorists": the people are named, if not counted.
        of_people = patient is not None and patient.tag_ == "NNS" and etype.participants == "person"
        return of_people or _plural_event_noun(tok, etype)
    # "the people who were arrested" names them again; "a shooting in which several people were injured" tells.
    restrictive = (tok.dep_ == "relcl" and not non_restrictive(tok)
                   and (patient is None or patient.i == tok.head.i or patient.tag_ in ("WP", "WDT")))
    return (trig.kind == "verb" and patient is not None and etype.participants not in ("any", "thing")
            and tok.tag_ in FINITE_TAGS and tok.dep_ not in ("acl", "amod") and not restrictive
            and not (tok.tag_ == "VBN" and not is_passive(tok) and not any(c.dep_ == "aux" for c in tok.children)))


def _plural_event_noun(tok: Token, etype: EventType) -> bool:
    """A plural event noun tells of events that happened to people ("the arrests followed", "preventive arrests").

    "the other arrests" only points back at the rest of a total told before.
    """
    return (tok.tag_ == "NNS" and etype.participants == "person"
            and not any(c.lower_ in ("other", "such") for c in tok.children if c.dep_ in ("amod", "det")))


def victim_type(trig: Trigger, patient: Token | None, etype: EventType, rules: Rules) -> str | None:
    """The type an event noun takes when it names a person it happened to ("the shooting of a girl": an injury;
    "the fatal shooting of a teen": a death), or None."""
    if not etype.victim_retype or trig.kind != "noun" or patient is None:
        return None
    if not participant_ok(patient, EventType(name="", participants="person"), rules):
        return None
    mods = {c.lower_ for c in trig.token.children if c.dep_ in ("amod", "advmod") and not negative_prefix(c)}
    table = dict(etype.victim_retype)
    return next((t for m, t in table.items() if m and m in mods), table.get(""))
