"""Temporal expressions in a spaCy Doc: find TIMEX3 extents, then normalize them in reading order.

Recognition combines token patterns (``data/dates_patterns.json``, run by a spaCy Matcher)
with the model's DATE/TIME entities. Extents follow TimeML: leading prepositions are left
out, determiners and modifiers such as "the", "last", "early", "about" are kept. Values come
from :func:`factx.normalize.dates.parse_timex`, with the verb tense of the clause and the
last date mentioned as context.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import RulesError
from ..models import DateMention
from ..normalize.dates import lexicon, parse_base, parse_timex, parse_value

if TYPE_CHECKING:
    from datetime import date

    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

# Words the model often puts at the edge of a DATE entity that TimeML leaves outside the extent.
_EDGE_TRIM = frozenset(
    "in on at by for during since until till from to of over through throughout between before after within "
    "and or as than per each every , . ; : - -- ( ) \" ' 's".split()
)
_NER_LABELS = ("DATE", "TIME")
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "would"})
# "could" also narrates the past ("could not be located Wednesday"), so only these count; "would"
# above is the future seen from a past report ("said he would leave Thursday").
_MODALS = frozenset({"might", "may", "should", "must", "can"})
# Verbs whose complement lies ahead of them: "is scheduled to meet Friday", "plans to vote Monday".
_PLAN_HEADS = frozenset({"set", "due", "likely", "poised", "ready", "scheduled", "slated", "expected", "about"})
_PLAN_VERBS = frozenset(
    {"schedule", "plan", "expect", "intend", "hope", "want", "prepare", "aim", "slate", "postpone", "delay", "defer"}
)
_CANDIDATE_PRIORITY = {"rule": 0, "ner": 1}
# Words that scale the number before them ("39.5 billion"); after one, a new number may begin.
_SCALE_WORDS = frozenset({"hundred", "thousand", "million", "billion", "trillion"})


@dataclass(frozen=True, slots=True)
class _Rules:
    patterns: dict[str, list[list[dict[str, Any]]]]
    trim_left: dict[str, int]
    trim_right: dict[str, int]
    prefer: dict[str, str]
    not_before: dict[str, dict[str, list[str]]]
    prefixes: tuple[tuple[str, ...], ...]
    suffixes: tuple[tuple[str, ...], ...]
    determiners: frozenset[tuple[str, ...]]
    no_determiner: frozenset[str]
    triggers: _Triggers
    # The prefixes by their last word, longest first as in ``prefixes``: only those can end where a match starts.
    prefixes_by_last: dict[str, tuple[tuple[str, ...], ...]]


def _expand_token(tok: dict[str, Any], sets: dict[str, list[str]], path: str) -> dict[str, Any]:
    out = dict(tok)
    for key in ("LOWER", "NORM"):
        val = out.get(key)
        if isinstance(val, str) and val.startswith("$"):
            name = val[1:]
            if name not in sets:
                raise RulesError(f"{path}: unknown word set {val!r}")
            out[key] = {"IN": sets[name]}
    return out


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """Load and validate the temporal token patterns (expanded, ready for a Matcher)."""
    path = resources.files("factx") / "data" / "dates_patterns.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RulesError(f"{path}: cannot read date patterns ({exc})") from None
    lx = lexicon()

    def with_periods(words):
        return sorted({w for w in words} | {w + "." for w in words if len(w) <= 5})

    sets: dict[str, list[str]] = {
        "MONTH": with_periods(lx["months"]),
        # Three-letter day abbreviations ("Sun", "Sat", "Wed") are too often names or words.
        "WEEKDAY": sorted({w for w in lx["weekdays"] if len(w) > 3} | {w + "." for w in lx["weekdays"] if len(w) == 4}),
        "SEASON": sorted(lx["seasons"]),
        "POD": sorted(w for w in lx["parts_of_day"] if " " not in w and w not in ("overnight", "midday")),
        "ORDINAL": sorted(w for w in lx["ordinals"] if " " not in w),
        "DECADE_WORD": sorted(lx["decade_words"]),
    }
    for name, words in data.get("word_sets", {}).items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise RulesError(f"{path}: word_sets[{name!r}] must be a list of strings")
        sets[name] = words
    sequences = data.get("sequences", {})
    patterns: dict[str, list[list[dict[str, Any]]]] = {}
    trim_left: dict[str, int] = {}
    trim_right: dict[str, int] = {}
    prefer: dict[str, str] = {}
    not_before: dict[str, dict[str, list[str]]] = {}
    for i, entry in enumerate(data.get("patterns", [])):
        pid = entry.get("id")
        pattern = entry.get("pattern")
        if not isinstance(pid, str) or not isinstance(pattern, list) or not pattern:
            raise RulesError(f"{path}: pattern #{i} needs an 'id' and a non-empty token list")
        choices = []
        for tok in pattern:
            if not isinstance(tok, dict):
                raise RulesError(f"{path}: pattern {pid!r}: token {tok!r} is not an object")
            if "@" in tok:
                seqs = sequences.get(tok["@"])
                if not seqs:
                    raise RulesError(f"{path}: pattern {pid!r}: unknown sequence {tok['@']!r}")
                choices.append([[_expand_token(t, sets, str(path)) for t in seq] for seq in seqs])
            else:
                choices.append([[_expand_token(tok, sets, str(path))]])
        patterns[pid] = [list(itertools.chain.from_iterable(combo)) for combo in itertools.product(*choices)]
        trim_left[pid] = int(entry.get("trim_left", 0))
        trim_right[pid] = int(entry.get("trim_right", 0))
        if "prefer" in entry:
            if entry["prefer"] not in ("DATE", "TIME", "DURATION", "SET"):
                raise RulesError(f"{path}: pattern {pid!r}: prefer must be a TIMEX3 type")
            prefer[pid] = entry["prefer"]
        if "not_before" in entry:
            not_before[pid] = {k.upper(): list(v) for k, v in entry["not_before"].items()}
    prefixes = tuple(sorted((tuple(p.split()) for p in data.get("prefixes", [])), key=len, reverse=True))
    suffixes = tuple(sorted((tuple(p.split()) for p in data.get("suffixes", [])), key=len, reverse=True))
    determiners = frozenset(tuple(p.split()) for p in data.get("determiners", []))
    unknown = set(data.get("no_determiner", [])) - set(patterns)
    if unknown:
        raise RulesError(f"{path}: no_determiner names unknown patterns {sorted(unknown)}")
    return _Rules(
        patterns,
        trim_left,
        trim_right,
        prefer,
        not_before,
        prefixes,
        suffixes,
        determiners,
        frozenset(data.get("no_determiner", [])),
        _triggers(patterns, str(path)),
        {last: tuple(p for p in prefixes if p and p[-1] == last) for last in {p[-1] for p in prefixes if p}},
    )


# Words too common to say where a temporal expression might be: a pattern is looked for only
# around one of its other required tokens.
_COMMON = frozenset(
    "the a an this that these those in on at by for of to from over during through throughout "
    "and or , - each every its their his her our last next past first same".split()
)


# A trigger's reach: (pattern group, tokens a match may reach to its left, to its right).
_Reach = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class _Triggers:
    """Tokens some pattern needs, with the pattern groups they call for and how far a match may reach.

    Patterns that hang on the same tokens form a group with a Matcher of its own, run only around
    those tokens: the Matcher's cost per token grows with the number of patterns it holds.
    """

    groups: tuple[tuple[str, ...], ...]  # pattern ids of each group, in file order
    words: dict[str, tuple[_Reach, ...]]
    regexes: tuple[tuple[re.Pattern[str], tuple[_Reach, ...]], ...]
    like_num: tuple[_Reach, ...]
    # All the regexes at once, to rule most tokens out with one test.
    any_regex: re.Pattern[str] | None
    # The reaches of the words and regexes, per lower-cased token text already seen.
    seen: dict[str, tuple[_Reach, ...]] = field(default_factory=dict)


def _token_trigger(tok: dict[str, Any]) -> tuple[set[str], list[str], bool] | None:
    """Words, regexes and number-likeness a required pattern token accepts; None if it gives no lexical clue."""
    words: set[str] = set()
    regexes: list[str] = []
    # NORM can differ from the lower-cased text ("'s" -> "is"), so it gives no clue here.
    for key in ("LOWER", "ORTH", "TEXT"):
        val = tok.get(key)
        if val is None:
            continue
        if isinstance(val, str):
            words.add(val.lower())
        elif isinstance(val, dict) and "IN" in val:
            words.update(w.lower() for w in val["IN"])
        elif isinstance(val, dict) and "REGEX" in val:
            # Tried on the lower-cased text, so case-insensitive to stay a superset of the pattern.
            regexes.append(f"(?i:{val['REGEX']})")
        else:
            return None
        return words, regexes, False
    if tok.get("LIKE_NUM") is True:
        return words, regexes, True
    return None


def _widen(old: tuple[int, int] | None, left: int, right: int) -> tuple[int, int]:
    """The larger of two (left, right) reaches."""
    return (left, right) if old is None else (max(old[0], left), max(old[1], right))


def _triggers(patterns: dict[str, list[list[dict[str, Any]]]], path: str) -> _Triggers:
    """Pick, for every pattern, a required token that any match must contain; group patterns by those tokens."""
    chosen: dict[str, list[tuple[tuple[frozenset[str], tuple[str, ...], bool], int, int]]] = {}
    for pid, pats in patterns.items():
        chosen[pid] = []
        for pat in pats:
            if any(tok.get("OP") == "*" for tok in pat):
                raise RulesError(f"{path}: pattern {pid!r}: OP '*' makes matches unbounded")
            specs = [
                (i, spec)
                for i, tok in enumerate(pat)
                if tok.get("OP") not in ("?", "!") and (spec := _token_trigger(tok)) is not None
            ]
            if not specs:
                raise RulesError(f"{path}: pattern {pid!r} has no required word, number or regex token")
            rare = [sp for sp in specs if not (sp[1][0] & _COMMON)]
            i, (ws, rs, num) = (rare or specs)[-1]
            chosen[pid].append(((frozenset(ws), tuple(rs), num), i, len(pat) - i - 1))
    members: dict[frozenset, list[str]] = {}
    for pid, picks in chosen.items():
        members.setdefault(frozenset(spec for spec, _, _ in picks), []).append(pid)
    words: dict[str, dict[int, tuple[int, int]]] = {}
    regexes: dict[str, dict[int, tuple[int, int]]] = {}
    like_num: dict[int, tuple[int, int]] = {}
    for g, pids in enumerate(members.values()):
        for pid in pids:
            for (ws, rs, num), left, right in chosen[pid]:
                for w in ws:
                    words.setdefault(w, {})[g] = _widen(words[w].get(g) if w in words else None, left, right)
                for r in rs:
                    regexes.setdefault(r, {})[g] = _widen(regexes[r].get(g) if r in regexes else None, left, right)
                if num:
                    like_num[g] = _widen(like_num.get(g), left, right)

    def reaches(by_group: dict[int, tuple[int, int]]) -> tuple[_Reach, ...]:
        return tuple((g, lr[0], lr[1]) for g, lr in sorted(by_group.items()))

    return _Triggers(
        tuple(tuple(pids) for pids in members.values()),
        {w: reaches(by_group) for w, by_group in words.items()},
        tuple((re.compile(r), reaches(by_group)) for r, by_group in sorted(regexes.items())),
        reaches(like_num),
        re.compile("|".join(sorted(regexes))) if regexes else None,
    )


_MATCHERS: dict[int, tuple[Any, Any]] = {}


def _matcher(vocab: Vocab) -> tuple[list[Any], dict[int, int]]:
    """One Matcher per pattern group and the file position of every match id, built once per vocabulary.

    The vocabulary is kept so that its id cannot be reused.
    """
    entry = _MATCHERS.get(id(vocab))
    if entry is None or entry[0] is not vocab:
        from spacy.matcher import Matcher

        r = rules()
        matchers = []
        for pids in r.triggers.groups:
            matcher = Matcher(vocab, validate=True)
            for pid in pids:
                matcher.add(pid, r.patterns[pid])
            matchers.append(matcher)
        order = {vocab.strings.add(pid): k for k, pid in enumerate(r.patterns)}
        entry = _MATCHERS[id(vocab)] = (vocab, (matchers, order))
    return entry[1]


_SEEN_MAX = 1 << 16


def _reaches_of(trig: _Triggers, low: str) -> tuple[_Reach, ...]:
    """The reaches a token with lower-cased text ``low`` gives by its words and regexes (not number-likeness)."""
    hit = trig.seen.get(low)
    if hit is None:
        hit = trig.words.get(low, ())
        if trig.any_regex is not None and trig.any_regex.match(low):
            for rx, more in trig.regexes:
                if rx.match(low):
                    hit += more
        if len(trig.seen) >= _SEEN_MAX:
            trig.seen.clear()
        trig.seen[low] = hit
    return hit


def _windows(lowers: list[str], like_num: list[bool], trig: _Triggers) -> list[list[tuple[int, int]]]:
    """For each pattern group, the token ranges around the tokens its patterns hang on, merged.

    The rest of the text cannot hold a match of the group.
    """
    n = len(lowers)
    windows: list[list[tuple[int, int]]] = [[] for _ in trig.groups]
    seen = trig.seen
    for i, low in enumerate(lowers):
        reaches = seen.get(low)
        if reaches is None:
            reaches = _reaches_of(trig, low)
        if trig.like_num and like_num[i]:
            reaches += trig.like_num
        for g, left, right in reaches:
            start, end = max(0, i - left), min(n, i + right + 1)
            # A run of number words ("twenty four") may make a match longer than its pattern.
            while start > 0 and like_num[start]:
                start -= 1
            while end < n and like_num[end - 1]:
                end += 1
            windows[g].append((start, end))
    out = []
    for group in windows:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(group):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        out.append(merged)
    return out


def _token_lists(doc: Doc) -> tuple[list[str], list[bool]]:
    """The lower-cased text and the number-likeness of every token, read in one pass."""
    from spacy.attrs import LIKE_NUM, LOWER

    if not len(doc):
        return [], []
    strings = doc.vocab.strings
    lower, like_num = doc.to_array([LOWER, LIKE_NUM]).T.tolist()
    return [strings[h] for h in lower], [v != 0 for v in like_num]


def _matches(
    doc: Doc, lowers: list[str], trig: _Triggers, like_num: list[bool] | None = None
) -> list[tuple[int, int, int]]:
    """The patterns' matches over ``doc`` by start, end and file order, searched only where they could be."""
    matchers, order = _matcher(doc.vocab)
    if like_num is None:
        like_num = _token_lists(doc)[1]
    out = []
    for matcher, windows in zip(matchers, _windows(lowers, like_num, trig)):
        for a, b in windows:
            out.extend((mid, a + s, a + e) for mid, s, e in matcher(doc[a:b]))
    out.sort(key=lambda m: (m[1], m[2], order[m[0]]))
    return out


