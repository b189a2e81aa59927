"""Load, merge and validate the event inventory: ``data/events.json`` plus any user rules files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import RulesError


@dataclass(frozen=True, slots=True)
class EventType:
    """One event type: its triggers and what its participants look like."""

    name: str
    family: str = "other"  # a key of Rules.families: which happenings an event of this type can be part of
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
    retype: tuple[tuple[str, str], ...] = ()
    victim_retype: tuple[tuple[str, str], ...] = ()  # ("", injure), ("fatal", kill): "the shooting of a girl"  # (modifier, type): "fatally shot" is a kill, not an injury
    yields_to: tuple[str, ...] = ()  # dropped when an event of one of these types has the same patient
    instrument_verbs: tuple[str, ...] = ()  # triggers only with a weapon or a body part: "a bullet struck him"
    strict_verbs: tuple[str, ...] = ()  # verbs of many senses ("hold"): the patient must be named as a person
    exclude_with: tuple[str, ...] = ()  # words beside the trigger that give it another sense: "a storm of criticism"
    exclude_word_with: tuple[tuple[str, tuple[str, ...]], ...] = ()  # per trigger word: {"critical": ["of"]}
    requires_word_with: tuple[tuple[str, tuple[str, ...]], ...] = ()  # per trigger word: {"body": ["find"]}
    of_is_metaphor: bool = False
    of_holder: tuple[str, ...] = ()  # nouns whose "of" phrase names the holder: "the custody of the police"  # "a flood of imports": an "of" phrase makes the word a figure of speech
    exclude_heads: tuple[str, ...] = ()  # words above the trigger that give it another role: "on charges of"
    requires_with: tuple[str, ...] = ()  # for a trigger of many senses, the words beside it that give this one
    acled: tuple[str, str | None] | None = None  # ACLED (event type, sub-event type)
    cameo: str | None = None  # CAMEO root code, "01" to "20"
    kairos: str | None = None  # KAIROS event type, e.g. "Conflict.Attack.DetonateExplode"


@dataclass(frozen=True, slots=True, eq=False)
class Rules:
    """All event rules, validated and indexed by lemma."""

    types: dict[str, EventType]
    families: dict[str, frozenset[str]]  # family -> the families of the happenings its events can join
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
    participant_entities: dict[str, tuple[str, ...]] = field(default_factory=dict)  # names that may be one of them
    core_participants: dict[str, frozenset[str]] = field(default_factory=dict)  # the hand-made lists alone
    wound_instruments: frozenset[str] = frozenset()
    body_parts: frozenset[str] = frozenset()
    incident_breaks: tuple[str, ...] = ()
    incident_openers: tuple[str, ...] = ()  # "last month, ...": opening a sentence, another time, another story
    neighbourhood_words: frozenset[str] = frozenset()  # "the Englewood neighborhood": a part of a city
    agency_words: frozenset[str] = frozenset()  # "Chicago Police": the city whose officers tell the story
    care_nouns: frozenset[str] = frozenset()  # "a hospital in Camden": where the hurt are treated
    treated_families: frozenset[str] = frozenset()  # events whose place is never a place of care
    seat_words: frozenset[str] = frozenset()  # "a Detroit-based station": the place of an organisation
    link_labels: tuple[str, ...] = ()  # "RELATED:": the lines under it are headlines of other stories
    birth_cues: frozenset[str] = frozenset()  # "DOB 04/05/88", "born May 2, 1990": a date of birth, not an event's
    near_miss_adverbs: frozenset[str] = frozenset()  # "nearly killed": what almost happened did not
    additive_cues: frozenset[str] = frozenset()  # "two others were also hurt": victims added to those told
    hit_words: frozenset[str] = frozenset()  # "shot", "stabbed": the hit, the dead among them included
    occurrence_heads: frozenset[str] = frozenset()  # "crash site": a trigger modifying one of these still happened
    generic_modifiers: frozenset[str] = frozenset()  # "frequent attacks": events in general, not one that happened
    planned_modifiers: frozenset[str] = frozenset()  # "a planned attack": one that has not happened
    statistical_heads: frozenset[str] = frozenset()  # "the murder rate", "the number of shootings"
    trend_verbs: frozenset[str] = frozenset()  # "attacks have increased": a trend, not an event
    reference_heads: frozenset[str] = frozenset()  # "involved in the attack": a mention, not a telling
    irrealis_nouns: frozenset[str] = frozenset()  # "the threat of an attack", "calls for his arrest"
    aftermath_words: frozenset[str] = frozenset()  # "flood-hit", "quake-stricken": the event did happen
    measure_words: frozenset[str] = frozenset()  # "an earthquake of magnitude 6.1": no figure of speech
    locative_prepositions: frozenset[str] = frozenset()  # "in", "at", "near": a phrase that says where
    landmark_nouns: frozenset[str] = frozenset()  # "a bakery", "the station": where an event can be
    comparison_words: frozenset[str] = frozenset()  # "the worst since the bombing in Madrid"
    dated_by_own_clause: frozenset[str] = frozenset()
    target_is_place: frozenset[str] = frozenset()  # families whose object may be where: "bombed a market"  # families whose events never borrow the happening's date
    area_nouns: dict[str, str] = field(default_factory=dict)  # "the city" -> city: points back to a place named
    lemmas: frozenset[str] = frozenset()  # every trigger lemma (see trigger_lemmas)
    habitual_verbs: frozenset[str] = frozenset()  # "insurgents continue to ambush convoys"
    generic_verbs: frozenset[str] = frozenset()  # "bombings are rare": in the present, events in general
    instrument_index: dict[str, str] = field(default_factory=dict)
    verb_index: dict[str, str] = field(default_factory=dict)
    noun_index: dict[str, str] = field(default_factory=dict)
    adj_index: dict[str, str] = field(default_factory=dict)
    phrases: dict[str, tuple[str, str, tuple[str, ...]]] = field(default_factory=dict)
    particle_verbs: dict[str, str] = field(default_factory=dict)  # "blow up" -> explosion, also as "blew it up"
    verb_objects: dict[str, str] = field(default_factory=dict)  # "claim lives" -> kill, also "claimed nine lives"
    forms: dict[str, dict[str, str]] = field(default_factory=dict)  # {"verb": {"fined": "fine"}}: for a wrong lemma

    def trigger_lemmas(self) -> frozenset[str]:
        """Every lemma that is a trigger or the first word of a multiword trigger."""
        return self.lemmas


# Read by the lexicon build script, not by the rule layer.
_BUILD_KEYS = {"wordnet"}
_TYPE_KEYS = {"victim_retype", "family", "acled", "cameo", "kairos", "exclude_with", "exclude_heads", "requires_with",
              "exclude_word_with", "requires_word_with", "of_is_metaphor", "of_holder", "wordnet", "verbs", "nouns", "adjectives", "light_verbs", "intransitive", "patient", "participants",
              "money", "count_expected", "price_of", "retype", "yields_to", "instrument_verbs",
              "strict_verbs"}


_LIST_KEYS = {"verbs", "nouns", "adjectives", "light_verbs", "intransitive", "price_of", "yields_to",
              "instrument_verbs", "strict_verbs", "exclude_with", "exclude_heads", "requires_with",
              "of_holder"}
_WORD_SETS = ("reporting_verbs", "hedge_words", "hedge_verbs", "negation_words", "near_miss_adverbs", "birth_cues",
              "uncertainty_complementizers",
              "agentive_causes", "irrealis_verbs", "irrealis_modals", "wound_instruments", "body_parts",
              "additive_cues", "hit_words", "occurrence_heads", "generic_modifiers", "planned_modifiers",
              "statistical_heads",
              "trend_verbs", "generic_verbs", "irrealis_nouns", "reference_heads", "habitual_verbs",
              "aftermath_words", "measure_words",
              "locative_prepositions", "comparison_words", "dated_by_own_clause",
              "target_is_place", "seat_words", "neighbourhood_words", "care_nouns", "agency_words",
              "treated_families")
_WORD_TUPLES = ("reporting_prepositions", "negated_patients", "incident_breaks", "incident_openers", "link_labels")


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
        if key == "families" and isinstance(value, dict):
            for fname, spec in value.items():
                joins = spec.get("joins", []) if isinstance(spec, dict) else None
                if not isinstance(joins, list):
                    raise RulesError(f"{name}{_line_of(name, fname)}: family {fname!r} must be a table with a "
                                     f"'joins' list of families")
                entry = out.setdefault("families", {}).setdefault(fname, {"joins": []})
                entry["joins"] = list(dict.fromkeys(entry.get("joins", []) + joins))
        elif key in ("participants", "participant_suffixes", "participant_entities") and isinstance(value, dict):
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
        if any(t not in data["types"] for t in (spec.get("victim_retype") or {}).values()):
            raise RulesError(f"{name}: event type {tname!r}: 'victim_retype' names an unknown event type")
        if any(t not in data["types"] for t in spec.get("yields_to", [])):
            raise RulesError(f"{name}: event type {tname!r}: 'yields_to' names an unknown event type")
        if spec.get("family", "other") not in data.get("families", {}) and spec.get("family", "other") != "other":
            raise RulesError(f"{name}: event type {tname!r}: unknown family {spec['family']!r}")
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


def _event_type(name: str, spec: dict[str, Any]) -> EventType:
    fields: dict[str, Any] = {}
    for key, value in spec.items():
        if key in _BUILD_KEYS:
            continue
        if key == "acled":
            fields[key] = (value["event_type"], value.get("sub_event_type")) if value else None
        elif key in ("retype", "victim_retype"):
            fields[key] = tuple(value.items())
        elif key in ("exclude_word_with", "requires_word_with"):
            fields[key] = tuple((word, tuple(others)) for word, others in value.items())
        else:
            fields[key] = tuple(value) if isinstance(value, list) else value
    return EventType(name=name, **fields)


@lru_cache(maxsize=8)
def load_rules(extra_files: tuple[str, ...] = ()) -> Rules:
    """Load the built-in event rules, lay ``extra_files`` over them, validate and index them."""
    data = resources.files("factx").joinpath("data")
    base = json.loads(data.joinpath("events.json").read_text(encoding="utf-8"))
    _check_types(base, name="factx/data/events.json")
    lexicon = json.loads(data.joinpath("events_lexicon.json").read_text(encoding="utf-8"))
    replaced: set[str] = set()
    for path in extra_files:
        extra = read_rules_file(path)
        replaced |= {t for t, spec in (extra.get("types") or {}).items() if isinstance(spec, dict) and spec.get("replace")}
        base = _merge(base, extra, name=str(path))
        _check_types(base, name=str(path))
    core = {k: frozenset(v) for k, v in base["participants"].items()}
    for pname, words in lexicon.get("participants", {}).items():
        base["participants"][pname] = list(base["participants"].get(pname, [])) + list(words)
    types = {tname: _event_type(tname, spec) for tname, spec in base["types"].items()}
    rules = Rules(
        types=types,
        families={k: frozenset(v.get("joins", ())) | {k} for k, v in base.get("families", {}).items()},
        participants={k: frozenset(v) for k, v in base["participants"].items()},
        participant_suffixes={k: tuple(v) for k, v in base.get("participant_suffixes", {}).items()},
        participant_entities={k: tuple(v) for k, v in base.get("participant_entities", {}).items()},
        core_participants=core,
        **{k: frozenset(base.get(k, ())) for k in _WORD_SETS},
        **{k: tuple(base.get(k, ())) for k in _WORD_TUPLES},
        forms=lexicon.get("forms", {}),
        area_nouns=dict(base.get("area_nouns", {})),
        landmark_nouns=frozenset(base.get("landmark_nouns", [])) | frozenset(lexicon.get("landmark_nouns", [])),
    )
    for t in types.values():
        for w in t.instrument_verbs:
            rules.instrument_index.setdefault(w.lower(), t.name)
        for kind, words, index in (("verb", t.verbs, rules.verb_index), ("noun", t.nouns, rules.noun_index),
                                   ("adj", t.adjectives, rules.adj_index)):
            for w in words:
                _index(rules, t.name, kind, w, index)
    # Words from WordNet come last: a word of the hand-made lists keeps the type it has there.
    for tname, words in lexicon.get("types", {}).items():
        if tname in types and tname not in replaced:
            for kind, key, index in (("verb", "verbs", rules.verb_index), ("noun", "nouns", rules.noun_index)):
                for w in words.get(key, ()):
                    _index(rules, tname, kind, w, index)
    lemmas = frozenset(rules.verb_index) | frozenset(rules.noun_index) | frozenset(rules.adj_index) | frozenset(
        rules.instrument_index) | frozenset(parts[0] for _, _, parts in rules.phrases.values())
    return replace(rules, lemmas=lemmas)


PARTICLES = {"up", "down", "off", "out", "in", "over", "away", "back", "on"}
DETERMINERS = {"a", "an", "the", "its", "their", "his", "her"}


def _index(rules: Rules, tname: str, kind: str, word: str, index: dict[str, str]) -> None:
    # The tokenizer splits "sit-in" into sit, -, in: a hyphenated word is matched as a phrase of its parts.
    parts = tuple(p for w in word.lower().split() for p in re.split(r"(-)", w) if p)
    if len(parts) > 1:
        rules.phrases.setdefault(f"{tname}|{kind}|{word.lower()}", (tname, kind, parts))
        if kind == "verb" and len(parts) == 2 and parts[1] in PARTICLES:
            rules.particle_verbs.setdefault(" ".join(parts), tname)
        elif kind == "verb" and (len(parts) == 2 or (len(parts) == 3 and parts[1] in DETERMINERS)):
            rules.verb_objects.setdefault(f"{parts[0]} {parts[-1]}", tname)
    else:
        index.setdefault(parts[0], tname)


def describe_types(rules: Rules) -> list[dict[str, Any]]:
    """The inventory as plain data, one entry a type: family, ACLED, CAMEO and KAIROS classes, triggers."""
    out = []
    for t in rules.types.values():
        phrases = {"verb": [], "noun": [], "adj": []}
        for tname, kind, parts in rules.phrases.values():
            if tname == t.name:
                phrases[kind].append(" ".join(parts))
        words = {kind: sorted({w for w, n in index.items() if n == t.name} | set(phrases[kind]))
                 for kind, index in (("verb", rules.verb_index), ("noun", rules.noun_index), ("adj", rules.adj_index))}
        out.append({
            "type": t.name, "family": t.family,
            "acled": {"event_type": t.acled[0], "sub_event_type": t.acled[1]} if t.acled else None,
            "cameo": t.cameo, "kairos": t.kairos, "participants": t.participants,
            "verbs": words["verb"], "nouns": words["noun"], "adjectives": words["adj"],
        })
    return out
