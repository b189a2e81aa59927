"""The rule layer: trigger words and the dependency parse turn mentions into event records.

Event types, trigger lemmas, the nouns that count as participants, reporting verbs, hedge and
negation cues all come from ``data/events.json`` (plus any ``--rules`` files), never from code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span as SpacySpan, Token

from .errors import RulesError
from .mentions.tokens import doc_text
from .models import DateMention, Event, Focus, MoneyMention, NumberMention, PlaceMention, Span

SPECIFICITY = {"landmark": 5, "city": 4, "admin2": 3, "admin1": 2, "region": 1, "country": 1}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
SINGULAR_DETS = {"a", "an", "one", "another", "the", "this", "that", "each", "either"}
ONE_PRONOUNS = {"he", "she", "him", "her", "his", "himself", "herself"}
PLURAL_PRONOUNS = {"they", "them", "both"}
BODY_REGIONS = {"side", "part", "front", "back", "half", "rest"}  # "the right side of his body"
GROUP_WORDS = {"duo": 2, "pair": 2, "trio": 3, "quartet": 4}  # "the duo were arrested"
PARTITIVE_HEADS = {"percent", "cent", "%", "some", "many", "most", "all", "half", "majority", "none", "dozens",
                   "scores", "hundreds", "thousands", "number", "lot", "rest", "one", "each", "several", "few"}
THING_PRONOUNS = {"it", "itself", "this", "that", "which", "what", "something", "anything", "everything"}
TIME_ONLY = re.compile(r"(?:(?:at|about|around|approximately|roughly|shortly|just|before|after|until|by)\s+)*"
                       r"\d{1,2}(?::\d\d)?\s*(?:[ap]\.?\s?m\.?|o'clock|hours?)?(?:\s+[A-Z]{2,4})?\.?", re.I)
CAUSE_PREPOSITIONS = {"in", "by", "during", "after", "due", "to", "from", "following", "because", "owing"}
# An age ("a 17-year-old", "Robertson, 13,") describes one person; it never counts people.
AGE_UNITS = ("year-old", "year old", "years old", "month-old", "month old", "months old", "week-old", "day-old")
# The place an adjective trigger is predicated of: "left one man dead", "was pronounced dead".
PREDICATIVE_DEPS = {"oprd", "ccomp", "xcomp", "acomp"}
FINITE_TAGS = {"VBD", "VBN", "VBZ", "VBP"}
USABLE_PLACE_KINDS = {"city", "admin2", "admin1", "country", "region"}


@dataclass(frozen=True, slots=True)
class EventType:
    """One event type: its triggers and what its participants look like."""

    name: str
    verbs: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    light_verbs: tuple[str, ...] = ()
    intransitive: tuple[str, ...] = ()
    patient: str = "object"  # object | subject | subject_if_intransitive
    participants: str = "any"  # a key of Rules.participants, or "any"/"thing"
    money: bool = False
    count_expected: bool = True
    price_of: tuple[str, ...] = ()  # a bare mention of this type right after one of these gives its price
    retype: tuple[tuple[str, str], ...] = ()  # (modifier, type): "fatally shot" is a kill, not an injury
    yields_to: tuple[str, ...] = ()  # dropped when an event of one of these types has the same patient
    instrument_verbs: tuple[str, ...] = ()  # triggers only with a weapon or a body part: "a bullet struck him"
    strict_verbs: tuple[str, ...] = ()  # verbs of many senses ("hold"): the patient must be named as a person


@dataclass(frozen=True, slots=True, eq=False)
class Rules:
    """All event rules, validated and indexed by lemma."""

    types: dict[str, EventType]
    participants: dict[str, frozenset[str]]
    reporting_verbs: frozenset[str]
    reporting_prepositions: tuple[str, ...]
    hedge_words: frozenset[str]
    hedge_verbs: frozenset[str]
    negation_words: frozenset[str]
    negated_patients: tuple[str, ...]
    uncertainty_complementizers: frozenset[str]
    agentive_causes: frozenset[str] = frozenset()
    irrealis_verbs: frozenset[str] = frozenset()
    irrealis_modals: frozenset[str] = frozenset()
    participant_suffixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    wound_instruments: frozenset[str] = frozenset()
    body_parts: frozenset[str] = frozenset()
    instrument_index: dict[str, str] = field(default_factory=dict)
    verb_index: dict[str, str] = field(default_factory=dict)
    noun_index: dict[str, str] = field(default_factory=dict)
    adj_index: dict[str, str] = field(default_factory=dict)
    phrases: dict[str, tuple[str, str, tuple[str, ...]]] = field(default_factory=dict)


_TYPE_KEYS = {"verbs", "nouns", "adjectives", "light_verbs", "intransitive", "patient", "participants",
              "money", "count_expected", "price_of", "retype", "yields_to", "instrument_verbs",
              "strict_verbs"}
_LIST_KEYS = {"verbs", "nouns", "adjectives", "light_verbs", "intransitive", "price_of", "yields_to",
              "instrument_verbs", "strict_verbs"}


def _merge(base: dict[str, Any], extra: dict[str, Any], *, name: str) -> dict[str, Any]:
    out = json.loads(json.dumps(base))
    for tname, spec in (extra.get("types") or {}).items():
        if not isinstance(spec, dict):
            raise RulesError(f"{name}{_line_of(name, tname)}: event type {tname!r} must be a table of settings")
        unknown = set(spec) - _TYPE_KEYS - {"replace"}
        if unknown:
            first = sorted(unknown)[0]
            raise RulesError(f"{name}{_line_of(name, first)}: event type {tname!r} has unknown keys: "
                             f"{', '.join(sorted(unknown))}")
        if spec.get("replace") or tname not in out["types"]:
            out["types"][tname] = {k: v for k, v in spec.items() if k != "replace"}
        else:
            for key, value in spec.items():
                if key == "retype" and isinstance(value, dict):
                    out["types"][tname].setdefault("retype", {}).update(value)
                elif key in _LIST_KEYS:
                    out["types"][tname][key] = list(dict.fromkeys(list(out["types"][tname].get(key, [])) + list(value)))
                else:
                    out["types"][tname][key] = value
    for key, value in extra.items():
        if key in ("types", "version"):
            continue
        if key in ("participants", "participant_suffixes") and isinstance(value, dict):
            for pname, words in value.items():
                out.setdefault(key, {})
                out[key][pname] = list(dict.fromkeys(out[key].get(pname, []) + list(words)))
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = list(dict.fromkeys(out[key] + value))
        else:
            raise RulesError(f"{name}{_line_of(name, key)}: unknown top-level key {key!r}")
    return out


def _line_of(name: str, key: str) -> str:
    """Return " (line N)" for the first line of file ``name`` that defines ``key``, or ""."""
    try:
        lines = Path(name).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError, ValueError):
        return ""
    for n, line in enumerate(lines, 1):
        bare = line.strip().strip("[]").replace('"', "").replace("'", "")
        head = bare.split("=")[0].split(":")[0].strip()
        if head == key or head.endswith("." + key):
            return f" (line {n})"
    return ""


def _check_types(data: dict[str, Any], *, name: str) -> None:
    for tname, spec in data["types"].items():
        for key in _LIST_KEYS:
            value = spec.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise RulesError(f"{name}: event type {tname!r}: {key!r} must be a list of words")
        if not (spec.get("verbs") or spec.get("nouns") or spec.get("adjectives")):
            raise RulesError(f"{name}: event type {tname!r} has no verbs, nouns or adjectives")
        if spec.get("patient", "object") not in ("object", "subject", "subject_if_intransitive"):
            raise RulesError(f"{name}: event type {tname!r}: patient must be object, subject or subject_if_intransitive")
        retype = spec.get("retype", {})
        if not isinstance(retype, dict) or not all(isinstance(k, str) and v in data["types"]
                                                   for k, v in retype.items()):
            raise RulesError(f"{name}: event type {tname!r}: 'retype' must map modifier words to known event types")
        if any(t not in data["types"] for t in spec.get("yields_to", [])):
            raise RulesError(f"{name}: event type {tname!r}: 'yields_to' names an unknown event type")
        part = spec.get("participants", "any")
        if part not in ("any", "thing") and part not in data["participants"]:
            raise RulesError(f"{name}: event type {tname!r}: unknown participants {part!r}")


def read_rules_file(path: str | Path) -> dict[str, Any]:
    """Read a user rules file (TOML, YAML or JSON), raising RulesError with the line at fault."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read rules file ({exc})") from None
    suffix = path.suffix.lower()
    if suffix == ".toml":
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]
        try:
            data = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            raise RulesError(f"{path}: invalid TOML: {exc}") from None
    elif suffix in (".yaml", ".yml"):
        try:
            import yaml
        except ModuleNotFoundError:
            raise RulesError(f"{path}: YAML rules need PyYAML (pip install pyyaml), or use TOML") from None
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise RulesError(f"{path}: invalid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    elif suffix == ".json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise RulesError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    else:
        raise RulesError(f"{path}: rules files must end in .toml, .yaml, .yml or .json")
    if not isinstance(data, dict):
        raise RulesError(f"{path}: rules must be a table/mapping at the top level")
    return data


@lru_cache(maxsize=8)
def load_rules(extra_files: tuple[str, ...] = ()) -> Rules:
    """Load the built-in event rules, lay ``extra_files`` over them, validate and index them."""
    base = json.loads(resources.files("factx").joinpath("data/events.json").read_text(encoding="utf-8"))
    _check_types(base, name="factx/data/events.json")
    for path in extra_files:
        base = _merge(base, read_rules_file(path), name=str(path))
        _check_types(base, name=str(path))
    types = {}
    for tname, spec in base["types"].items():
        types[tname] = EventType(
            name=tname,
            **{k: tuple(v) if isinstance(v, list) else tuple(v.items()) if isinstance(v, dict) else v
               for k, v in spec.items()},
        )
    rules = Rules(
        types=types,
        participants={k: frozenset(v) for k, v in base["participants"].items()},
        reporting_verbs=frozenset(base["reporting_verbs"]),
        reporting_prepositions=tuple(base["reporting_prepositions"]),
        hedge_words=frozenset(base["hedge_words"]),
        hedge_verbs=frozenset(base["hedge_verbs"]),
        negation_words=frozenset(base["negation_words"]),
        negated_patients=tuple(base["negated_patients"]),
        uncertainty_complementizers=frozenset(base["uncertainty_complementizers"]),
        agentive_causes=frozenset(base.get("agentive_causes", [])),
        irrealis_verbs=frozenset(base.get("irrealis_verbs", [])),
        irrealis_modals=frozenset(base.get("irrealis_modals", [])),
        participant_suffixes={k: tuple(v) for k, v in base.get("participant_suffixes", {}).items()},
        wound_instruments=frozenset(base.get("wound_instruments", [])),
        body_parts=frozenset(base.get("body_parts", [])),
    )
    for t in types.values():
        for w in t.instrument_verbs:
            rules.instrument_index.setdefault(w.lower(), t.name)
        for kind, words, index in (("verb", t.verbs, rules.verb_index), ("noun", t.nouns, rules.noun_index),
                                   ("adj", t.adjectives, rules.adj_index)):
            for w in words:
                parts = tuple(w.lower().split())
                if len(parts) > 1:
                    rules.phrases.setdefault(f"{t.name}|{kind}|{w.lower()}", (t.name, kind, parts))
                else:
                    index.setdefault(parts[0], t.name)
    return rules


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


@dataclass(slots=True)
class _Trigger:
    type: str
    token: Token  # the syntactic head of the trigger
    start: int  # character offsets of the trigger text
    end: int
    kind: str  # verb | noun | adj


@dataclass(slots=True)
class _Context:
    doc: Doc
    numbers: Sequence[NumberMention]
    money: Sequence[MoneyMention]
    dates: Sequence[DateMention]
    places: Sequence[PlaceMention]
    focus: Focus
    published: str | None
    rules: Rules
    doc_date: tuple[int, DateMention] | None = None
    doc_city: tuple[int, PlaceMention] | None = None


def find_triggers(doc: Doc | SpacySpan, rules: Rules) -> list[_Trigger]:
    """Find event triggers (single lemmas and multiword phrases) in a Doc or sentence."""
    doc_obj = doc.doc if isinstance(doc, SpacySpan) else doc
    offset = doc.start if isinstance(doc, SpacySpan) else 0
    matcher, firsts = _phrase_matcher(rules, doc_obj.vocab)
    taken: set[int] = set()
    found: list[_Trigger] = []
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
        found.append(_Trigger(etype, head, phrase.start_char, phrase.end_char, kind))
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
            found.append(_Trigger(etype, tok, tok.idx, tok.idx + len(tok.text), kind))
    found.sort(key=lambda t: t.start)
    return found


def _wounding(tok: Token, rules: Rules) -> bool:
    """A verb of striking tells of a wound when a weapon strikes or a body part is hit ("a bullet struck her")."""
    subj = _subject(tok)
    if subj is not None and not _is_passive(tok) and subj.lemma_.lower() in rules.wound_instruments:
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


def _owner_of_body_part(patient: Token | None, rules: Rules) -> Token | None:
    """Who a wounded body part belongs to: "struck the knee of an 11-year-old girl" -> girl."""
    if patient is None or patient.lemma_.lower() not in rules.body_parts:
        return patient
    for c in patient.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            return next((g for g in c.children if g.dep_ == "pobj"), patient)
    return patient


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


def _past_dateline(patient: Token | None, trig: _Trigger) -> Token | None:
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


def _in_span(start: int, end: int, tokens: Iterable[Token]) -> bool:
    return any(t.idx < end and start < t.idx + len(t.text) for t in tokens)


def _mention_at(mentions: Sequence[Any], token: Token) -> tuple[int, Any] | None:
    tstart, tend = token.idx, token.idx + len(token.text)
    for i, m in enumerate(mentions):
        if m.start < tend and tstart < m.end:
            return i, m
    return None


def _antecedent(tok: Token, verb: Token) -> Token:
    """The noun a relative pronoun stands for: "two people who had been shot" -> people."""
    if tok.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        return verb.head
    return tok


def _subject(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return _antecedent(c, tok)
    if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return tok.head  # "a girl suffering from a gunshot wound"
    if (tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBD") and tok.head.pos_ in ("NOUN", "PROPN")
            and any(c.dep_ in ("dobj", "obj") for c in tok.children)):
        return tok.head  # "dharwad: police arrested 50 workers" parsed as police <- arrested
    if tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
        return _subject(tok.head)
    if tok.dep_ in ("xcomp", "pcomp") and tok.head.pos_ == "VERB":
        return _subject(tok.head)
    if tok.dep_ == "dep" and tok.head.pos_ == "VERB" and tok.head.tag_ == "VBD":
        return _subject(tok.head)  # "police sentries posted there killed one": a reduced relative read as the verb
    if tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.head.pos_ == "VERB":
        return _subject(tok.head)  # "police opened fire, killing two": the participle shares the subject
    return None


def _is_passive(tok: Token) -> bool:
    if any(c.dep_ in PASSIVE_SUBJECTS or c.dep_ == "auxpass" or c.dep_ == "agent" for c in tok.children):
        return True
    # A reduced relative ("a woman arrested by police", "11 babies rescued") is passive in meaning,
    # and so is a participle small clause ("found three people shot to death"); with a direct object it is
    # an active verb the parser hung off the noun before it ("dharwad: police arrested over 50 workers").
    if any(c.dep_ in ("dobj", "obj") for c in tok.children):
        return False
    return tok.tag_ == "VBN" and (tok.dep_ in ("acl", "amod") or _small_clause(tok))


def _small_clause(tok: Token) -> bool:
    return (tok.tag_ == "VBN" and tok.dep_ in PREDICATIVE_DEPS
            and not any(c.dep_ in ("aux", "auxpass") for c in tok.children))


def _patient(trig: _Trigger, etype: EventType) -> Token | None:
    tok = trig.token
    if trig.kind == "noun":
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
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
            return _subject(tok.head)
        if tok.head.dep_ == "prep" and tok.head.head.lemma_.lower() in etype.light_verbs:
            # "suffering from a gunshot wound", "is in custody"; "keep Ansari in custody": the object.
            verb = tok.head.head
            obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
            return obj if obj is not None else _subject(verb)
        if tok.dep_ == "pobj" and tok.head.lower_ == "with":
            return _bearer(tok.head.head)  # "a man with a gunshot wound", "three others are in hospital with wounds"
        if (tok.dep_ == "pobj" and tok.head.lower_ in ("in", "under") and tok.head.head.pos_ in ("NOUN", "PROPN")
                and tok.head.head.lemma_.lower() not in etype.nouns):  # "deaths in custody": no participant
            return tok.head.head  # "a suspect in custody"
        return None
    if trig.kind == "adj":
        if tok.dep_ in PREDICATIVE_DEPS and tok.head.pos_ == "VERB":
            obj = next((c for c in tok.head.children if c.dep_ in ("dobj", "obj")), None)
            if obj is not None:
                return obj
        if tok.dep_ in ("acomp", "oprd") or tok.dep_ == "ROOT":
            subj = _subject(tok.head if tok.dep_ != "ROOT" else tok)
            if subj is not None:
                return subj
        if tok.dep_ in ("amod",):
            return tok.head
        return None
    if (tok.dep_ in PREDICATIVE_DEPS and tok.tag_ == "VBN" and tok.head.pos_ == "VERB"
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)):
        obj = next((c for c in tok.head.children if c.dep_ in ("dobj", "obj")), None)
        if obj is not None:
            return obj  # "found three people shot to death"
    passive = _is_passive(tok)
    if passive:
        auxpass = [c for c in tok.children if c.dep_ == "auxpass"]
        for c in tok.children:
            if c.dep_ in PASSIVE_SUBJECTS or (c.dep_ == "nsubj" and (_small_clause(tok) or auxpass)):
                return _antecedent(c, tok)
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
        if tok.dep_ in ("acl", "amod"):
            return tok.head
        if tok.dep_ == "conj":
            if tok.head.pos_ == "VERB" and not _is_passive(tok.head):
                # "the leaders left the office and were arrested": the conjuncts share the subject, not the object.
                return _subject(tok.head)
            return _patient(_Trigger(trig.type, tok.head, 0, 0, "verb"), etype)
        if _small_clause(tok) and tok.head.pos_ == "VERB":
            # "a man was found shot to death": the small clause is predicated of the passive subject.
            return next((_antecedent(c, tok.head) for c in tok.head.children if c.dep_ in PASSIVE_SUBJECTS), None)
        return None
    intransitive = etype.patient == "subject" or (
        etype.patient == "subject_if_intransitive" and tok.lemma_.lower() in etype.intransitive)
    if intransitive:
        return _subject(tok)
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
        return obj if obj is not None else _subject(head)
    return None


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


def _number_in(tokens: Iterable[Token], ctx: _Context) -> tuple[int, NumberMention] | None:
    for t in tokens:
        hit = _mention_at(ctx.numbers, t)
        if hit is not None and hit[1].kind not in ("ordinal", "percent") and not _is_age(hit[1], ctx.doc):
            return hit
    return None


def _noun_phrase_unit(head: Token) -> str:
    parts = [c for c in head.lefts if c.dep_ in ("compound",) and c.pos_ in ("NOUN", "PROPN")]
    words = [t.text for t in parts] + [head.text]
    return " ".join(words)


def _one(tok: Token, start: int, unit: str | None) -> dict[str, Any]:
    end = tok.idx + len(tok.text)
    return {"value": 1, "qualifier": "exact", "unit": unit, "text": _text(tok.doc, start, end), "start": start,
            "end": end, "ref": None}


def _single_count(patient: Token, ctx: _Context) -> dict[str, Any] | None:
    """The count of one noun phrase: its number, else 1 for a singular person or thing."""
    if patient.lemma_.lower() == "total":
        # "a total of 47 miscreants": the total is the count of what it is a total of.
        of = [g for c in patient.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
              if g.dep_ == "pobj"]
        if of:
            return _single_count(of[0], ctx)
    if patient.lower_ in GROUP_WORDS:
        end = patient.idx + len(patient.text)
        return {"value": GROUP_WORDS[patient.lower_], "qualifier": "exact", "unit": None, "text": patient.text,
                "start": patient.idx, "end": end, "ref": None}
    hit = _mention_at(ctx.numbers, patient)
    if hit is not None and hit[1].kind not in ("ordinal", "percent") and not _is_age(hit[1], ctx.doc):
        return _count_record(hit, unit=hit[1].unit)
    premods = [t for t in patient.subtree if t.i < patient.i]
    hit = _number_in(premods, ctx)
    if hit is not None:
        return _count_record(hit, unit=_noun_phrase_unit(patient) if patient.pos_ in ("NOUN", "PROPN") else hit[1].unit)
    if patient.like_num and _mention_at(ctx.numbers, patient) is None:
        from .normalize.quantities import parse_number

        value = parse_number(patient.text)
        if value is not None:
            return {"value": value, "qualifier": "exact", "unit": None, "text": patient.text, "start": patient.idx,
                    "end": patient.idx + len(patient.text), "ref": None}
    if patient.pos_ == "PRON" and patient.lower_ in ONE_PRONOUNS:
        return _one(patient, patient.idx, None)
    both = patient.lower_ == "both" or ((patient.lower_ in PLURAL_PRONOUNS or patient.tag_ == "NNS") and any(
        c.lower_ == "both" and c.dep_ in ("appos", "det", "advmod", "predet") for c in patient.children))
    if both and not any(c.dep_ == "prep" for c in patient.children):
        end = patient.idx + len(patient.text)
        return {"value": 2, "qualifier": "exact", "unit": None, "text": patient.text, "start": patient.idx,
                "end": end, "ref": None}
    # A name counts one person; an all-capitals word is a dateline ("PINETOWN -"), not a victim.
    if (patient.pos_ == "PROPN" and (patient.ent_type_ in ("PERSON", "") or patient.dep_ == "poss"
                                     or _age_apposed(patient))
            and not patient.text.isupper()):
        first = min(t.idx for t in patient.subtree if t.dep_ in ("compound", "flat") or t is patient)
        return _one(patient, first, None)
    if patient.tag_ in ("NN", "JJ") and patient.pos_ in ("NOUN", "ADJ", "PROPN"):
        det = next((c for c in patient.children if c.dep_ in ("det", "nummod", "poss")), None)
        if det is not None and (det.lower_ in SINGULAR_DETS or det.dep_ == "poss"):
            return _one(patient, det.idx, _noun_phrase_unit(patient) if patient.pos_ == "NOUN" else None)
    return None


def _by_authority(verb: Token, rules: Rules) -> bool:
    """Whether the police or another authority did it: "the duo were arrested by a police team".

    What the police arrest, detain or shoot is people, whatever noun names them ("the duo", "miscreants").
    """
    authority = rules.participants.get("authority", frozenset())
    doers = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not _is_passive(verb):
        subj = _subject(verb)
        doers += [subj] if subj is not None else []
    for d in doers:
        names = {d.lemma_.lower(), d.lower_} | {c.lower_ for c in d.children if c.dep_ == "compound"}
        if names & authority or any(g.lemma_.lower() in authority for g in d.subtree if g.dep_ == "pobj"):
            return True  # "a team comprising personnel of the police"
    return False


def _indefinite_or_bare(tok: Token | None, rules: Rules) -> bool:
    """A noun introduced by "a"/"one" or by nothing (a name, in lower-case text), that names no event.

    "police arrested one mohammad shahid", "police killed a ram bhakt"; not "helped to arrest the situation"
    or "apprehends reprisal killings".
    """
    if tok is None or tok.pos_ not in ("NOUN", "PROPN") or tok.lemma_.lower() in rules.noun_index:
        return False
    dets = [c.lower_ for c in tok.children if c.dep_ in ("det", "nummod", "poss")]
    return all(d in ("a", "an", "one", "another") for d in dets)


def _named_person(verb: Token, patient: Token | None, etype: EventType, rules: Rules) -> bool:
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
    words = rules.participants.get(etype.participants, frozenset())
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


def _age_apposed(tok: Token) -> bool:
    """A name followed by an age ("Kionn Lamothe, 25,") names a person, whatever the entity tagger said."""
    return any(c.dep_ == "appos" and c.like_num for c in tok.children)


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            out.extend(_conjuncts(c))
    return out


def _count(patient: Token | None, trig: _Trigger, ctx: _Context) -> dict[str, Any] | None:
    tok = trig.token
    if patient is not None:
        members = _conjuncts(patient)
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
                        "text": _text(ctx.doc, start, end), "start": start, "end": end, "ref": None}
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


