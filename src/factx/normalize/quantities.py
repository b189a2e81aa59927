"""Pure text -> value functions for numbers and money, and the rule tables they use.

The tables live in ``factx/data``: ``quantities.json`` (qualifiers, change words, scales,
units, idioms), ``currencies.json`` (generated from pycountry + babel by
``scripts/build_currencies.py``) and ``currency_aliases.json`` (hand-kept symbols and names).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from text_to_num import text2num

from ..errors import RulesError

Number = int | float

_RULE_KEYS = {
    "qualifiers": dict, "change_words": dict, "change_links": list, "trailing_change": dict,
    "scales": dict, "money_scales": dict, "vague_plurals": dict, "vague_multipliers": dict,
    "idioms": dict, "fractions": dict, "percent": list, "units": list, "time_units": list,
    "identifier_nouns": list, "identifier_exceptions": list, "street_words": list,
    "month_names": list, "time_markers": list, "score_words": list, "number_words": dict,
    "separate_single_letter_units": list, "unit_names": dict,
}
_QUALIFIERS = {"exact", "about", "more_than", "less_than", "at_least", "at_most"}
_VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅛": 0.125, "⅜": 0.375,
           "⅝": 0.625, "⅞": 0.875}
_DIGITS = re.compile(r"^(?P<sign>[-−–+]?)(?P<int>\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}|\d+)?(?P<frac>\.\d+)?$")
_SLASH = re.compile(r"^(\d+)\s*[/⁄]\s*(\d+)$")


@dataclass(frozen=True, slots=True)
class QuantityRules:
    """The validated contents of ``quantities.json``."""

    qualifiers: dict[str, str]
    change_words: dict[str, str]  # word or phrase -> up | down
    change_links: frozenset[str]
    trailing_change: dict[str, str]
    scales: dict[str, float]
    money_scales: dict[str, float]
    vague_plurals: dict[str, tuple[float, float]]
    vague_multipliers: dict[str, float]
    idioms: dict[str, tuple[float, str]]
    fractions: dict[str, float]
    percent: tuple[str, ...]
    units: frozenset[str]
    time_units: frozenset[str]
    identifier_nouns: frozenset[str]
    identifier_exceptions: frozenset[str]
    street_words: frozenset[str]
    month_names: frozenset[str]
    time_markers: frozenset[str]
    score_words: frozenset[str]
    number_words: dict[str, int]
    separate_single_letter_units: frozenset[str]
    unit_names: dict[str, str]


@dataclass(frozen=True, slots=True)
class CurrencyTable:
    """Currency names, symbols, codes and minor units, all mapped to ISO 4217 codes."""

    names: dict[str, str]  # lower-case name -> code
    symbols: dict[str, str]  # symbol as written -> code
    codes: frozenset[str]
    minor: dict[str, tuple[int, str]]  # "cents" -> (100, "USD")
    transliterated: dict[str, str]  # "PS" (from "£") -> "GBP"


def _read_json(name: str) -> Any:
    path = resources.files("factx") / "data" / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"{name}: rules file is missing from factx/data") from None
    except json.JSONDecodeError as exc:
        raise RulesError(f"{name}: invalid JSON at line {exc.lineno}: {exc.msg}") from None


@lru_cache(maxsize=1)
def load_quantity_rules() -> QuantityRules:
    """Load and validate ``quantities.json`` once."""
    raw = _read_json("quantities.json")
    for key, typ in _RULE_KEYS.items():
        if not isinstance(raw.get(key), typ):
            raise RulesError(f"quantities.json: key {key!r} must be a {typ.__name__}")
    for phrase, qual in raw["qualifiers"].items():
        if qual not in _QUALIFIERS:
            raise RulesError(f"quantities.json: qualifier {phrase!r} maps to unknown {qual!r}")
    change: dict[str, str] = {}
    for direction, words in raw["change_words"].items():
        if direction not in ("up", "down"):
            raise RulesError(f"quantities.json: change direction {direction!r} is not up/down")
        change.update({w: direction for w in words})
    idioms = {}
    for phrase, pair in raw["idioms"].items():
        if not (isinstance(pair, list) and len(pair) == 2 and pair[1] in _QUALIFIERS):
            raise RulesError(f"quantities.json: idiom {phrase!r} must be [value, qualifier]")
        idioms[phrase] = (pair[0], pair[1])
    low = lambda xs: frozenset(x.lower() for x in xs)  # noqa: E731
    return QuantityRules(
        qualifiers=dict(raw["qualifiers"]),
        change_words=change,
        change_links=low(raw["change_links"]),
        trailing_change=dict(raw["trailing_change"]),
        scales=dict(raw["scales"]),
        money_scales=dict(raw["money_scales"]),
        vague_plurals={k: (v[0], v[1]) for k, v in raw["vague_plurals"].items()},
        vague_multipliers=dict(raw["vague_multipliers"]),
        idioms=idioms,
        fractions=dict(raw["fractions"]),
        percent=tuple(sorted(raw["percent"], key=len, reverse=True)),
        units=low(raw["units"]),
        time_units=low(raw["time_units"]),
        identifier_nouns=low(raw["identifier_nouns"]),
        identifier_exceptions=low(raw["identifier_exceptions"]),
        street_words=low(raw["street_words"]),
        month_names=low(raw["month_names"]),
        time_markers=low(raw["time_markers"]),
        score_words=low(raw["score_words"]),
        number_words=dict(raw["number_words"]),
        separate_single_letter_units=frozenset(raw["separate_single_letter_units"]),
        unit_names={k.lower(): v for k, v in raw["unit_names"].items() if k != "comment"},
    )


@lru_cache(maxsize=1)
def load_currencies() -> CurrencyTable:
    """Load the generated currency table and the hand-kept aliases once."""
    table = _read_json("currencies.json")
    aliases = _read_json("currency_aliases.json")
    cur = table.get("currencies")
    if not isinstance(cur, dict) or not cur:
        raise RulesError("currencies.json: 'currencies' must be a non-empty object")
    names: dict[str, str] = {}
    symbols: dict[str, str] = {}
    for code, info in cur.items():
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise RulesError(f"currencies.json: {code!r} is not an ISO 4217 code")
        for n in info.get("names", []):
            names[n.lower()] = code
        for s in info.get("symbols", []):
            symbols.setdefault(s, code)
    codes = frozenset(cur) | {"XBT"}
    for section in ("names", "symbols", "minor"):
        if not isinstance(aliases.get(section), dict):
            raise RulesError(f"currency_aliases.json: {section!r} must be an object")
    for n, code in aliases["names"].items():
        if code not in codes:
            raise RulesError(f"currency_aliases.json: name {n!r} maps to unknown code {code!r}")
        names[n.lower()] = code
    for s, code in aliases["symbols"].items():
        if code not in codes:
            raise RulesError(f"currency_aliases.json: symbol {s!r} maps to unknown code {code!r}")
        symbols[s] = code
    minor = {}
    for n, info in aliases["minor"].items():
        if info.get("currency") not in codes or not isinstance(info.get("per"), int):
            raise RulesError(f"currency_aliases.json: minor unit {n!r} needs 'per' and a known 'currency'")
        minor[n.lower()] = (info["per"], info["currency"])
    translit = {k: v for k, v in aliases.get("transliterated", {}).items() if k != "comment"}
    for s, code in translit.items():
        if code not in codes:
            raise RulesError(f"currency_aliases.json: transliterated {s!r} maps to unknown code {code!r}")
    return CurrencyTable(names=names, symbols=symbols, codes=codes, minor=minor, transliterated=translit)


def unit_name(surface: str) -> str:
    """Return the written-out name of a unit symbol or variant spelling ("°C" -> "degrees celsius"), else ``surface``."""
    return load_quantity_rules().unit_names.get(re.sub(r"\s+", " ", surface.strip().lower()), surface)


def tidy(value: float) -> Number:
    """Return ``value`` rounded to 12 significant digits, as an int when it is integral."""
    value = float(f"{value:.12g}")  # 34.2 * 1e9 is 34200000000.000004 in binary floating point
    if value == int(value) and abs(value) < 2**53:
        return int(value)
    return value


def _parse_digits(s: str) -> float | None:
    m = _DIGITS.match(s)
    if not m or not (m.group("int") or m.group("frac")):
        return None
    v = float((m.group("int") or "0").replace(",", "") + (m.group("frac") or ""))
    return -v if m.group("sign") in ("-", "−", "–") else v


def _parse_words(s: str) -> float | None:
    rules = load_quantity_rules()
    words = s.replace("-", " ").split()
    if not words:
        return None
    phrase = " ".join(words)
    if phrase in rules.idioms:
        return rules.idioms[phrase][0]
    if words[0] in ("a", "an"):
        words = ["one", *words[1:]]
    # "three quarters", "a third", "two-thirds"
    if words[-1] in rules.fractions and len(words) <= 3:
        head = " ".join(words[:-1]) or "one"
        n = _parse_words(head) if head != "one" else 1.0
        if n is not None:
            return n * rules.fractions[words[-1]]
    if "dozen" in words:
        i = words.index("dozen")
        head = " ".join(words[:i]) or "one"
        n = 0.5 if head in ("half", "half a", "one half") else _parse_words(head)
        return None if n is None else n * 12
    try:
        return float(text2num(" ".join(words), "en"))
    except ValueError:
        pass
    if len(words) == 1 and words[0] in rules.number_words:
        return float(rules.number_words[words[0]])
    return None


def parse_number(text: str) -> Number | None:
    """Return the value of a number written in digits, words or both, or None.

    >>> parse_number("1,094"), parse_number("1.2 million"), parse_number("twenty-one"), parse_number("4bn")
    (1094, 1200000, 21, 4000000000)
    """
    rules = load_quantity_rules()
    s = text.strip().replace("\u00a0", " ").replace("\u2009", " ")
    if not s:
        return None
    if s in _VULGAR:
        return tidy(_VULGAR[s])
    if s[-1] in _VULGAR and s[:-1].strip().isdigit():
        return tidy(int(s[:-1]) + _VULGAR[s[-1]])
    m = _SLASH.match(s)
    if m and int(m.group(2)):
        return tidy(int(m.group(1)) / int(m.group(2)))
    v = _parse_digits(s)
    if v is not None:
        return tidy(v)
    # digits followed by a scale: "1.2 million", "4bn", "2.5 m", "25k", "Rs 3 lakh"
    m = re.match(r"^([-−–+]?[\d.,]*\d)\s*-?\s*([A-Za-z]+)$", s)
    if m:
        base = _parse_digits(m.group(1))
        scale = rules.scales.get(m.group(2).lower(), rules.money_scales.get(m.group(2)))
        if base is not None and scale is not None:
            return tidy(base * scale)
        return None
    m = re.match(r"^([-−–+]?[\d.,]*\d)\s+(.+)$", s)
    if m:
        base = _parse_digits(m.group(1))
        rest = _parse_words(m.group(2).lower())
        if base is not None and rest is not None and rest >= 100:
            return tidy(base * rest)
        return None
    v = _parse_words(s.lower())
    return None if v is None else tidy(v)


def currency_code(text: str) -> str | None:
    """Return the ISO 4217 code a currency symbol, code or name stands for, or None.

    >>> currency_code("US$"), currency_code("yuan"), currency_code("Australian dollars")
    ('USD', 'CNY', 'AUD')
    """
    table = load_currencies()
    s = re.sub(r"\s+", " ", text.strip())
    if s in table.symbols:
        return table.symbols[s]
    if s.upper() in table.codes and s.isupper():
        return s
    return table.names.get(s.lower())


def _split_currency(s: str) -> tuple[str | None, str, int]:
    """(code, rest, minor divisor) after removing a leading symbol/code or a trailing name."""
    table = load_currencies()
    for sym in sorted(table.symbols, key=len, reverse=True):
        if s.startswith(sym) and (not sym[-1].isalpha() or not s[len(sym):len(sym) + 1].isalpha()):
            return table.symbols[sym], s[len(sym):].strip(), 1
    m = re.match(r"^([A-Z]{3})\s*(?=[\d.])", s)
    if m and m.group(1) in table.codes:
        return m.group(1), s[m.end():], 1
    low = s.lower()
    for name in sorted(table.minor, key=len, reverse=True):
        if low.endswith(" " + name) or (low.endswith(name) and low[: -len(name)].rstrip()[-1:].isdigit()):
            per, code = table.minor[name]
            return code, s[: len(s) - len(name)].strip(), per
    for name in sorted(table.names, key=len, reverse=True):
        if low.endswith(" " + name) or low.endswith(name) and low[: -len(name)][-1:].isdigit():
            return table.names[name], s[: len(s) - len(name)].strip(), 1
    m = re.search(r"\s*\b([A-Z]{3})$", s)
    if m and m.group(1) in table.codes:
        return m.group(1), s[: m.start()].strip(), 1
    return None, s, 1


def parse_money(text: str) -> tuple[Number, str | None] | None:
    """Return (amount, ISO 4217 code) for a money expression, or None.

    >>> parse_money("US$3,250"), parse_money("20,000 yuan"), parse_money("$4bn"), parse_money("4 cents")
    ((3250, 'USD'), (20000, 'CNY'), (4000000000, 'USD'), (0.04, 'USD'))
    """
    s = re.sub(r"\s+", " ", text.strip())
    sign = 1
    if s[:1] in ("-", "−", "–"):
        sign, s = -1, s[1:].strip()
    code, rest, per = _split_currency(s)
    if code is None:
        return None
    rest = rest.removeprefix("of ").strip() if rest.startswith("of ") else rest
    value = parse_number(rest)
    if value is None:
        return None
    return tidy(sign * value / per), code
