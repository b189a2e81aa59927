"""Numbers, quantities and money amounts in a parsed article, anchored to character offsets.

The finder works in three passes over ``doc.text`` and the parse:

1. *cores*: digit strings ("1,094", "4bn", "256GB") and number-word phrases ("twenty-one",
   "a dozen", "tens of thousands", "two-thirds");
2. *expansion*: scale words, currency symbols and names, percent signs, measurement units,
   qualifiers ("more than", "up to") and direction words ("rose by", "fell to") around each
   core, and the counted noun from the dependency parse ("1,094 people" -> "people");
3. *pairing*: ranges ("10-15", "between 20 and 30", "from 1 to 1.5 degrees") and converted
   money pairs ("20,000 yuan (US$3,250)").

What is left out on purpose, each a class of false positive in news text: years, days of
the month, clock times, phone numbers, street numbers, versions and model numbers, sports
scores ("won 3-1"), section and row numbers, decades ("the 1990s", "in their 30s"),
duration modifiers ("a six-month operation"; the dates layer reports those) and ordinals
("22nd", "second"): ordinals are not quantities, so they are not reported at all.

Conventions for vague amounts, following NewsQuant: "dozens" is the range 12-120,
"hundreds" 100-1000, "tens of thousands" 10,000-100,000 (qualifier ``range``, ``value`` =
the low end); "a couple" is about 2 and "a handful" about 5. Durations written as counts
("three months", "15 years") are quantities with the time word as unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ..models import DateMention, MoneyMention, NumberMention
from ..normalize.quantities import (
    QuantityRules,
    load_currencies,
    load_quantity_rules,
    parse_number,
    tidy,
    unit_name,
)
from .tokens import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# fmt: off
_DROP = "drop"  # a pair that is no quantity at all: a score, an age group
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_DATE_PREPOSITIONS = frozenset({"in", "since", "from", "by", "until", "till", "of", "between", "and", "to",
                                "before", "after", "during", "circa", "c.", "ad", "a.d.", "bc", "b.c.", "year",
                                "early", "late", "mid", "summer", "winter", "spring", "autumn", "fall"})
_YEAR_MODIFIER_CONTEXT = frozenset({"of", "the", "in", "for", "from", "since", "its", "their", "his", "her", "'s",
                                    "by", "during", "this", "last", "next", "our", "and", "fiscal"})
_ONE_BLOCKERS = frozenset({"the", "this", "that", "each", "every", "any", "no", "which", "a", "an", "another",
                           "someone", "only", "last", "other", "first", "next", "same", "right", "big",
                           "new", "old", "little", "one", "such", "what", "whichever", "everyone"})
_EQUIV_GAP = re.compile(r"^\s*[(\[]\s*(?:about|around|approximately|approx\.?|roughly|some|nearly|almost|"
                        r"or|~|≈|equivalent to|worth)?\s*$", re.I)
_RANGE_DASH = re.compile(r"^\s*(?:-|–|—|-to-)\s*$")
_RANGE_TO = re.compile(r"^\s*(?:to|through|-to-)\s*$", re.I)
_RANGE_AND = re.compile(r"^\s*and\s*$", re.I)
_PHONE = re.compile(r"(?<![\d.,])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}(?![\d,])"
                    r"|(?<![\d.,-])\d{3}-\d{4}(?![\d,-])|(?<![\d,])1-800-\d{3}-\d{4}")
_ISO_STAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_DIGIT_CORE = re.compile(r"(?<![\d.,])(?:\d{1,2}(?:,\d{2})+,\d{3}(?![\d])|\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?"
                         r"|(?<![\w.,])\.\d+")
_SUFFIX = re.compile(r"[°º]?[A-Za-z]+(?:/[A-Za-z]+)?")
_NOT_CODES = frozenset({"THE", "AND", "FOR", "ALL", "CEO", "USA", "GMT", "NOT", "BUT", "ONE", "TWO", "WHO", "NEW",
                        "TOP", "CUP", "WAS", "HAS", "HIS", "HER", "OUR", "PER", "UTC", "EST", "BST"})
_METRE_CONTEXT = frozenset({"tall", "high", "long", "wide", "deep", "away", "above", "below", "thick", "in",
                            "race", "sprint", "freestyle", "hurdles", "final", "dash", "relay", "metres", "(",
                            "from", "under", "underwater", "down", "up", "across", "square", "cubic"})
_WORD = re.compile(r"[A-Za-z][A-Za-z.'’-]*|[%$€£¥~#§]")
# fmt: on


@dataclass(frozen=True, slots=True)
class _Item:
    start: int
    end: int
    value: float | int
    core_start: int
    core_end: int
    qualifier: str = "exact"
    low: float | int | None = None
    high: float | int | None = None
    unit: str | None = None
    change: str | None = None
    kind: str = "cardinal"
    currency: str | None = None
    scaled: bool = False
    words: bool = False
    pct: bool = False
    measure: bool = False


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """Regexes compiled from the rule tables (longest alternatives first)."""
    rules = load_quantity_rules()
    cur = load_currencies()

    def alt(words):
        return _alternation(words)

    numw = alt(rules.number_words)
    units = alt(rules.units)
    names = alt(list(cur.names) + list(cur.minor))
    scales = alt(rules.scales)
    return {
        "words": re.compile(
            rf"\b(?:(?:a|an)\s+)?(?:{numw})(?:(?:\s+and\s+|\s*-\s*|\s+)(?:{numw}))*\b", re.I),
        "scale": re.compile(rf"^\s*-?\s*((?:{scales})(?:\s+(?:{scales}))*)\b", re.I),
        "money_scale": re.compile(r"^\s*(mil|bil|mm|m|b|M|B|K)\b"),
        "percent": re.compile(r"^\s*(%|per[\s-]?cent\b|pct\b|pc\b|percentage[\s-]points?\b|percent(?:age)?\s+points?\b"
                              r"|percentage\b)", re.I),
        "cur_name": re.compile(rf"^\s*(?:of\s+)?(?:(?:[A-Z][a-z]+\s)?)?({names})\b", re.I),
        "cur_code_after": re.compile(r"^\s*([A-Z]{3})\b"),
        "cur_symbol_after": re.compile(
            "^ ?(" + alt(s for s in cur.symbols if not re.search(r"[A-Za-z]", s)) + r")(?![\w$€£¥])"),
        "unit": re.compile(rf"^(?:\s*-\s*|\s*)({units})(?![\w/])", re.I),
        "vague": re.compile(r"\b(?:(tens|hundreds|dozens)\s+of\s+)?(dozens|hundreds|thousands|millions|billions|trillions)\b",
                            re.I),
        "qualifier": re.compile(
            r"(?:^|(?<=[\s(\-–—,;:]))(" + alt(q for q in rules.qualifiers if q not in ("~", "≈", "or so")) + r")\s+$"),
        "idiom": re.compile(r"\b(?:" + alt(rules.idioms) + r")\b", re.I),
        "fraction": re.compile(
            rf"\b(?:(a|an|one|{numw})[\s-]+)({alt(rules.fractions)})\b|\b(half)(?=\s+(?:of|the|a|an|its|his|her|their|our|"
            r"all|those|these|them|that|this|million|billion|trillion)\b)"
            r"|\b(quarter|half)(?=\s+(?:million|billion|trillion)\b)", re.I),
    }


# Characters that IGNORECASE matching may take for one another beyond plain case pairs.
_FOLD_GROUPS = ("iİı", "sſ", "kK")


def _folds_together(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` might match the same character under re.IGNORECASE (erring towards yes)."""
    if a.lower() == b.lower() or a.upper() == b.upper() or a.casefold() == b.casefold():
        return True
    return any(a.lower() in g and b.lower() in g or a in g and b in g for g in _FOLD_GROUPS)


