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
from dataclasses import dataclass
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
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})
# "would" and "could" also narrate the past ("could not be located Wednesday"), so only these count.
_MODALS = frozenset({"might", "may", "should", "must", "can"})
# Verbs whose complement lies ahead of them: "is scheduled to meet Friday", "plans to vote Monday".
_PLAN_HEADS = frozenset({"set", "due", "likely", "poised", "ready", "scheduled", "slated", "expected", "about"})
_PLAN_VERBS = frozenset(
    {"schedule", "plan", "expect", "intend", "hope", "want", "prepare", "aim", "slate", "postpone", "delay", "defer"}
)
_CANDIDATE_PRIORITY = {"rule": 0, "ner": 1}


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
    )


_MATCHERS: dict[int, tuple[Any, Any]] = {}


def _matcher(vocab: Vocab):
    """One Matcher per vocabulary, built once; the vocabulary is kept so its id cannot be reused."""
    entry = _MATCHERS.get(id(vocab))
    if entry is None or entry[0] is not vocab:
        from spacy.matcher import Matcher

        matcher = Matcher(vocab, validate=True)
        for pid, pats in rules().patterns.items():
            matcher.add(pid, pats)
        entry = _MATCHERS[id(vocab)] = (vocab, matcher)
    return entry[1]


def _blocked(doc: Doc, end: int, spec: dict[str, list[str]] | None) -> bool:
    """True when the token after the match is one the pattern must not be followed by."""
    if not spec or end >= len(doc):
        return False
    nxt = doc[end]
    return nxt.lower_ in spec.get("LOWER", ()) or nxt.pos_ in spec.get("POS", ())


def _extend(doc: Doc, start: int, end: int, pid: str | None) -> tuple[int, int]:
    """Grow a core match over the modifiers TimeML keeps inside the extent ("the past", "early", "or so")."""
    r = rules()
    # A premodifier ("third-quarter profit") leaves the determiner to the noun it modifies.
    last = doc[end - 1]
    premodifier = end < len(doc) and last.dep_ in ("amod", "compound", "nmod", "nummod") and last.head.i >= end
    changed = True
    while changed:
        changed = False
        for phrase in r.prefixes:
            n = len(phrase)
            if start - n < 0:
                continue
            if phrase in r.determiners and (pid in r.no_determiner or premodifier):
                continue
            toks = doc[start - n : start]
            if tuple(t.lower_ for t in toks) == phrase and not any(t.is_sent_end for t in toks[:-1]):
                start -= n
                changed = True
                break
    for phrase in r.suffixes:
        n = len(phrase)
        if end + n <= len(doc) and tuple(t.lower_ for t in doc[end : end + n]) == phrase:
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
    # "until Tuesday", "as soon as Monday" look ahead unless the clause itself is in the past.
    ahead = before[-1:] in (["until"], ["till"]) or before[-2:] in (["as", "soon"], ["as", "early"])
    tense = _verb_tense(span)
    if ahead and tense != "past":
        return "future"
    return tense


def _verb_tense(span: Span) -> str | None:
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
            return "future"
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
    if tok.tag_ == "VBN" and words & {"has", "have", "had"}:
        return "past"
    if tok.tag_ in ("VBZ", "VBP") or (tok.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re"}):
        return "present"
    return None


def _candidates(doc: Doc) -> list[tuple[int, int, str, str | None]]:
    r = rules()
    matcher = _matcher(doc.vocab)
    out = []
    for match_id, start, end in matcher(doc):
        pid = doc.vocab.strings[match_id]
        start += r.trim_left.get(pid, 0)
        end -= r.trim_right.get(pid, 0)
        if start >= end or _blocked(doc, end, r.not_before.get(pid)):
            continue
        # The bare match stays a candidate in case its extension does not normalize.
        for s2, e2 in {_extend(doc, start, end, pid), _strip_punct(doc, start, end)}:
            if s2 < e2:
                out.append((s2, e2, "rule", pid))
    for ent in doc.ents:
        if ent.label_ in _NER_LABELS:
            start, end = _trim_entity(ent)
            if start < end:
                out.append((start, end, "ner", None))
    return out


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