def _blocked(doc: Doc, end: int, spec: dict[str, list[str]] | None) -> bool:
    """True when the token after the match is one the pattern must not be followed by."""
    if not spec or end >= len(doc):
        return False
    nxt = doc[end]
    return nxt.lower_ in spec.get("LOWER", ()) or nxt.pos_ in spec.get("POS", ())


def _extend(doc: Doc, lowers: list[str], start: int, end: int, pid: str | None) -> tuple[int, int]:
    """Grow a core match over the modifiers TimeML keeps inside the extent ("the past", "early", "or so").

    ``lowers`` is the lower-cased text of every token of ``doc``.
    """
    r = rules()
    # A premodifier ("third-quarter profit") leaves the determiner to the noun it modifies.
    last = doc[end - 1]
    premodifier = end < len(doc) and last.dep_ in ("amod", "compound", "nmod", "nummod") and last.head.i >= end
    changed = True
    while changed and start > 0:
        changed = False
        for phrase in r.prefixes_by_last.get(lowers[start - 1], ()):
            n = len(phrase)
            if start - n < 0 or tuple(lowers[start - n : start]) != phrase:
                continue
            if phrase in r.determiners and (pid in r.no_determiner or premodifier):
                continue
            if not any(doc[i].is_sent_end for i in range(start - n, start - 1)):
                start -= n
                changed = True
                break
    for phrase in r.suffixes:
        n = len(phrase)
        if tuple(lowers[end : end + n]) == phrase:
            end += n
            break
    return _strip_punct(doc, start, end)