def _alternation(words) -> str:
    """A regex for ``words`` that tries them longest first, as a sorted alternation would, with shared prefixes merged.

    An alternation of hundreds of literals is tried word by word at every position and takes
    tens of milliseconds to compile; the prefix tree fails at the first character that fits no
    word.  Where two branches start with characters that case-insensitive matching may
    confuse, the tree would change which word is tried first, so the plain alternation is kept.
    """
    words = set(words)
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str | None:
        keys = [k for k in node if k]
        if any(_folds_together(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :]):
            return None
        parts = []
        for k in sorted(keys):
            rest, chars = node[k], [k]
            # A chain with one way on is a plain literal.
            while len(rest) == 1 and "" not in rest:
                (k2, rest), = rest.items()
                chars.append(k2)
            tail = build(rest)
            if tail is None:
                return None
            parts.append(re.escape("".join(chars)) + tail)
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        # The longer words go first: the end of a word here is tried only after every continuation.
        return f"(?:{body})?" if "" in node else body

    tree = build(trie) if words else None
    if tree is None:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return tree


@lru_cache(maxsize=1)
def _cur_name_plain() -> re.Pattern[str]:
    """A currency name right after an amount, with no adjective before it (compiled when first needed: it seldom is)."""
    cur = load_currencies()
    return re.compile(rf"^\s*({_alternation(list(cur.names) + list(cur.minor))})\b", re.I)


def _words_before(text: str, pos: int, n: int = 4) -> list[str]:
    return [w.lower() for w in _WORD.findall(text[max(0, pos - 60):pos])][-n:]


def _qualifier_before(text: str, start: int, rules: QuantityRules) -> tuple[str, int]:
    """(qualifier, new start) for a qualifier phrase right before ``start``."""
    left = text[max(0, start - 30):start]
    low = left.lower()
    if low.endswith("~") or low.endswith("≈"):
        return "about", start - 1
    m = _patterns()["qualifier"].search(low)
    if m:
        return rules.qualifiers[m.group(1)], start - (len(left) - m.start(1))
    return "exact", start


def _change_before(text: str, start: int, rules: QuantityRules) -> str | None:
    words = _words_before(text, start, 5)
    phrase_words = list(words)
    while phrase_words:
        last = phrase_words[-1]
        two = " ".join(phrase_words[-2:]) if len(phrase_words) >= 2 else None
        if two and two in rules.change_words and two.endswith(" of"):
            return rules.change_words[two]
        if last in rules.change_words:
            return rules.change_words[last]
        if two and two in rules.change_links:
            phrase_words = phrase_words[:-2]
            continue
        if last in rules.change_links or last in rules.qualifiers or last in ("$", "€", "£", "¥"):
            phrase_words = phrase_words[:-1]
            continue
        return None
    return None


def _token_at(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span[-1]


def _counted_noun(doc: Doc, start: int, end: int) -> str | None:
    """The noun a number counts, from the dependency parse ("1,094 people" -> "people")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    inside = {t.i for t in span}
    for tok in reversed(span):
        head = tok.head
        if head.i not in inside and head.i > tok.i and head.pos_ in ("NOUN", "PROPN") and \
                tok.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "npadvmod", "det"):
            if all(doc[k].pos_ in ("ADJ", "NOUN", "PROPN", "NUM", "PUNCT", "ADV", "VERB") and doc[k].text not in ",;:()"
                   for k in range(tok.i + 1, head.i)):
                return head.text
    last = span[-1]
    for child in last.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i > last.i:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj.text
    # the parser often attaches a number to a verb; take the noun right after it
    k = last.i + 1
    while k < len(doc) and k <= last.i + 3 and doc[k].pos_ == "ADJ":
        k += 1
    if k < len(doc) and doc[k].pos_ == "NOUN" and doc[k].is_alpha and doc[k].tag_ in ("NNS", "NN") and \
            (k + 1 >= len(doc) or doc[k + 1].pos_ != "NOUN"):
        if doc[k].tag_ == "NNS" or last.lower_ in ("one", "1"):
            return doc[k].text
    elif k < len(doc) and doc[k].pos_ == "NOUN" and k + 1 < len(doc) and doc[k + 1].pos_ == "NOUN" and \
            doc[k + 1].is_alpha:
        return doc[k + 1].text
    return None


def _blocked(text: str, dates: Sequence[DateMention]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(phone numbers and timestamps, date spans) in which no number is a quantity."""
    out = [(m.start(), m.end()) for m in _PHONE.finditer(text)]
    out += [(m.start(), m.end()) for m in _ISO_STAMP.finditer(text)]
    spans = []
    for d in dates:
        if d.type in ("DURATION", "SET") and not re.search(r"\w-\w", d.text):
            continue  # "three months", "every 33 years" count time; "six-month" modifies a noun
        spans.append((d.start, d.end))
    return out, spans


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in spans)