def _participant_ok(patient: Token | None, etype: EventType, rules: Rules) -> bool:
    if patient is None or etype.participants in ("any", "thing"):
        return True
    if patient.pos_ == "PRON" and patient.lower_ in THING_PRONOUNS:
        return False  # "it will be held at the church"
    if patient.pos_ in ("PRON", "PROPN", "NUM") or patient.ent_type_ in ("PERSON", "NORP", "ORG"):
        return True
    words = rules.participants.get(etype.participants, frozenset())
    suffixes = rules.participant_suffixes.get(etype.participants, ())
    for tok in _conjuncts(patient):  # "150 BJP and VHP workers": any conjunct may name the people
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
        return _participant_ok(part_of[0], etype, rules)  # "25 per cent of them", "some of the victims"
    # For an event that happens to people, a counted noun is people: "17 ramsevaks were arrested".
    return (etype.participants == "person" and patient.tag_ == "NNS"
            and any(c.dep_ == "nummod" for c in patient.children)
            and patient.lemma_.lower() not in rules.noun_index)  # "1,000 shootings" counts events, not people


def _span_of(tok: Token, *, trim: bool = True, conjuncts: bool = False) -> Span:
    drop = {"relcl", "appos", "punct", "acl", "advcl"} | (set() if conjuncts else {"cc", "conj"}) if trim else set()
    keep = [tok]
    for c in tok.children:
        if c.dep_ not in drop:
            keep.extend(c.subtree)
    start = min(t.idx for t in keep)
    last = max(keep, key=lambda t: t.idx)
    end = last.idx + len(last.text)
    return Span(_text(tok.doc, start, end), start, end)