def _strip_punct(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and doc[start].is_punct:
        start += 1
    while end > start and doc[end - 1].is_punct and doc[end - 1].text != "'":
        end -= 1
    return start, end


def _trim_entity(ent: Span) -> tuple[int, int]:
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].lower_ in _EDGE_TRIM or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].lower_ in _EDGE_TRIM or doc[end - 1].is_space or doc[end - 1].is_punct):
        end -= 1
    return start, end


def _is_age(doc: Doc, start: int, end: int) -> bool:
    """Ages and counts dressed as dates: "a 45-year-old", "in their 30s", "8 years old"."""
    followers = set(lexicon()["age_followers"])
    nxt = [t.lower_ for t in doc[end : end + 3]]
    if nxt[:1] and nxt[0] in followers:
        return True
    if nxt[:2] in (["-", "old"], ["-", "olds"], ["of", "age"]):
        return True
    if (
        start > 0
        and doc[start - 1].lower_ in ("their", "his", "her", "its", "my", "your", "our", "mid", "early", "late")
        and re.fullmatch(r"\d0'?s", doc[end - 1].text)
    ):
        return True
    return False


def _is_count(doc: Doc, start: int, end: int, pid: str | None) -> bool:
    """A four-digit number used as a count, code or part of a range, not a year."""
    if pid not in ("year", None) or end - start != 1:
        return False
    tok = doc[start]
    if not (tok.text.isdigit() and len(tok.text) == 4):
        return False
    if start > 0:
        prev = doc[start - 1]
        if prev.text in ("$", "#", "No.", "no.", "No", "£", "€", "¥", "US$") or prev.lower_ in (
            "no",
            "number",
            "flight",
            "route",
            "room",
            "page",
            "model",
            "box",
            "suite",
            "mile",
            "km",
        ):
            return True
        if prev.whitespace_ == "" and (prev.text[-1:].isdigit() or prev.text in ("-", "/", ".", ",", ":")):
            return True
    if end < len(doc):
        nxt = doc[end]
        if tok.whitespace_ == "" and (
            nxt.text[:1].isdigit()
            or nxt.text in ("-", "/", ":", ".", ",")
            and end + 1 < len(doc)
            and doc[end + 1].text[:1].isdigit()
        ):
            return True
        if nxt.lower_ in lexicon()["non_year_followers"]:
            return True
        if nxt.ent_type_ in ("MONEY", "QUANTITY", "PERCENT") or tok.ent_type_ in ("MONEY", "QUANTITY", "PERCENT"):
            return True
    return False