def _currency_before(text: str, s: int, e: int) -> tuple[str, int] | None:
    """(ISO code, start of the symbol) for a currency symbol or code written right before ``s``."""
    cur = load_currencies()
    left = text[max(0, s - 8):s]
    m = re.search(r"(?:^|(?<=[^A-Za-z]))([A-Z]{1,3}) \$ ?$", left)
    if m and f"{m.group(1)}$" in cur.symbols:  # "US $58", "HK $3.7 billion"
        return cur.symbols[f"{m.group(1)}$"], s - (len(left) - m.start(1))
    m = re.search(r"(?:^|(?<=[^A-Za-z]))([A-Za-z]{2,3}) ?\$ ?$", left)
    if m:  # "hk$", "AUD$", "mxn$": a country prefix or an ISO code before the dollar sign
        letters = m.group(1)
        for key in (f"{letters.upper()}$", f"{letters.title()}$"):
            if key in cur.symbols:
                return cur.symbols[key], s - (len(left) - m.start(1))
        if letters.upper() in cur.codes and letters.upper() not in _NOT_CODES:
            return letters.upper(), s - (len(left) - m.start(1))
    stripped = left[:-1] if left.endswith(" ") else left
    # Longest symbol first; two symbols of one length cannot both end the same text.
    for size in _symbol_lengths():
        if size > len(stripped):
            continue
        sym = stripped[len(stripped) - size :]
        if sym not in cur.symbols:
            continue
        start = s - (len(left) - len(stripped)) - len(sym)
        if sym[-1].isalpha() and len(stripped) < len(left) and len(sym) < 2:
            continue
        if sym[0].isalpha() and start > 0 and text[start - 1].isalpha():
            continue
        return cur.symbols[sym], start
    m = re.search(r"(?:^|(?<=[^A-Za-z]))([A-Z]{3}) ?$", left)
    if m and m.group(1) in cur.codes and m.group(1) not in _NOT_CODES:
        return m.group(1), s - (len(left) - m.start(1))
    for sym, code in cur.transliterated.items():
        if left.endswith(sym) and (len(left) == len(sym) or not left[-len(sym) - 1].isalpha()):
            if re.match(r"[\d,]*[.,]\d|\d+\s?(?:bn|m|k|mn|mil|million|billion|trillion)\b", text[s:e + 10]):
                return code, s - len(sym)
    return None


@lru_cache(maxsize=1)
def _symbol_lengths() -> tuple[int, ...]:
    """The lengths of the currency symbols, longest first."""
    return tuple(sorted({len(sym) for sym in load_currencies().symbols}, reverse=True))


_IDENTIFIER_WORDS: dict[int, tuple[QuantityRules, frozenset[str]]] = {}


def _identifier_words(rules: QuantityRules) -> frozenset[str]:
    """The identifier nouns of ``rules`` with and without their final period ("No.", "No"), built once."""
    hit = _IDENTIFIER_WORDS.get(id(rules))
    if hit is None or hit[0] is not rules:
        hit = _IDENTIFIER_WORDS[id(rules)] = (
            rules, rules.identifier_nouns | {p.rstrip(".") for p in rules.identifier_nouns})
    return hit[1]


def _currency_prefixed(text: str, s: int, e: int) -> bool:
    return _currency_before(text, s, e) is not None


def _digit_cores(text: str, rules: QuantityRules) -> list[_Item]:
    items = []
    consumed = -1
    for m in _DIGIT_CORE.finditer(text):
        s, e = m.start(), m.end()
        raw = m.group()
        if s < consumed:
            continue
        mixed = re.match(r" (\d)[/⁄](\d{1,2})(?![\d/⁄.,])", text[e:]) if raw.isdigit() else None
        if mixed and 0 < int(mixed.group(1)) < int(mixed.group(2)) and \
                int(mixed.group(2)) in (2, 3, 4, 8, 16, 32, 64):  # "7 3/4": whole plus a common fraction
            value = tidy(int(raw) + int(mixed.group(1)) / int(mixed.group(2)))
            consumed = e + mixed.end()
            items.append(_Item(s, consumed, value, s, consumed, kind="fraction"))
            continue
        prev = text[s - 1] if s else " "
        if prev.isalpha() and not _currency_prefixed(text, s, e):
            continue  # S23, XC40, cac40: a name, not an amount
        if prev in "-–" and s >= 2 and text[s - 2].isalpha():
            if not re.search(r"(?:\bminus|\bsub|\d-to)-$", text[max(0, s - 8):s], re.I):
                continue  # F-150, COVID-19, Under-21
        if re.fullmatch(r"0\d+", raw):
            continue  # 09, 007: parts of dates and codes
        if prev == ":" and s >= 2 and text[s - 2].isdigit():
            continue
        if prev == "/" and s >= 2 and text[s - 2].isdigit():
            continue
        nxt = text[e:e + 2]
        if nxt[:1] == ":" and nxt[1:2].isdigit():
            continue  # 17:22, 1:36.6
        if nxt[:1] in "/⁄" and nxt[1:2].isdigit():
            frac = re.match(r"[/⁄](\d+)(?!\d|[/⁄.]\d)", text[e:])
            if frac and raw.isdigit() and int(raw) < int(frac.group(1)) and (
                    int(frac.group(1)) in range(2, 11) or re.match(r"\s+of\b", text[e + frac.end():])):
                items.append(_Item(s, e + frac.end(), parse_number(text[s:e + frac.end()]), s, e + frac.end(),
                                   kind="fraction"))
            continue
        if nxt[:1] == "." and nxt[1:2].isdigit() or (prev == "." and s >= 2 and text[s - 2].isdigit()):
            continue  # 1.2.3: a version or an address
        if prev in "'’" and re.match(r"\d0s\b", text[s:]):
            continue  # '90s
        value = parse_number(raw)
        if value is None:
            continue
        unit = None
        measure = False
        scaled = False
        um = _patterns()["unit"].match(text[e:])
        suf = _SUFFIX.match(text, e)
        if um and um.start(1) == 0 and (suf is None or um.end() > suf.end() - e) and \
                um.group(1).lower() not in _ORDINAL_SUFFIXES:
            unit, measure = um.group(1), True
            items.append(_Item(s, e + um.end(), value, s, m.end(), unit=unit, measure=measure))
            continue
        if suf:
            word = suf.group()
            low = word.lower()
            if low in _ORDINAL_SUFFIXES or low in ("am", "pm") or re.fullmatch(r"(?:am|pm)[a-z]*", low):
                continue
            if low == "s" or low == "ies":
                continue  # decades: the 1990s, in their 30s
            if low in rules.scales or word in rules.money_scales:
                # "m"/"b" alone are a scale only next to a currency; decided in expansion
                if low in rules.scales:
                    value, e, scaled = tidy(value * rules.scales[low]), suf.end(), True
                else:
                    unit, e = word, suf.end()
            elif low.rstrip("s") in {u.rstrip("s") for u in rules.units} or low in rules.units:
                unit, e, measure = word, suf.end(), True
            elif len(word) <= 4 and (e >= len(text) or not text[suf.end():suf.end() + 1].isalnum()):
                unit, e = word, suf.end()  # 5G, 164p: an attached unit nobody listed
            else:
                continue
        items.append(_Item(s, e, value, s, m.end(), unit=unit, measure=measure, scaled=scaled))
    return items