def _text(doc: Doc, start: int, end: int) -> str:
    # Doc.text joins every token on each access; a token-aligned Span reads only its own tokens.
    span = doc.char_span(start, end)
    return span.text if span is not None else doc_text(doc)[start:end]


def _agent(trig: _Trigger, patient: Token | None, rules: Rules) -> Span | None:
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
                        return _span_of(g)
        if not _is_passive(tok):
            subj = _subject(tok)
            if subj is not None and subj.lemma_.lower() in rules.wound_instruments:
                # "a bullet struck her" names no doer; "police fired 40 rounds, killing two" names the shooter.
                shooter = _subject(subj.head) if subj.dep_ in ("dobj", "obj") else None
                if shooter is not None and shooter.lemma_.lower() in rules.wound_instruments:
                    shooter = None
                subj = shooter
            if subj is not None and subj != patient and subj.pos_ != "PRON":
                return _span_of(subj)
    if trig.kind == "noun" and tok.head.pos_ == "VERB":
        for c in tok.head.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return _span_of(g)
    if trig.kind == "noun":
        # "40 of these deaths took place due to police firing": the cause hangs off the clause of the noun.
        verb = next((a for a in _ancestors_in_sentence(tok) if a.pos_ in ("VERB", "AUX")), None)
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
                    return _span_of(subj)  # "in police firing" parsed as a clause: police <- firing
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
                    return _span_of(subj, conjuncts=True)
    head = None
    if tok.dep_ in PREDICATIVE_DEPS and tok.head.pos_ == "VERB":
        head = tok.head
    elif tok.dep_ == "amod" and tok.head.dep_ in ("dobj", "obj") and tok.head.head.pos_ == "VERB":
        head = tok.head.head  # "left one dead" with "dead" read as the number's adjective
    if head is not None:
        # "the police firing that left one dead": the subject of "left" is the cause.
        subj = _subject(head) or (head.head if head.dep_ == "relcl" else None)
        causes = _conjuncts(subj) if subj is not None else []
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
    for cand in [head] + _ancestors_in_sentence(head)[:4]:
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
            return _span_of(m)
    for m in cause.children:
        if m.dep_ == "prep" and m.lower_ == "by":
            for g in m.children:
                if g.dep_ == "pobj":
                    return _span_of(g)
    return None