def _is_rate(doc: Doc, start: int, end: int) -> bool:
    """ "a year" after an amount means "per year" ("$2 million a year", "four flights a week"), not a duration."""
    if end - start != 2 or doc[start].lower_ not in ("a", "an", "per") or start == 0:
        return False
    prev = doc[start - 1]
    return (
        prev.like_num
        or prev.pos_ in ("NUM", "NOUN", "PROPN", "SYM")
        or prev.ent_type_ in ("MONEY", "CARDINAL", "QUANTITY")
    )


def _tense(span: Span) -> str | None:
    """past / future / present for the clause the expression belongs to; None when there is no verb."""
    doc = span.doc
    before = [t.lower_ for t in doc[max(0, span.start - 3) : span.start]]
    if before[-1:] == ["since"]:
        return "past"
    # "effective Feb. 1" dates a change on its own; the tense of the announcing verb says nothing.
    if before[-1:] == ["effective"]:
        return None
    # "until Tuesday", "as soon as Monday" look ahead unless the clause itself is in the past
    # (a present perfect "has given them until Tuesday" still looks ahead).
    ahead = before[-1:] in (["until"], ["till"]) or before[-3:] in (["as", "soon", "as"], ["as", "early", "as"])
    tense = _verb_tense(span)
    if ahead and tense != "past":
        return "future"
    return "past" if tense == "perfect" else tense