def _word_cores(doc: Doc, text: str, rules: QuantityRules) -> list[_Item]:
    """Number words, idioms, vague plurals and fractions ("twenty-one", "a dozen", "tens of thousands")."""
    pats = _patterns()
    items: list[_Item] = []
    taken: list[tuple[int, int]] = []
    for m in pats["idiom"].finditer(text):
        if _is_rate(text, m.start(), m.group()):
            continue
        value, qual = rules.idioms[m.group().lower()]
        end = m.end() - 3 if m.group().lower().endswith(" of") else m.end()  # "a handful of shops": count only
        items.append(_Item(m.start(), end, value, m.start(), end, qualifier=qual, words=True))
        taken.append(m.span())
    for m in pats["vague"].finditer(text):
        if _overlaps(*m.span(), taken):
            continue
        mult_word, plural = m.group(1), m.group(2).lower()
        nxt = text[m.end():m.end() + 4].lower()
        if not mult_word and plural == "hundreds" and nxt.startswith(" of") and \
                re.match(r"\s+of\s+(thousands|millions|billions)", text[m.end():], re.I):
            continue  # "hundreds of thousands": taken by the longer match below
        low, high = rules.vague_plurals[plural]
        if mult_word:
            mult = rules.vague_multipliers.get(mult_word.lower(), 12)
            low, high = low * mult, high * mult
        prev = _words_before(text, m.start(), 1)
        if prev and prev[-1] in rules.number_words or prev and prev[-1] in ("the", "of") and not mult_word:
            if not nxt.startswith(" of"):
                continue
        items.append(_Item(m.start(), m.end(), low, m.start(), m.end(), qualifier="range", low=low, high=high,
                           words=True))
        taken.append(m.span())
    for m in pats["fraction"].finditer(text):
        if _overlaps(*m.span(), taken):
            continue
        if m.group(3) or m.group(4):
            if m.start() and text[m.start() - 1] == "-":
                continue
            value = rules.fractions[(m.group(3) or m.group(4)).lower()]
        else:
            lead = m.group(1).lower()
            frac = m.group(2).lower()
            scale_next = re.match(r"\s+(?:million|billion|trillion)\b", text[m.end():], re.I)
            if frac in ("quarter", "quarters", "second") and not re.match(r"\s+of\b", text[m.end():]) and \
                    not scale_next:
                continue  # "the third quarter", "a quarter century"
            if lead in ("a", "an", "one") and not re.match(r"\s+(?:of|the|a|an)\b", text[m.end():]) and \
                    not scale_next:
                continue
            n = 1 if lead in ("a", "an", "one") else rules.number_words.get(lead)
            if n is None or (n > 1 and not frac.endswith("s")):
                continue
            value = tidy(n * rules.fractions[frac])
        items.append(_Item(m.start(), m.end(), value, m.start(), m.end(), kind="fraction", words=True))
        taken.append(m.span())
    for m in pats["words"].finditer(text):
        for s, e, value in _split_words(text, m.start(), m.end(), rules):
            if _overlaps(s, e, taken):
                continue
            lower = text[s:e].lower()
            if lower in ("a", "an") or _is_rate(text, s, lower):
                continue
            if lower in ("hundred", "thousand", "million", "billion", "trillion", "dozen"):
                continue  # bare scale word: "a thousand" is an idiom, "the thousand" is not a count
            if lower == "one" and not _is_numeric_one(doc, s, e):
                continue
            if re.match(r"-(?:and-a-half|fold|thirds?|quarters?)", text[e:], re.I):
                continue
            items.append(_Item(s, e, value, s, e, words=True))
    return items


def _is_rate(text: str, start: int, phrase: str) -> bool:
    """"64.2 cents a dozen", "$5 a hundred": a price per so many, not a count."""
    return phrase.lower().startswith(("a ", "an ")) and re.search(
        r"(?:\d|cents?|dollars?|euros?|pence|each)\s+$", text[max(0, start - 12):start]) is not None


def _split_words(text: str, s: int, e: int, rules: QuantityRules) -> list[tuple[int, int, float | int]]:
    """Split a run of number words into the longest parseable pieces ("eight or nine" is two)."""
    toks = [(m.start() + s, m.end() + s) for m in re.finditer(r"[A-Za-z]+", text[s:e])]
    out = []
    i = 0
    while i < len(toks):
        best = None
        for j in range(len(toks), i, -1):
            a, b = toks[i][0], toks[j - 1][1]
            piece = text[a:b]
            if piece.lower().split()[-1] in ("and",):
                continue
            v = parse_number(piece)
            if v is not None:
                best = (a, b, v, j)
                break
        if best is None:
            i += 1
            continue
        out.append(best[:3])
        i = best[3]
    return out


def _is_numeric_one(doc: Doc, s: int, e: int) -> bool:
    tok = _token_at(doc, s, e)
    if tok is None:
        return False
    prev = doc[tok.i - 1].lower_ if tok.i else ""
    if prev in _ONE_BLOCKERS:
        return False
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ in ("another", "day", "way", "thing", "or", "by", "-", "'s"):
        return False
    if nxt is not None and nxt.lower_ in ("of", "in", "out"):
        return True
    return tok.dep_ in ("nummod", "quantmod", "compound") and tok.head.i > tok.i and \
        tok.head.pos_ in ("NOUN", "PROPN")