def _ancestors_in_sentence(tok: Token) -> list[Token]:
    out = []
    cur = tok
    while cur.head.i != cur.i:
        cur = cur.head
        out.append(cur)
    return out


def _source(sent: SpacySpan, trig: _Trigger, rules: Rules) -> Span | None:
    text_lower = sent.text.lower()
    for prep in rules.reporting_prepositions:
        pos = text_lower.find(prep)
        if pos >= 0:
            anchor = sent.char_span(sent.start_char + pos, sent.start_char + pos + len(prep), alignment_mode="expand")
            if anchor is not None:
                for t in anchor:
                    for c in t.children:
                        if c.dep_ == "pobj":
                            return _span_of(c)
                    for c in t.rights:
                        for g in c.children:
                            if g.dep_ == "pobj":
                                return _span_of(g)
    chain = [trig.token] + _ancestors_in_sentence(trig.token)
    candidates = [t for t in chain if t.lemma_.lower() in rules.reporting_verbs and t.pos_ == "VERB"]
    if not candidates:
        # "X happened, the ministry said": the reporting verb may hang off the event clause.
        candidates = [t for t in sent if t.lemma_.lower() in rules.reporting_verbs and t.pos_ == "VERB"
                      and t.dep_ in ("ROOT", "parataxis", "ccomp", "advcl") and t != trig.token]
    for rv in candidates:
        subj = next((c for c in rv.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.pos_ != "PRON":
            return _span_of(subj)
        if subj is not None:
            return Span(subj.text, subj.idx, subj.idx + len(subj.text))
    return None


def _negated(trig: _Trigger, patient: Token | None, rules: Rules) -> bool:
    tok = trig.token
    if any(c.dep_ == "neg" for c in tok.children):
        return True
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


def _irrealis(trig: _Trigger, rules: Rules) -> bool:
    """An event only wanted, threatened, allowed or demanded ("threatening to kill himself", "should be arrested")."""
    tok = trig.token
    if any(c.dep_ == "aux" and c.lower_ in rules.irrealis_modals for c in tok.children):
        return True
    auxes = {c.lemma_.lower() for c in tok.children if c.dep_ == "aux"} | {
        c.lower_ for c in tok.children if c.dep_ == "aux"}
    if tok.tag_ == "VBN" and auxes & {"have", "'ve"} and "could" in auxes and not _is_passive(tok):
        return True  # a counterfactual: "the government could have apprehended the violence"
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
        return True  # a condition: "if the administration arrested the sants"
    if (auxes & {"may", "might", "could"} and not auxes & {"have", "'ve"}
            and any(c.dep_ == "auxpass" for c in tok.children)):
        return True  # a possibility still ahead: "may be arrested"; "may have been arrested" is only hedged
    if trig.kind == "noun":
        # "demanded the arrest of leaders", "calling for his arrest": the wanted event has not happened;
        # "we will effect preventive arrests", "powers to make arrests": neither has a planned or allowed one;
        # "may be put under house arrest", "the possibility of his arrest": nor a possible one.
        # "wanted in the death of", "sought in the shooting": other prepositions name a real event the verb is about.
        gov = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ in ("for", "under", "into", "of") else tok.head
        if tok.dep_ not in ("dobj", "pobj", "conj", "nsubjpass"):
            return False
        if gov.lemma_.lower() in rules.irrealis_verbs:
            return True
        return gov.pos_ in ("VERB", "AUX") and gov.i != tok.i and _irrealis(
            _Trigger(trig.type, gov, gov.idx, gov.idx + len(gov.text), "verb"), rules)
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
    for anc in _ancestors_in_sentence(tok):
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


def _hedged(trig: _Trigger, rules: Rules) -> bool:
    tok = trig.token
    for c in tok.children:
        if c.dep_ in ("aux", "advmod") and c.lower_ in rules.hedge_words:
            return True
    for anc in _ancestors_in_sentence(tok):
        if anc.lemma_.lower() in rules.reporting_verbs:
            break
        if anc.lemma_.lower() in rules.hedge_verbs:
            return True
    return False


def _place_for(trig: _Trigger, sent: SpacySpan, ctx: _Context) -> dict[str, Any] | None:
    places = [(i, p) for i, p in enumerate(ctx.places) if _usable_place(p)]
    if not places:
        return _focus_place(ctx)
    subtree = list(trig.token.subtree) if trig.kind != "noun" else list(trig.token.head.subtree)
    focus_country = ctx.focus.country if ctx.focus else None
    focus_admin1 = ctx.focus.admin1 if ctx.focus else None
    city = ctx.doc_city

    def pick(cands: list[tuple[int, PlaceMention]]) -> tuple[int, PlaceMention]:
        # A place in the article's own country (and region) beats a same-named one elsewhere; then the most
        # specific, then the nearest.
        return max(cands, key=lambda ip: (not focus_country or ip[1].country == focus_country,
                                          not focus_admin1 or ip[1].admin1 == focus_admin1,
                                          SPECIFICITY.get(ip[1].kind or "", 0), -abs(ip[1].start - trig.start)))

    def finer(chosen: tuple[int, PlaceMention], origin: str) -> dict[str, Any]:
        # "in northwest Indiana", "in Greene County": the dateline city inside that region is finer.
        if (chosen[1].kind in ("admin1", "admin2") and city is not None and city[1].kind == "city"
                and city[1].admin1 == chosen[1].admin1):
            return _place_record(city, "document")
        return _place_record(chosen, origin)

    in_sent = [(i, p) for i, p in places if sent.start_char <= p.start < sent.end_char]
    in_tree = [(i, p) for i, p in in_sent if _in_span(p.start, p.end, subtree)]
    if focus_country:
        # Outside the event's own phrase, a place abroad is background ("the next of kin is in Vietnam").
        in_sent = [(i, p) for i, p in in_sent if p.country == focus_country or (i, p) in in_tree]
    if focus_admin1 and city is not None and city[1].admin1 == focus_admin1:
        # A place outside the article's region, when the article names a city inside it, is most often a
        # same-named place resolved to the wrong region ("Rogers Park" in a Tennessee story).
        in_tree = [(i, p) for i, p in in_tree if p.admin1 in (None, focus_admin1) or p.kind in ("country", "admin1")]
        in_sent = [(i, p) for i, p in in_sent if p.admin1 in (None, focus_admin1) or p.kind in ("country", "admin1")]
    for cands in (in_tree, in_sent):
        if cands:
            return finer(pick(cands), "sentence")
    text = doc_text(ctx.doc)
    para_start = text.rfind("\n", 0, sent.start_char) + 1
    para_end = text.find("\n", sent.end_char)
    para_end = len(text) if para_end < 0 else para_end
    in_para = [(i, p) for i, p in places if para_start <= p.start < para_end]
    if in_para:
        return finer(pick(in_para), "paragraph")
    if city is not None:
        return _place_record(city, "document")
    return _focus_place(ctx)


def _usable_place(p: PlaceMention) -> bool:
    """A place that can locate an event: resolved to a country (streets and hospitals often are not)."""
    if p.kind == "demonym" or not p.country:
        return False
    return p.kind in USABLE_PLACE_KINDS or (p.kind == "landmark" and p.admin1 is not None)


def _document_city(ctx: _Context) -> tuple[int, PlaceMention] | None:
    """The first city (else county) of the article that agrees with its focus: usually the dateline."""
    f = ctx.focus
    for kinds in (("city",), ("admin2",)):
        for i, p in enumerate(ctx.places):
            if p.kind not in kinds or not _usable_place(p):
                continue
            if f and f.admin1 and p.admin1 != f.admin1:
                continue
            if f and f.country and p.country != f.country:
                continue
            return i, p
    return None


def _place_record(ip: tuple[int, PlaceMention], origin: str) -> dict[str, Any]:
    i, p = ip
    return {"ref": f"places[{i}]", "name": p.name, "kind": p.kind, "country": p.country, "admin1": p.admin1,
            "lat": p.lat, "lon": p.lon, "text": p.text, "start": p.start, "end": p.end, "origin": origin}


def _focus_place(ctx: _Context) -> dict[str, Any] | None:
    f = ctx.focus
    if not f or not (f.country or f.admin1):
        return None
    return {"ref": None, "name": f.name, "kind": "admin1" if f.admin1 else "country", "country": f.country,
            "admin1": f.admin1, "lat": None, "lon": None, "text": None, "start": None, "end": None, "origin": "focus"}


def _attached_to_reporting(tok_span: SpacySpan | None, rules: Rules) -> bool:
    if tok_span is None:
        return False
    root = tok_span.root
    return root.head.lemma_.lower() in rules.reporting_verbs and root.head.pos_ == "VERB" and root.dep_ in ("npadvmod", "tmod", "obl", "advmod", "prep", "pobj")


def _date_for(trig: _Trigger, sent: SpacySpan, ctx: _Context) -> dict[str, Any] | None:
    subtree = list(trig.token.subtree) if trig.kind != "noun" else list(trig.token.head.subtree)
    cands = []
    for i, d in enumerate(ctx.dates):
        if d.type not in ("DATE", "TIME") or not (sent.start_char <= d.start < sent.end_char) or not _dated(d, ctx):
            continue
        span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
        if _attached_to_reporting(span, ctx.rules):
            continue
        cands.append((not _in_span(d.start, d.end, subtree), not _is_day(d), abs(d.start - trig.start), i, d))
    if cands and ctx.doc_date is not None and not _time_only(ctx.doc_date[1]):
        # A bare clock time gives no day: the day the article dates the incident to is better.
        cands = [c for c in cands if not _time_only(c[4])]
        if not cands:
            return _date_record(*ctx.doc_date, "document")
    if cands:
        _, coarse, _, i, d = min(cands, key=lambda c: c[:3])
        if coarse and ctx.doc_date is not None and _within(ctx.doc_date[1].value, d.value or ""):
            # "in October": the day the article dates the incident to is finer and agrees.
            return _date_record(*ctx.doc_date, "document")
        return _date_record(i, d, "sentence")
    if ctx.doc_date is not None:
        i, d = ctx.doc_date
        return _date_record(i, d, "document")
    if ctx.published:
        return {"ref": None, "value": ctx.published[:10], "type": "DATE", "granularity": "day", "text": None,
                "start": None, "end": None, "origin": "published"}
    return None


def _within(day: str, period: str) -> bool:
    """Whether the day ``YYYY-MM-DD...`` lies in the TIMEX3 period (year, month, or ISO week)."""
    import datetime as dt

    if day.startswith(period):
        return True
    if len(period) >= 8 and period[4:6] == "-W" and period[6:8].isdigit():
        try:
            year, week, _ = dt.date.fromisoformat(day[:10]).isocalendar()
        except ValueError:
            return False
        return (year, week) == (int(period[:4]), int(period[6:8]))
    return False


def _is_day(d: DateMention) -> bool:
    v = d.value or ""
    return len(v) >= 10 and v[:4].isdigit() and v[4] == "-" and v[5:7].isdigit() and v[7] == "-" and v[8:10].isdigit()


def _dated(d: DateMention, ctx: _Context) -> bool:
    """A resolved calendar date that is not after publication (events are reported after they happen)."""
    v = d.value or ""
    if not v[:4].isdigit():
        return False
    return not (ctx.published and _is_day(d) and v[:10] > ctx.published[:10])


def _date_record(i: int, d: DateMention, origin: str) -> dict[str, Any]:
    return {"ref": f"dates[{i}]", "value": d.value, "type": d.type, "granularity": d.granularity, "text": d.text,
            "start": d.start, "end": d.end, "origin": origin}


def _document_dates(ctx: _Context) -> Iterable[tuple[int, DateMention]]:
    """The day-precise dates of the article, in order, that are neither a page timestamp nor a statement's date."""
    for i, d in enumerate(ctx.dates):
        if d.type not in ("DATE", "TIME") or not _is_day(d) or not _dated(d, ctx):
            continue
        if ctx.published and d.value[:10] == ctx.published[:10] and any(ch.isdigit() for ch in d.text[-4:]):
            continue  # "Posted: Jul. 6, 2016": the page's own timestamp, not when anything happened
        span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
        if _attached_to_reporting(span, ctx.rules):
            continue
        yield i, d


def _document_date(ctx: _Context) -> tuple[int, DateMention] | None:
    """The first day-precise date of the article that is not the date of a statement.

    A bare clock time ("at 5 p.m.") names no day of its own, so a date that does is preferred.
    """
    found = list(_document_dates(ctx))
    return next((h for h in found if not _time_only(h[1])), found[0] if found else None)


def _time_only(d: DateMention) -> bool:
    """A clock time without a day word ("about 5:50 a.m.", "11:14 AM"): its day is only assumed."""
    return d.type == "TIME" and TIME_ONLY.fullmatch(d.text.strip()) is not None


def _money_for(trig: _Trigger, sent: SpacySpan, ctx: _Context) -> list[dict[str, Any]]:
    subtree = list(trig.token.subtree) if trig.kind != "noun" else list(trig.token.head.subtree)
    in_sent = [(i, m) for i, m in enumerate(ctx.money) if sent.start_char <= m.start < sent.end_char]
    in_tree = [(i, m) for i, m in in_sent if _in_span(m.start, m.end, subtree)]
    chosen = in_tree or in_sent
    return [_money_record(i, m) for i, m in chosen]


def _money_record(i: int, m: MoneyMention) -> dict[str, Any]:
    return {"ref": f"money[{i}]", "amount": m.amount, "currency": m.currency, "qualifier": m.qualifier,
            "text": m.text, "start": m.start, "end": m.end}


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
    ctx = _Context(doc, numbers, money, dates, places, focus, published, rules)
    ctx.doc_date = _document_date(ctx)
    sent_triggers = [(sent, find_triggers(sent, rules)) for sent in doc.sents]
    ctx.doc_city = _document_city(ctx)
    events: list[Event] = []
    doc_events: list[tuple[Event, Token | None]] = []
    prev_sent: SpacySpan | None = None
    for sent, triggers in sent_triggers:
        sent_events: list[tuple[Event, Token | None]] = []
        for trig in triggers:
            etype = rules.types[trig.type]
            modifiers = {c.lower_ for c in trig.token.children if c.dep_ in ("advmod", "amod", "npadvmod")
                         and not _negative_prefix(c)}
            # "shooting five people to death", "stabbed his wife to death": the result phrase changes the event.
            modifiers |= {f"{c.lower_} {g.lower_}" for c in trig.token.children if c.dep_ == "prep"
                          for g in c.children if g.dep_ == "pobj"}
            new_type = next((t for m, t in etype.retype if m in modifiers), None)
            if new_type is not None:
                # "fatally shot", "mortally wounded": the modifier changes what happened.
                trig = _Trigger(new_type, trig.token, trig.start, trig.end, trig.kind)
                etype = rules.types[new_type]
            trigger_span = trig
            if trig.kind == "noun" and trig.token.dep_ in ("dobj", "attr") and trig.token.head.lemma_.lower() in etype.light_verbs:
                lv = trig.token.head  # "received a suspended death sentence": the verb carries the event
                trigger_span = _Trigger(trig.type, trig.token, lv.idx, lv.idx + len(lv.text), "noun")
            if _irrealis(trig, rules):
                continue
            patient = _owner_of_body_part(_past_dateline(_patient(trig, etype), trig), rules)
            if not _participant_ok(patient, etype, rules) and not (
                    trig.kind == "verb" and etype.participants == "person" and _by_authority(trig.token, rules)
                    and (_is_passive(trig.token) or _indefinite_or_bare(patient, rules))):
                continue
            if trig.kind == "verb" and trig.token.lemma_.lower() in etype.strict_verbs and not _named_person(
                    trig.token, patient, etype, rules):
                continue
            count = _count(patient, trig, ctx)
            negated = _negated(trig, patient, rules)
            if count is None and not negated and patient is not None and patient.lower_ in PLURAL_PRONOUNS:
                count = _anaphoric_count(patient, etype, events, prev_sent, rules)
                if count is not None and count.get("yields"):
                    continue
            money_list = _money_for(trig, sent, ctx) if etype.money else []
            if count is None and money_list and not negated and _is_price(etype, events, sent, rules):
                # "They paid 20,000 yuan for the child": the price of the purchase just told, not a new event.
                events[-1] = _replace(events[-1], money=money_list)
                continue
            agent = _agent(trig, patient, rules)
            # "the people killed in police firing": a restatement that names the doer still tells something.
            named_doer = agent is not None and patient is not None and trig.kind == "verb"
            if (count is None and not money_list and not negated and etype.count_expected and not named_doer
                    and not _told_of_people(trig, patient, etype)):
                continue
            place = _place_for(trig, sent, ctx)
            date = _date_for(trig, sent, ctx)
            source = _source(sent, trig, rules)
            modality = "hedged" if _hedged(trig, rules) else ("reported" if source is not None else "asserted")
            ev = Event(
                id=f"e{len(events) + 1}",
                type=etype.name,
                trigger=Span(_text(doc, trigger_span.start, trigger_span.end), trigger_span.start, trigger_span.end),
                count=count,
                agent=agent,
                patient=_span_of(patient) if patient is not None else None,
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
            part = _elliptic_part(trig, etype, ev, ctx)
            if part is not None:
                events.append(part[0])
                sent_events.append(part)
        _drop_yielding(events, sent_events, rules)
        _take_out_the_dead(events, sent_events, rules)
        prev_sent = sent
        doc_events.extend(pair for pair in sent_events if pair[0] in events)
    _drop_yielding_victims(doc, events, doc_events, rules)
    return _link_duplicates(_renumber(events))



def _negative_prefix(tok: Token) -> bool:
    """A modifier negated by a prefix or an adverb ("non-fatal", "not fatal") says the opposite of itself."""
    doc = tok.doc
    split = tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in ("non", "not")
    return split or tok.lower_.startswith("non") or any(c.lower_ in ("non", "not", "n't") for c in tok.children)


def _elliptic_part(trig: _Trigger, etype: EventType, ev: Event, ctx: _Context) -> tuple[Event, Token] | None:
    """The part of the victims a trailing phrase retypes: "six people were shot, two fatally" -> a kill of two."""
    retype = dict(etype.retype)
    tok = trig.token
    # The phrase may be hung off the next verb up ("where six people were shot, two fatally, ...").
    trailing = [t for t in tok.sent if t.i > tok.i and t.dep_ == "npadvmod" and t.doc[t.i - 1].text == ","]
    for c in list(tok.children) + trailing[:1]:
        if c.dep_ not in ("npadvmod", "appos", "conj") or not c.like_num or ev.negated:
            continue
        adv = next((a for a in c.children if a.dep_ == "advmod" and a.lower_ in retype), None)
        if adv is None:
            continue
        hit = _number_in([c], ctx)
        if hit is not None:
            count = _count_record(hit, unit=None)
        else:
            from .normalize.quantities import parse_number

            value = parse_number(c.text)
            if value is None:
                continue
            count = {"value": value, "qualifier": "exact", "unit": None, "text": c.text, "start": c.idx,
                     "end": c.idx + len(c.text), "ref": None}
        words = [c] + [t for g in c.children if g.dep_ == "prep" and g.lower_ == "of" for t in g.subtree]
        last = max(words, key=lambda t: t.i)
        patient = Span(_text(c.doc, c.idx, last.idx + len(last.text)), c.idx, last.idx + len(last.text))
        start, end = adv.idx, adv.idx + len(adv.text)
        part = _replace(ev, id=f"e{ev.id[1:]}b", type=retype[adv.lower_], trigger=Span(adv.text, start, end),
                        count=count, patient=patient, same_as=None)
        return part, c
    return None


def _anaphoric_count(pron: Token, etype: EventType, events: list[Event], prev_sent: SpacySpan | None,
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


def _drop_yielding(events: list[Event], sent_events: list[tuple[Event, Token | None]], rules: Rules) -> None:
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


def _take_out_the_dead(events: list[Event], sent_events: list[tuple[Event, Token | None]], rules: Rules) -> None:
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
                new = _replace(ev, count=count)
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


def _drop_yielding_victims(doc: Doc, events: list[Event], pairs: list[tuple[Event, Token | None]],
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


def _renumber(events: list[Event]) -> list[Event]:
    return [ev if ev.id == f"e{i}" else _replace(ev, id=f"e{i}") for i, ev in enumerate(events, 1)]


def _told_of_people(trig: _Trigger, patient: Token | None, etype: EventType) -> bool:
    """A clause that tells of people it happened to, without a number ("the protesters were arrested").

    A reduced relative ("the people arrested") or a gerund ("selling babies") only names the event again.
    """
    tok = trig.token
    if trig.kind == "noun":
        # "the arrest of terrorists": the people are named, if not counted.
        of_people = patient is not None and patient.tag_ == "NNS" and etype.participants == "person"
        return of_people or _plural_event_noun(tok, etype)
    restrictive = tok.dep_ == "relcl" and not _non_restrictive(tok)
    return (trig.kind == "verb" and patient is not None and etype.participants not in ("any", "thing")
            and tok.tag_ in FINITE_TAGS and tok.dep_ not in ("acl", "amod") and not restrictive
            and not (tok.tag_ == "VBN" and not _is_passive(tok) and not any(c.dep_ == "aux" for c in tok.children)))


def _non_restrictive(clause: Token) -> bool:
    """A relative clause set off by a comma adds a fact ("Ansari, who was arrested last month, ...")."""
    first = clause.left_edge
    return first.i > clause.sent.start and clause.doc[first.i - 1].text == ","


def _plural_event_noun(tok: Token, etype: EventType) -> bool:
    """A plural event noun tells of events that happened to people ("the arrests followed", "preventive arrests").

    "the other arrests" only points back at the rest of a total told before.
    """
    return (tok.tag_ == "NNS" and etype.participants == "person"
            and not any(c.lower_ in ("other", "such") for c in tok.children if c.dep_ in ("amod", "det")))


def _is_price(etype: EventType, events: list[Event], sent: SpacySpan, rules: Rules) -> bool:
    if not etype.price_of or not events:
        return False
    last = events[-1]
    text = doc_text(sent.doc)
    # The priced event must be told just before: in this sentence or in the one before it.
    between = text[last.sentence["end"]:sent.start_char]
    return last.type in etype.price_of and not last.money and (last.sentence["start"] == sent.start_char or (
        "\n\n" not in between and len(between.strip()) == 0))


def _replace(ev: Event, **changes: Any) -> Event:
    from dataclasses import replace

    return replace(ev, **changes)


def _link_duplicates(events: list[Event]) -> list[Event]:
    out: list[Event] = []
    for ev in events:
        same = None
        if ev.count is not None and not ev.negated:
            for prev in out:
                if (prev.type == ev.type and prev.count is not None and prev.count.get("value") == ev.count.get("value")
                        and prev.count.get("qualifier") == ev.count.get("qualifier") and _same_place(prev.place, ev.place)):
                    same = prev.same_as or prev.id
                    break
        out.append(_replace(ev, same_as=same) if same else ev)
    return out


def _same_place(a: dict | None, b: dict | None) -> bool:
    if not a or not b:
        return True
    if a.get("admin1") and b.get("admin1"):
        return a["admin1"] == b["admin1"]
    return a.get("country") == b.get("country")