def _pluperfect(tok) -> bool:
    """True when ``tok`` or the verb it depends on has the auxiliary "had"."""
    for t in (tok, tok.head):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in t.children):
            return True
    return False


def _verb_tense(span: Span) -> str | None:
    """past / perfect / present / future of the verb governing ``span``; None when there is none."""
    doc = span.doc
    tok = span.root
    if tok.dep_ in ("poss", "compound", "amod", "nmod") or (span.end < len(doc) and doc[span.end].lower_ == "'s"):
        return None
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    # An infinitive ("agreed to buy it Friday") takes its time from the verb it complements.
    for _ in range(3):
        if not any(c.tag_ == "TO" for c in auxes) or tok.head is tok:
            break
        if tok.head.lemma_ in _PLAN_VERBS or tok.head.lower_ in _PLAN_HEADS:
            # "had been due to expire Friday": a plan told in the past perfect is over.
            return "past" if _pluperfect(tok.head) else "future"
        if tok.head.pos_ not in ("VERB", "AUX"):
            break
        tok = tok.head
        auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & _FUTURE_AUX or tok.lower_ in _FUTURE_AUX:
        return "future"
    if "had" in words:
        return "past"
    if words & _MODALS or any(c.tag_ == "TO" for c in auxes):
        return "future"
    if tok.lemma_ in _PLAN_VERBS:
        return "future"
    if tok.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxes):
        return "past"
    if tok.tag_ == "VBN" and words & {"has", "have"}:
        return "perfect"
    if tok.tag_ in ("VBZ", "VBP") or (tok.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re"}):
        return "present"
    return None


def _candidates(doc: Doc) -> list[tuple[int, int, str, str | None]]:
    r = rules()
    out = []
    lowers, like_num = _token_lists(doc)
    for match_id, start, end in _matches(doc, lowers, r.triggers, like_num):
        pid = doc.vocab.strings[match_id]
        start += r.trim_left.get(pid, 0)
        end -= r.trim_right.get(pid, 0)
        if start >= end or _blocked(doc, end, r.not_before.get(pid)):
            continue
        if _splits_numbers(lowers, like_num, start, end):
            continue
        # The bare match stays a candidate in case its extension does not normalize.
        for s2, e2 in {_extend(doc, lowers, start, end, pid), _strip_punct(doc, start, end)}:
            if s2 < e2:
                out.append((s2, e2, "rule", pid))
    for ent in doc.ents:
        if ent.label_ in _NER_LABELS:
            start, end = _trim_entity(ent)
            if start < end:
                out.append((start, end, "ner", None))
    return out


def _splits_numbers(lowers: list[str], like_num: list[bool], start: int, end: int) -> bool:
    """True when tokens ``start:end`` begin inside an amount or run two numbers together.

    In "rose to 39.5 billion two weeks earlier" the amount ends at "billion": neither
    "billion two weeks" nor "39.5 billion two weeks" is a duration, "two weeks earlier" is.
    """
    if start > 0 and like_num[start - 1] and lowers[start] in _SCALE_WORDS:
        return True
    run = start  # where the current run of number tokens began
    for i in range(start + 1, end):
        if not like_num[i - 1]:
            run = i
        elif (
            like_num[i]
            and lowers[i - 1] in _SCALE_WORDS
            and lowers[i] not in _SCALE_WORDS
            and any(c.isdigit() for k in range(run, i) for c in lowers[k])
        ):
            return True
    return False


def _has_calendar_word(span: Span) -> bool:
    """A digit, month or weekday name: what makes a model entity worth keeping."""
    lx = lexicon()
    return any(t.like_num or t.lower_.rstrip(".") in lx["months"] or t.lower_ in lx["weekdays"] for t in span)


def _select(
    doc: Doc, cands: list[tuple[int, int, str, str | None]], published: str | None
) -> list[tuple[int, int, str | None]]:
    """Longest normalizable pattern matches first, then model entities that no pattern match overlaps."""
    taken = [False] * len(doc)
    chosen = []
    order = sorted(cands, key=lambda c: (_CANDIDATE_PRIORITY[c[2]], -(c[1] - c[0]), c[0]))
    for start, end, source, pid in order:
        if any(taken[start:end]):
            continue
        if _is_age(doc, start, end) or _is_count(doc, start, end, pid) or _is_rate(doc, start, end):
            continue
        timex = parse_timex(doc[start:end].text, base=published, prefer=rules().prefer.get(pid or ""))
        if timex is None:
            continue
        # The model's DATE/TIME entities are noisy ("quarterly", "minutes"); only calendar
        # points that no pattern found are taken from it.
        if source == "ner" and not (
            timex.type in ("DATE", "TIME") and timex.value[:1].isdigit() and _has_calendar_word(doc[start:end])
        ):
            continue
        chosen.append((start, end, pid))
        for i in range(start, end):
            taken[i] = True
    return sorted(chosen)


def extract_dates(doc: Doc, *, published: str | None) -> list[DateMention]:
    """Find and normalize every temporal expression in ``doc``, sorted by start offset."""
    mentions: list[DateMention] = []
    anchor: str | None = None
    base = parse_base(published)
    prefer = rules().prefer
    for start, end, pid in _select(doc, _candidates(doc), published):
        span = doc[start:end]
        timex = parse_timex(span.text, base=published, anchor=anchor, tense=_tense(span), prefer=prefer.get(pid or ""))
        if timex is None:
            continue
        # Tokens such as "p.m.," keep trailing punctuation that is not part of the expression.
        text = span.text.rstrip(",;:!?\"')")
        mentions.append(
            DateMention(
                text=text,
                start=span.start_char,
                end=span.start_char + len(text),
                type=timex.type,
                value=timex.value,
                granularity=timex.granularity,
                mod=timex.mod,
            )
        )
        anchor = _next_anchor(anchor, timex, base)
    return mentions


def _next_anchor(anchor: str | None, timex, base: date | None) -> str | None:
    """The reference date for anchored expressions after ``timex``: the last date mentioned.

    Values computed from another date do not move the reference, nor do dates after
    publication (a forecast is an aside in a report); a day inside the quarter under
    discussion ("the quarter ended Sept. 30") leaves the quarter in place.
    """
    if timex.anchored or timex.type not in ("DATE", "TIME") or "X" in timex.value:
        return anchor
    new = parse_value(timex.value)
    if new is None or (base is not None and new[0] > base):
        return anchor
    old = parse_value(anchor) if anchor else None
    if old is not None and old[1] == "quarter" and new[1] in ("day", "month", "week"):
        q_start = old[0]
        q_end_month = q_start.month + 2
        if q_start.year == new[0].year and q_start.month <= new[0].month <= q_end_month:
            return anchor
    return timex.value[:10] if "T" in timex.value else timex.value