def _expand(doc: Doc, text: str, item: _Item, rules: QuantityRules, *, floor: int = 0) -> _Item:
    """Grow a core into a quantity: scale, currency, percent, unit, qualifier, change.

    Nothing before ``floor`` (the end of the previous quantity) can belong to this one.
    """
    if floor > item.start - 60:
        text = "\x00" * floor + text[floor:]
    pats = _patterns()
    cur = load_currencies()
    s, e, value = item.start, item.end, item.value
    currency = None
    scaled, unit, measure, pct, kind = item.scaled, item.unit, item.measure, False, item.kind
    fraction_scale = item.words and kind == "fraction" and \
        re.match(r"\s+(?:million|billion|trillion)\b", text[e:], re.I) is not None
    if fraction_scale:
        kind = "cardinal"
    if item.qualifier != "range" and (not (item.words and kind == "fraction") or fraction_scale):
        m = pats["scale"].match(text[e:])
        if m and not (item.words and value >= 1000) and (m.group(1).lower() != "k" or text[e:e + 1] != " "):
            factor = 1.0
            for w in m.group(1).lower().split():
                factor *= rules.scales[w]
            value, e, scaled = tidy(value * factor), e + m.end(), True
    # currency before: "$", "US$", "HK $", "Rs", "€", "$US", "USD"
    neg = False
    found = _currency_before(text, s, e)
    if found is None and s and text[s - 1] in "-−" and (s == 1 or text[s - 2] in " \t\n(") and \
            (not re.search(r"[A-Z][A-Za-z]*\s+$", text[max(0, s - 20):s - 1]) or pats["percent"].match(text[e:])):
        neg, s = True, s - 1  # "-1.6%", but "COVID -19" is a name
    if found is None and s >= 2 and text[s - 1] in "-−":
        found = _currency_before(text, s - 1, e)  # "$-50.8bn"
        neg = found is not None
    if found is not None:
        currency, s = found
        if s and text[s - 1] in "-−" and (s == 1 or text[s - 2] in " \t\n("):
            neg, s = True, s - 1
    m = re.search(r"\bminus[\s-]$", text[max(0, s - 7):s], re.I)
    if m:
        neg, s = True, s - (len(text[max(0, s - 7):s]) - m.start())
    m = re.search(r"(?:^|(?<=[^A-Za-z]))M([A-Z]{3}) ?$", text[max(0, s - 6):s])
    if found is None and m and m.group(1) in cur.codes:  # "MAUD 60": millions of Australian dollars
        currency, s, value, scaled = m.group(1), s - (len(text[max(0, s - 6):s]) - m.start()), tidy(value * 1e6), True
    m = re.match(r"^ ?M([A-Z]{3})\b|^ ([A-Z]{3}) (million|billion|mn|bn)\b", text[e:])
    if currency is None and m and (m.group(1) or m.group(2)) in cur.codes:  # "30 MUSD", "75 USD million"
        currency = m.group(1) or m.group(2)
        factor = 1e6 if m.group(1) else rules.scales[m.group(3).lower()]
        value, e, scaled = tidy(value * factor), e + m.end(), True
    if neg:
        value = -value
    tail_unit = None
    if unit is not None and unit in rules.money_scales and not scaled:
        nxt = re.match(r"^\s*([A-Za-z(]+)", text[e:])
        metre = nxt is None or nxt.group(1).lower() in _METRE_CONTEXT or \
            _words_before(text, s, 1) in (["a"], ["an"])
        if currency is None and (unit == "mm" or unit == "m" and metre):
            measure = True
        else:
            value, unit, scaled = tidy(value * rules.money_scales[unit]), None, True
    if currency is not None and not scaled:
        m = pats["money_scale"].match(text[e:])
        if m and (text[e:e + 1] != " " or m.group(1) in ("bil", "B")):
            value, e, scaled = tidy(value * rules.money_scales[m.group(1)]), e + m.end(), True
    if currency is None and not scaled and unit is None:
        m = re.match(r"^ (B|M|bn|mn)\b", text[e:])
        if m and re.match(r"^\s+[a-z]", text[e + m.end():]):
            value, e, scaled = tidy(value * rules.money_scales.get(m.group(1), rules.scales.get(m.group(1), 1))), \
                e + m.end(), True
    if currency is None and unit is None:
        m = pats["percent"].match(text[e:])
        if m:
            pct, e, kind = True, e + m.end(), "percent"
            tail_unit = "percent" if "point" not in m.group(1).lower() else "percentage points"
    if currency is None and not pct and unit is None:
        currency, value, e = _currency_after(text, e, value, item)
    if currency is None and not pct and unit is None:
        m = pats["unit"].match(text[e:])
        if m:
            word = m.group(1)
            single = len(word) == 1 and word not in ("°", "″", "′")
            spaced_ok = word in rules.separate_single_letter_units and \
                not text[e + m.end():e + m.end() + 1].isalnum()
            if not single or m.start(1) == 0 or spaced_ok:
                unit, measure, e = word, True, e + m.end()
                nxt = re.match(r"^[\s-]+old\b", text[e:], re.I)
                if nxt and word.lower().rstrip("s") in ("year", "month", "week", "day"):
                    unit, e = f"{word}-old", e + nxt.end()
    qualifier = item.qualifier
    if qualifier == "exact":
        if re.search(r"\bsub-$", text[max(0, s - 4):s], re.I):
            qualifier, s = "less_than", s - 4
        else:
            qualifier, s = _qualifier_before(text, s, rules)
        if qualifier == "exact" and re.match(r"^\s+or\s+so\b", text[e:], re.I):
            qualifier = "about"
    change = _change_before(text, s, rules)
    trail = re.match(r"^\s+(higher|lower)\b", text[e:])
    if change is None and trail:
        change = rules.trailing_change.get(trail.group(1))
    if measure:
        kind = "measure"
    if measure and unit:
        unit = unit_name(unit)
    return replace(item, start=s, end=e, value=value, qualifier=qualifier, unit=tail_unit or unit, change=change,
                   kind=kind, currency=currency, scaled=scaled, pct=pct, measure=measure)


def _currency_after(text: str, e: int, value: float | int, item: _Item) -> tuple[str | None, float | int, int]:
    """A currency name or code after the amount: "20,000 yuan", "7.5 million Danish crowns", "4 cents"."""
    cur = load_currencies()
    m = _patterns()["cur_name"].match(text[e:])
    if m and not (m.group().lstrip().lower().startswith("of ") and item.qualifier != "range"):
        name = m.group(1).lower()
        adj = m.group()[: m.start(1)].strip()
        if adj.lower().startswith("of"):
            adj = adj[2:].strip()
        full = f"{adj} {name}".strip().lower()
        code = None
        if full in cur.names:
            code = cur.names[full]
        elif name in cur.minor:
            per, code = cur.minor[name]
            value = tidy(value / per)
        elif adj:
            # an adjective picks the currency: "Danish crowns", "Canadian dollars"
            for known, c in cur.names.items():
                if known.startswith(adj.lower() + " ") and known.split()[-1].rstrip("s") == name.rstrip("s"):
                    code = c
                    break
            # a nationality we cannot pair ("French francs") must not fall back to the bare name's currency
            if code is None and not adj[:1].isupper() and name not in ("crowns", "crown", "dollars", "dollar"):
                code = cur.names.get(name)
                if code is not None:
                    m = _cur_name_plain().match(text[e:]) or m
        else:
            code = cur.names.get(name)
        if code is not None:
            return code, value, e + m.end()
    m = _patterns()["cur_code_after"].match(text[e:])
    if m and m.group(1) in cur.codes and m.group(1) not in _NOT_CODES:
        return m.group(1), value, e + m.end()
    m = _patterns()["cur_symbol_after"].match(text[e:])
    if m:  # "15 €", "100元", "100,000 ₭"
        return cur.symbols[m.group(1)], value, e + m.end()
    return None, value, e


def _skip(doc: Doc, text: str, it: _Item, rules: QuantityRules,
          blocked: tuple[list[tuple[int, int]], list[tuple[int, int]]]) -> bool:
    """True for numbers that are not quantities: years, dates, times, identifiers, addresses..."""
    if _overlaps(it.core_start, it.core_end, blocked[0]):
        return True
    if _overlaps(it.core_start, it.core_end, blocked[1]) and it.currency is None and not it.pct and \
            not (it.measure and it.unit and it.unit.lower() not in rules.time_units):
        return True
    core = text[it.core_start:it.core_end]
    before = _words_before(text, it.core_start, 2)
    prev = before[-1] if before else ""
    after = text[it.end:it.end + 40]
    nxt_word = re.match(r"^\s*([A-Za-z][A-Za-z.']*)", after)
    nxt = nxt_word.group(1) if nxt_word else ""
    plain = it.currency is None and not it.pct and not it.measure and not it.scaled
    is_int = isinstance(it.value, int) or float(it.value).is_integer()
    # days of the month and years next to a month name
    raw_prev = re.search(r"([A-Za-z]+)\.?,?\s+$", text[max(0, it.core_start - 15):it.core_start])
    if plain and is_int and 0 < it.value <= 31 or plain and re.fullmatch(r"\d{4}", core):
        if raw_prev and raw_prev.group(1).lower() in rules.month_names and raw_prev.group(1)[0].isupper():
            return True
        if nxt and nxt.rstrip(".").lower() in rules.month_names and nxt[0].isupper():
            return True
        if re.match(r"^\s*of\s+[A-Z][a-z]+", after) and \
                re.match(r"^\s*of\s+([A-Za-z]+)", after).group(1).lower() in rules.month_names:
            return True
    # clock times: 11 a.m., 5 pm, 10.45 GMT
    if plain and nxt and (nxt.lower() in rules.time_markers or nxt.lower().rstrip(".") in ("a.m", "p.m")):
        if nxt.lower() not in ("h",) or text[it.end:it.end + 1] != " ":
            return True
    # years
    if plain and re.fullmatch(r"\d{4}", core) and 1000 <= it.value <= 2999 and not it.unit and \
            (it.value <= 2100 or prev in _DATE_PREPOSITIONS):
        noun = _counted_noun(doc, it.core_start, it.core_end)
        tok = _token_at(doc, it.core_start, it.core_end)
        plural = tok is not None and tok.i + 1 < len(doc) and doc[tok.i + 1].tag_ == "NNS"
        if (1900 <= it.value <= 2099 and not plural) or (tok is not None and tok.ent_type_ == "DATE") or \
                prev in _DATE_PREPOSITIONS:
            # "of 1985 exports", "the 2019 results": a year that modifies a plural noun
            if not plural or noun is None or prev in _YEAR_MODIFIER_CONTEXT:
                return True
    # duration modifiers: "six-month operation", "a five-year award" (not "50-year-old")
    m = re.match(r"^-([A-Za-z]+)(-old)?", text[it.core_end:])
    if m and not m.group(2) and m.group(1).lower() in rules.time_units and it.unit is None:
        return True
    if it.unit and it.unit.lower() in rules.time_units and text[it.core_end:it.core_end + 1] == "-" and \
            not it.unit.endswith("-old") and not re.match(r"^[\s-]*old\b", text[it.end:]):
        return True
    # identifiers: Section 427, Row 21, No. 10, version 2, Game 2
    if prev and prev.rstrip(".") in _identifier_words(rules) and \
            prev not in rules.identifier_exceptions and it.currency is None and not it.pct:
        raw_before = text[max(0, it.start - 12):it.start].rstrip()
        if raw_before and not raw_before.endswith((",", "(")) and not it.measure:
            return True
        if prev in ("no", "no.", "#", "§", "version", "v", "v.") and not it.measure:
            return True
    # "six-speed", "four-cylinder": a number word inside a compound modifier
    if it.words and it.unit is None and re.match(r"^-[A-Za-z]", text[it.core_end:]) and \
            not re.match(r"^-\w+-old\b", text[it.core_end:]):
        return True
    if it.words and text[it.core_start].isupper() and it.core_start == it.start:
        tok = _token_at(doc, it.core_start, it.core_start + 1)
        if tok is not None and tok.i > 0 and not tok.is_sent_start and doc[tok.i - 1].pos_ == "PROPN":
            return True  # "BBC One", "the Kick Six"
    if it.words and text[it.core_start:it.core_end].lower() == "half":
        if before and before[-1] in ("first", "second", "third", "final", "other", "latter", "back", "the"):
            return True
    # "(4)" after a name: a shirt number or a list label
    if plain and it.core_start == it.start and text[it.core_start - 1:it.core_start] == "(" and \
            text[it.end:it.end + 1] == ")":
        tok = _token_at(doc, it.core_start, it.core_end)
        if tok is not None and tok.i >= 2 and doc[tok.i - 2].pos_ == "PROPN":
            return True
    if it.core_start == it.start and it.currency is None and not it.pct and not it.measure and not it.words:
        tok = _token_at(doc, it.core_start, it.core_end)
        if tok is not None and tok.i > 0:
            p = doc[tok.i - 1]
            if p.idx + len(p.text) == tok.idx or p.text in ("#", "No.", "no."):
                if p.text not in ("(", "[", "/", "~", "-", "–", "—", "'", "\"", "“", "‘", "+"):
                    return True
            elif p.pos_ == "PROPN" or (any(c.isupper() for c in p.text[1:]) and p.is_alpha) or \
                    (p.text[:1].isupper() and p.is_alpha and not p.is_sent_start and
                     p.lower_ not in rules.qualifiers and p.lower_ not in rules.change_words):
                if not (p.is_sent_start or p.lower_ in rules.qualifiers or p.lower_ in rules.change_words or
                        p.lower_ in rules.month_names):
                    return True
    # street addresses: 10 Downing Street, 1600 Pennsylvania Avenue, 9 E 71st St, 16-18 Industrial Avenue
    if plain and is_int:
        m = re.match(r"^(?:[-–]\d+)?\s+((?:(?:[A-Z][A-Za-z.'-]*|\d+(?:st|nd|rd|th))\s+){0,3})([A-Za-z.]+)\b", after)
        if m and m.group(2).lower() in rules.street_words and m.group(2)[0].isupper() and \
                (m.group(1) or m.group(2).lower() not in ("place", "square", "close", "row", "way", "circle")):
            return True
    return False


def _is_score(text: str, a: _Item, b: _Item, rules: QuantityRules) -> bool:
    if a.currency or b.currency or a.pct or a.unit or b.unit:
        return False
    if not all(isinstance(x.value, int) and 0 <= x.value < 200 for x in (a, b)):
        return False
    near = _words_before(text, a.start, 4) + [w.lower() for w in _WORD.findall(text[b.end:b.end + 40])][:4]
    return a.value >= b.value or any(w in rules.score_words for w in near)


def _core_factor(text: str, it: _Item) -> float:
    """The scale an item's value carries beyond its digits ("10 million" -> 1e6)."""
    if it.words:  # "five thousand": the scale word ends the phrase
        m = re.search(r"\b(hundred|thousand|million|billion|trillion)\s*$", text[it.core_start:it.core_end], re.I)
        return float(load_quantity_rules().scales[m.group(1).lower()]) if m else 1.0
    base = parse_number(text[it.core_start:it.core_end])
    if not base or not it.scaled:
        return 1.0
    return abs(it.value / base) if it.currency is None or it.value else 1.0


def _pair(text: str, a: _Item, b: _Item, rules: QuantityRules) -> _Item | None:
    """The range (or "one in five" fraction) that two neighbouring items form, if any."""
    gap = text[a.end:b.start]
    before = _words_before(text, a.start, 1)
    before = before[-1] if before else ""
    if a.qualifier == "range" or b.qualifier == "range":
        return None
    if re.fullmatch(r"\s+(?:out\s+of|in)\s+", gap, re.I) and a.core_start == a.start and \
            b.core_start == b.start and not (a.unit or a.pct or a.currency or b.pct or b.currency) and \
            isinstance(a.value, int) and isinstance(b.value, int) and 0 < a.value < b.value <= 1000 and \
            (a.words or b.words or "out" in gap):
        return replace(a, end=b.end, value=tidy(a.value / b.value), kind="fraction", unit=None)
    dash = bool(_RANGE_DASH.match(gap)) and b.start == b.core_start
    bare_a = not (a.unit or a.currency or a.pct) or b.start == b.core_start
    to = bool(_RANGE_TO.match(gap)) and (a.change is None or before == "from" or before == "by" and bare_a)
    between = bool(_RANGE_AND.match(gap)) and before == "between"
    upto = bool(re.fullmatch(r"\s+up\s+to\s+", text[a.end:b.core_start], re.I)) and before == "from"
    far = before == "from" and a.currency is not None and a.currency == b.currency and len(gap) <= 45 and \
        re.search(r"\sto\s+$", gap) is not None and not re.search(r"\d", gap)
    if not (dash or to or between or upto or far):
        return None
    if a.currency and b.currency and a.currency != b.currency:
        return None
    if a.unit and b.unit and a.unit.lower().rstrip("s") != b.unit.lower().rstrip("s"):
        return None
    if a.pct and not b.pct or (a.measure and not b.unit) and not to:
        return None
    if dash and not gap.strip().endswith("to-") and _is_score(text, a, b, rules):
        return replace(a, kind=_DROP)
    if before in ("aged", "ages") and not (a.unit or b.unit):
        return replace(a, kind=_DROP)  # "men aged 18 to 34" names a group, it counts nothing
    low_v, high_v = a.value, b.value
    factor = _core_factor(text, b)
    if factor > 1 and not a.scaled and abs(low_v) < abs(high_v / factor) + 1e-9:
        low_v = tidy(low_v * factor)
    qual = "range" if a.qualifier in ("exact", "about") else a.qualifier
    return replace(b, start=a.start, value=low_v, low=low_v, high=high_v, qualifier=qual,
                   change=a.change or b.change, core_start=a.core_start, currency=a.currency or b.currency,
                   unit=b.unit or a.unit, pct=a.pct or b.pct, kind=b.kind if b.kind != "cardinal" else a.kind)


def _merge_ranges(text: str, items: list[_Item], rules: QuantityRules) -> list[_Item]:
    """Join neighbouring items into ranges and fractions; share units across "or"."""
    out: list[_Item] = []
    i = 0
    while i < len(items):
        a = items[i]
        if i + 1 < len(items):
            merged = _pair(text, a, items[i + 1], rules)
            if merged is not None:
                if merged.kind != _DROP:
                    out.append(merged)
                i += 2
                continue
        if i + 1 < len(items):
            a = _share_unit(text, a, items[i + 1])
        out.append(a)
        i += 1
    return out


def _share_unit(text: str, a: _Item, b: _Item) -> _Item:
    """"eight or nine euros", "7- or 8-inch", "15 and 20 percent": the first number takes the second's unit."""
    if a.unit or a.currency or a.pct or a.words != b.words and not a.words:
        return a
    if not (b.unit or b.currency or b.pct or b.scaled and not a.scaled):
        return a
    gap = text[a.end:b.start]
    if not re.fullmatch(r"-?\s+or\s+|\s+and\s+", gap) or ("and" in gap and a.words):
        return a
    value = a.value
    base = parse_number(text[b.core_start:b.core_end])
    if base and not a.scaled and not b.words:
        value = tidy(a.value * abs(b.value / base))  # "5 or 6 cents", "two or three million"
    return replace(a, unit=b.unit, currency=b.currency, pct=b.pct, measure=b.measure, kind=b.kind, value=value)


def _join_minor(text: str, items: list[_Item]) -> list[_Item]:
    """"3 dollars 50 cents", "thirteen dollars and forty-five cents", "15 dollars 50." are one amount."""
    cur = load_currencies()
    out: list[_Item] = []
    i = 0
    while i < len(items):
        a = items[i]
        b = items[i + 1] if i + 1 < len(items) else None
        if b is not None and a.currency and not a.scaled and a.qualifier == "exact" and \
                float(a.value).is_integer() and re.fullmatch(r"\s+(?:and\s+)?", text[a.end:b.start]) and \
                re.search(r"[A-Za-z]\s*$", text[a.core_end:a.end]):
            tail = text[b.core_end:b.end].strip().lower()
            minor = b.currency == a.currency and tail in cur.minor
            bare = b.currency is None and not (b.unit or b.pct or b.scaled) and isinstance(b.value, int) and \
                0 < b.value < 100 and re.match(r"\s*(?:[.,;:!?)]|$)", text[b.end:])
            if minor or bare:
                cents = b.value if bare else round(b.value * 100, 6)
                out.append(replace(a, end=b.end, value=tidy(a.value + cents / 100)))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _elided_unit(doc: Doc, text: str, prev: NumberMention, it: _Item) -> str | None:
    """The unit a number leaves out because its neighbour said it: "3.9 million headsets, up from 2.4 million"."""
    if prev.unit is None or prev.kind not in ("cardinal", "measure") or it.start - prev.end > 80:
        return None
    if prev.kind == "measure" and prev.unit.lower() in load_quantity_rules().time_units:
        return None
    if re.search(r"[.;:!?]", text[prev.end:it.start]):
        return None
    if not re.search(r"\b(?:from|to|including|versus|vs\.?|compared with|against|of which|and|or)\s+$",
                     text[prev.end:it.start]):
        return None
    nxt = _token_at(doc, it.end, min(len(text), it.end + 1)) if it.end < len(text) else None
    if nxt is not None and nxt.idx >= it.end and nxt.pos_ in ("NOUN", "PROPN", "ADJ"):
        return None
    return prev.unit


def extract_quantities(
    doc: Doc, *, dates: Sequence[DateMention] = ()
) -> tuple[list[NumberMention], list[MoneyMention]]:
    """Find numbers and money amounts in ``doc``, normalized, each sorted by start offset.

    Args:
        doc: a parsed article (tagger, parser and NER of the English model).
        dates: the article's date mentions; a number inside a date, time or set
            ("February 19", "2014") or inside a duration modifier ("six-month") is not a number.

    Returns:
        ``(numbers, money)``; a converted amount ("20,000 yuan (US$3,250)") points at the
        amount it converts through ``equivalent_of``.

    Example:
        >>> numbers, money = extract_quantities(nlp("They paid 20,000 yuan (US$3,250)."))
        >>> [(m.amount, m.currency, m.equivalent_of) for m in money]
        [(20000, 'CNY', None), (3250, 'USD', 0)]
    """
    rules = load_quantity_rules()
    text = doc_text(doc)
    blocked = _blocked(text, dates)
    cores = _digit_cores(text, rules)
    word_items = [w for w in _word_cores(doc, text, rules) if not _overlaps(w.start, w.end, [(c.start, c.end) for c in cores])]
    cores = sorted(cores + word_items, key=lambda it: (it.start, -it.end))
    expanded: list[_Item] = []
    last_end = -1
    for core in cores:
        if core.start < last_end:
            continue
        it = _expand(doc, text, core, rules, floor=expanded[-1].end if expanded else 0)
        if expanded and it.start < expanded[-1].end:
            it = replace(it, start=it.core_start)
        expanded.append(it)
        last_end = it.end
    kept: list[_Item] = []
    dropped_ends: set[int] = set()
    for it in expanded:
        follows_dropped = it.start == it.core_start and text[it.core_start - 1:it.core_start] in ("-", "–") and \
            it.core_start - 1 in dropped_ends
        if follows_dropped or _skip(doc, text, it, rules, blocked):
            dropped_ends.add(it.end)  # "Sept. 20-24", "2014-15": the second half goes with the first
        else:
            kept.append(it)
    merged = _join_minor(text, _merge_ranges(text, kept, rules))
    numbers: list[NumberMention] = []
    money: list[MoneyMention] = []
    money_items: list[_Item] = []
    for it in merged:
        low = it.low if it.qualifier == "range" or it.low is not None else None
        high = it.high if it.qualifier == "range" or it.high is not None else None
        if it.currency is not None:
            money_items.append(it)
            continue
        unit = it.unit
        if unit is None and not it.pct:
            unit = _counted_noun(doc, it.core_start, it.end)
        if unit is None and not it.pct and numbers and it.kind == "cardinal":
            unit = _elided_unit(doc, text, numbers[-1], it)
        kind = it.kind
        numbers.append(NumberMention(text=text[it.start:it.end], start=it.start, end=it.end, value=it.value,
                                     qualifier=it.qualifier, unit=unit, low=low, high=high, change=it.change,
                                     kind=kind))
    for k, it in enumerate(money_items):
        equivalent = None
        if k and _EQUIV_GAP.match(text[money_items[k - 1].end:it.start]):
            equivalent = k - 1
        money.append(MoneyMention(text=text[it.start:it.end], start=it.start, end=it.end, amount=it.value,
                                  currency=it.currency, qualifier=it.qualifier,
                                  low=it.low if it.qualifier == "range" or it.low is not None else None,
                                  high=it.high if it.qualifier == "range" or it.high is not None else None,
                                  change=it.change, equivalent_of=equivalent))
    return numbers, money
