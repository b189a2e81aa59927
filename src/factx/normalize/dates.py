"""Temporal expression text -> TIMEX3 type and value, resolved against a reference date.

Pure functions: a phrase such as "last month", "Sept. 30, 1989" or "the past two years" and
the publication date go in, a :class:`Timex` (type, value, granularity, mod) comes out.
Word lists live in ``factx/data/dates.json``. dateparser is only a fallback for calendar
phrases the grammar here does not cover, and is always called with ``languages=["en"]``.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import RulesError

GRANULARITIES = ("century", "decade", "year", "half", "season", "quarter", "month", "week", "day", "time")
_FINE = {g: i for i, g in enumerate(GRANULARITIES)}
_UNIT_GRAN = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year", "10Y": "decade", "100Y": "century"}
_TIME_UNITS = {"S", "H"}
_AMPM = {"am": "am", "a.m.": "am", "a.m": "am", "pm": "pm", "p.m.": "pm", "p.m": "pm"}
_TIMEZONES = ("est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "gmt", "utc", "bst", "cet", "local time")
_DATA_KEYS = (
    "months",
    "weekdays",
    "seasons",
    "parts_of_day",
    "units",
    "number_words",
    "vague_quantities",
    "ordinals",
    "decade_words",
    "references",
    "sets",
    "day_refs",
    "relatives",
    "shifts",
    "modifiers",
    "holidays",
    "age_followers",
    "non_year_followers",
)


@dataclass(frozen=True, slots=True)
class Timex:
    """A normalized temporal expression."""

    type: str  # DATE | TIME | DURATION | SET
    value: str
    granularity: str | None = None
    mod: str | None = None
    # True when the value was computed from another date ("a year earlier", "the previous day"):
    # such a value never becomes the reference for later expressions.
    anchored: bool = False


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """Return the validated word lists of ``data/dates.json``."""
    path = resources.files("factx") / "data" / "dates.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RulesError(f"{path}: cannot read date word lists ({exc})") from None
    missing = [k for k in _DATA_KEYS if k not in data]
    if missing:
        raise RulesError(f"{path}: missing keys {missing}")
    for key in ("relatives", "shifts"):
        for word, spec in data[key].items():
            if not (isinstance(spec, list) and len(spec) == 2 and spec[0] in ("base", "anchor")):
                raise RulesError(f"{path}: {key}[{word!r}] must be ['base'|'anchor', offset]")
    return data


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _grammar() -> dict[str, re.Pattern[str]]:
    lx = lexicon()
    month = rf"(?P<month>{_alt(lx['months'])})"
    wday = rf"(?P<wday>{_alt(lx['weekdays'])})"
    unit = rf"(?P<unit>{_alt(lx['units'])})"
    season = rf"(?P<season>{_alt(lx['seasons'])})"
    pod = rf"(?P<pod>{_alt(lx['parts_of_day'])})"
    rel = rf"(?P<rel>{_alt(lx['relatives'])})"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>\d{4})"
    return {
        "mdy": re.compile(
            rf"^(?:(?P<rel>last|this|next|this past|this coming) )?(?:{wday},? )?{month} {day}(?:,? {year})?$"
        ),
        "dmy": re.compile(rf"^(?:{wday},? )?{day} (?:of )?{month}(?:,? {year})?$"),
        "my": re.compile(rf"^{month},? (?:of )?{year}$"),
        "month_spelled_year": re.compile(rf"^{month},? (?:of )?(?P<words>nineteen .+|two thousand.*)$"),
        "m_rel_year": re.compile(rf"^{month},? (?:of )?(?P<rel>last|this|next) year$"),
        "month": re.compile(rf"^{month}$"),
        "wday_pod": re.compile(rf"^{wday}(?: {pod})?$"),
        "rel_wday": re.compile(rf"^{rel} {wday}(?: {pod})?$"),
        "rel_unit": re.compile(rf"^{rel} (?P<fiscal>fiscal )?{unit}$"),
        "rel_month": re.compile(rf"^{rel} {month}$"),
        "rel_season": re.compile(rf"^{rel} {season}$"),
        "season_year": re.compile(rf"^{season}(?: of)? {year}$"),
        "season": re.compile(rf"^{season}$"),
        "season_spelled_year": re.compile(rf"^(?:the )?{season}(?: of)? (?P<words>nineteen .+)$"),
        "rel_pod": re.compile(rf"^(?P<rel>this|last|that) {pod}$"),
        "pod": re.compile(rf"^(?:the )?{pod}$"),
        "day_ref": re.compile(rf"^(?P<ref>{_alt(lx['day_refs'])})(?: {pod})?$"),
        "pod_day_ref": re.compile(rf"^{pod} (?P<ref>{_alt(lx['day_refs'])})$"),
        "quarter": re.compile(
            r"^(?:(?P<yrel>this|last|next) year 's |(?P<y1>\d{4}) "
            r"|(?P<qrel>this|last|next|current|latest|coming|previous) )?"
            r"(?:fiscal )?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last|final) (?P<kind>quarter|half)"
            r"(?: of (?:(?P<y2>\d{4})|(?:fiscal )?(?P<y2rel>this|last|next) year|(?P<y2that>that|the) year))?$"
        ),
        "year_ago_period": re.compile(
            r"^(?:comparable |corresponding )?year (?:ago|earlier)(?: (?P<ord>first|second|third|fourth))?"
            r"(?: (?:quarter|period))?$|^(?:comparable |corresponding )?(?:quarter|period) (?:a year ago|last year)$"
        ),
        "this_period": re.compile(
            r"^(?:(?P<rel>latest|current|same|previous|comparable|its|this|that|recent) )?"
            r"(?:fiscal )?(?P<kind>quarter|period)$"
        ),
        "year_period": re.compile(r"^(?:the )?(?P<year>\d{4}) (?:fiscal )?(?P<kind>period|quarter|fiscal year|year)$"),
        "fiscal_year": re.compile(r"^fiscal (?:year )?(?P<year>\d{4})$"),
        "clock": re.compile(
            r"^(?P<h>\d{1,2})(?::(?P<mi>\d\d))?(?: ?(?P<ap>a\.m\.?|p\.m\.?|am|pm|o'clock))?"
            rf"(?: (?P<tz>{_alt(_TIMEZONES)}))?(?:,? (?:on )?(?P<rest>.+))?$"
        ),
        "clock_pod": re.compile(r"^(?P<h>\d{1,2})(?::(?P<mi>\d\d))? in the (?P<pod>morning|afternoon|evening|night)$"),
        "named_time": re.compile(r"^(?P<name>noon|midnight|midday)(?:,? (?:on )?(?P<rest>.+))?$"),
        "decade": re.compile(r"^(?:the )?(?:(?P<c>\d\d)|')(?P<d>\d)0 ?'?s$"),
        "century": re.compile(r"^(?:the )?(?P<n>\d{1,2})(?:st|nd|rd|th) century$"),
        "year": re.compile(r"^(?:the )?(?:year )?(?P<year>1[0-9]\d\d|20\d\d)$"),
    }


# --------------------------------------------------------------------------
# points in time and their TIMEX3 spelling
# --------------------------------------------------------------------------
def _shift(d: date, unit: str, n: int) -> date:
    """Move ``d`` by ``n`` units (D, W, M, Q, Y, 10Y, 100Y), clamping the day of month."""
    if unit == "D":
        return d + timedelta(days=n)
    if unit in ("W", "WE"):
        return d + timedelta(weeks=n)
    months = {"M": 1, "Q": 3, "Y": 12, "10Y": 120, "100Y": 1200, "H": 6}.get(unit)
    if months is None:
        return d
    total = d.year * 12 + d.month - 1 + n * months
    y, m = divmod(total, 12)
    if y < 1 or y > 9999:
        return d
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _fmt(d: date, gran: str) -> str:
    """Spell ``d`` at granularity ``gran`` as a TIMEX3 value."""
    if gran == "day":
        return d.isoformat()
    if gran == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    if gran == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if gran == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if gran == "half":
        return f"{d.year:04d}-H{(d.month - 1) // 6 + 1}"
    if gran == "season":
        return f"{d.year:04d}-{_season_of(d.month)}"
    if gran == "decade":
        return f"{d.year // 10:03d}X"
    if gran == "century":
        return f"{d.year // 100:02d}"
    return f"{d.year:04d}"


def _unknown(gran: str) -> str:
    return {
        "day": "XXXX-XX-XX",
        "week": "XXXX-WXX",
        "month": "XXXX-XX",
        "quarter": "XXXX-QX",
        "half": "XXXX-HX",
        "season": "XXXX-XX",
        "decade": "XXXX",
        "century": "XX",
    }.get(gran, "XXXX")


def _season_of(month: int) -> str:
    return ("WI", "WI", "SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA", "WI")[month - 1]


_VALUE_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d\d)(?:-(?P<d>\d\d))?|Q(?P<q>[1-4])|H(?P<h>[12])|W(?P<w>\d\d?)|(?P<s>SP|SU|FA|WI)))?"
)


def parse_value(value: str | None) -> tuple[date, str] | None:
    """Read a calendar TIMEX3 value back into (first day, granularity); None if it is not one."""
    if not value:
        return None
    m = _VALUE_RE.match(value)
    if not m:
        return None
    y = int(m["y"])
    if y < 1:
        return None
    if m["d"]:
        try:
            return date(y, int(m["m"]), int(m["d"])), "day"
        except ValueError:
            return None
    if m["m"]:
        return date(y, int(m["m"]), 1), "month"
    if m["q"]:
        return date(y, 3 * int(m["q"]) - 2, 1), "quarter"
    if m["h"]:
        return date(y, 6 * int(m["h"]) - 5, 1), "half"
    if m["w"]:
        try:
            return date.fromisocalendar(y, int(m["w"]), 1), "week"
        except ValueError:
            return None
    if m["s"]:
        return date(y, {"SP": 4, "SU": 7, "FA": 10, "WI": 1}[m["s"]], 1), "season"
    return date(y, 1, 1), "year"


def parse_base(published: str | None) -> date | None:
    """Read an ISO date or datetime ("2014-02-28", "1998-01-08T18:30") into a date; None if absent or invalid."""
    if not published:
        return None
    text = published.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        m = re.match(r"^(\d{4})-(\d\d)-(\d\d)", text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


# --------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------
_FRACTION = re.compile(r"^(\d+)/(\d+)$")


def _number(words: list[str]) -> float | None:
    """Read a count ("two", "2 1/2", "a couple of", "twenty four") or None if it is not one."""
    lx = lexicon()
    words = [w for w in words if w not in ("of", "and")]
    if not words:
        return None
    if len(words) == 1 and words[0] in lx["number_words"]:
        return float(lx["number_words"][words[0]])
    if words[0] in ("a", "an") and len(words) == 2 and words[1] in lx["number_words"]:
        return float(lx["number_words"][words[1]])
    total = 0.0
    seen = False
    for w in words:
        w = w.replace(",", "")
        frac = _FRACTION.match(w)
        if frac and int(frac[2]):
            total += int(frac[1]) / int(frac[2])
            seen = True
        elif re.fullmatch(r"\d+(\.\d+)?", w):
            total += float(w)
            seen = True
        elif w == "half" and seen:
            total += 0.5
        else:
            break
    else:
        return total if seen else None
    try:
        from text_to_num import text2num

        return float(text2num(" ".join(words), "en"))
    except (ValueError, ImportError):
        return None


def _num_str(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def _duration_value(n: float | None, unit: str) -> str:
    """Spell a TIMEX3 duration: P6M, PT5H, P2W, P20Y (decades), PXY (unknown count)."""
    if unit.endswith("0Y") and unit != "Y":
        factor = int(unit[:-1])
        unit = "Y"
        n = None if n is None else n * factor
    if unit == "WE":
        return "P2D" if n in (None, 1) else f"P{_num_str(2 * n)}D"
    if unit == "2W":
        unit, n = "W", (2 if n is None else 2 * n)
    count = "X" if n is None else _num_str(n)
    if unit in _TIME_UNITS:
        return f"PT{count}{unit}"
    return f"P{count}{unit}"


# --------------------------------------------------------------------------
# year choice for year-less dates
# --------------------------------------------------------------------------
# News mostly reports what has happened: a year-less date lies in the past unless the verb
# says otherwise, so a candidate on the wrong side of the publication date counts this many
# times its distance.
_WRONG_SIDE = {None: 2.0, "past": 4.0, "present": 1.0, "future": 4.0}


def _nearest_year(base: date, month: int, day: int | None, tense: str | None, wday: int | None = None) -> int:
    """Pick the year that keeps a year-less date nearest to ``base``, weighed by verb tense and a given weekday."""
    best = None
    for y in (base.year - 1, base.year, base.year + 1):
        if day is None:
            start, end = date(y, month, 1), date(y, month, calendar.monthrange(y, month)[1])
        else:
            try:
                start = end = date(y, month, day)
            except ValueError:
                continue
        dist = 0.0 if start <= base <= end else float(min(abs((start - base).days), abs((end - base).days)))
        if (start > base and tense != "future") or (end < base and tense == "future"):
            dist *= _WRONG_SIDE.get(tense, 1.0)
        if wday is not None and day is not None and start.isoweekday() != wday:
            dist += 10000
        if best is None or dist < best[0]:
            best = (dist, y)
    return best[1] if best else base.year


def _nearest_period_year(base: date, first_month: int, months: int, tense: str | None) -> int:
    """Year of a year-less quarter or half: the nearest one, strongly preferring the past.

    Quarters are mostly named when results are reported, so an upcoming one needs the verb's
    future tense to win over the last one.
    """
    best = None
    for y in (base.year - 1, base.year, base.year + 1):
        start = date(y, first_month, 1)
        end = _shift(start, "M", months) - timedelta(days=1)
        dist = 0.0 if start <= base <= end else float(min(abs((start - base).days), abs((end - base).days)))
        if start > base and tense != "future":
            dist *= 1.0 if tense == "present" else 4.0
        if end < base and tense == "future":
            dist *= 4.0
        if best is None or dist < best[0]:
            best = (dist, y)
    return best[1]  # type: ignore[index]


def _weekday_date(base: date, wday: int, tense: str | None, offset: int = 0) -> date:
    """Resolve a weekday name: the same or most recent one in news usage, the next one in future tense."""
    diff = wday - base.isoweekday()
    if offset < 0:
        back = (base.isoweekday() - wday) % 7 or 7
        return base - timedelta(days=back)
    if offset > 0 or tense in ("future", "present"):
        ahead = diff % 7
        if ahead == 0 and offset > 0:
            ahead = 7
        return base + timedelta(days=ahead)
    back = (-diff) % 7
    return base - timedelta(days=back)


def _holiday(spec: str, year: int) -> tuple[date, str] | None:
    if spec.startswith("EASTER"):
        a, b, c = year % 19, year // 100, year % 100
        d, e = divmod(b, 4)
        f = (b + 8) // 25
        g = (b - f + 1) // 3
        h = (19 * a + b - d - g + 15) % 30
        i, k = divmod(c, 4)
        l_ = (32 + 2 * e + 2 * i - h - k) % 7
        m = (a + 11 * h + 22 * l_) // 451
        month, day = divmod(h + l_ - 7 * m + 114, 31)
        easter = date(year, month, day + 1)
        # Easter week runs from the Monday before Easter Sunday.
        return (easter - timedelta(days=6), "week") if spec.endswith("-W") else (easter, "day")
    month_s, rule = spec.split("-", 1)
    month = int(month_s)
    if rule.isdigit():
        return date(year, month, int(rule)), "day"
    first = date(year, month, 1)
    if rule == "ELECTION":  # the Tuesday after the first Monday
        monday = first + timedelta(days=(0 - first.weekday()) % 7)
        return monday + timedelta(days=1), "day"
    wday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU").index(rule[:2])
    if rule[2:] == "L":
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - wday) % 7), "day"
    nth = int(rule[2:])
    return first + timedelta(days=(wday - first.weekday()) % 7 + 7 * (nth - 1)), "day"


# --------------------------------------------------------------------------
# the grammar
# --------------------------------------------------------------------------
_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z0-9'])|(?<=\d)-(?=[a-z])")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Lower-case a phrase and spell it the way the grammar expects ("Sept. 30," -> "sept 30")."""
    s = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    s = _HYPHEN.sub(" ", s)
    s = re.sub(r"(\w)'s\b", r"\1 's", s)
    words = []
    for w in _SPACES.split(s.strip()):
        w = w.strip(',;:!?"()[]')
        if w in _AMPM:
            words.append(_AMPM[w])
            continue
        if w.endswith(".") and w not in _AMPM:
            w = w.rstrip(".")
        if w:
            words.append(w)
    while words and words[-1] in ("'s", "'", ",", "."):
        words.pop()
    return " ".join(words)


def _split_mod(s: str) -> tuple[str, str | None]:
    """Take leading modifiers off ("early", "the end of", "about") and return the TIMEX3 mod."""
    mods = lexicon()["modifiers"]
    mod = None
    if " or so" in s:
        s = s.replace(" or so", "")
        mod = "APPROX"
    lead = ""
    m = re.match(r"^the (?=(?:early|late|mid)\b)", s)
    if m:
        s, lead = s[m.end() :], "the "
    changed = True
    while changed:
        changed = False
        for phrase in sorted(mods, key=len, reverse=True):
            if s.startswith(phrase + " ") and len(s) > len(phrase) + 1:
                if mods[phrase] is not None and mod is None:
                    mod = mods[phrase]
                s = s[len(phrase) + 1 :]
                changed = True
                break
        if s.startswith("mid ") or (s.startswith("mid") and s[3:4].isdigit()):
            s = s[3:].strip()
            mod = mod or "MID"
            changed = True
    for suffix, smod in (
        (" or so", "APPROX"),
        (" or later", "ON_OR_AFTER"),
        (" and beyond", "ON_OR_AFTER"),
        (" or earlier", "ON_OR_BEFORE"),
    ):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            mod = mod or smod
    if lead and not s.startswith("the "):
        s = lead + s
    return s, mod


@lru_cache(maxsize=8192)
def parse_timex(
    text: str,
    *,
    base: str | None,
    anchor: str | None = None,
    tense: str | None = None,
    prefer: str | None = None,
) -> Timex | None:
    """Normalize one temporal phrase to a TIMEX3; None when the phrase is not a temporal expression.

    ``base`` is the publication date (ISO date or datetime), ``anchor`` the TIMEX3 value of the
    last date mentioned, ``tense`` past/present/future of the clause, and ``prefer`` a type the
    context asks for ("the year" in "for the year ended June 30" is a DURATION).
    """
    s, mod = _split_mod(clean(text))
    if not s:
        return None
    b = parse_base(base)
    anc = parse_value(anchor) if anchor else None
    out = None
    if prefer == "DURATION":
        out = _parse_duration(s, b, anc, tense, singular=True)
    out = out or _parse(s, b, anc, tense)
    if out is None:
        out = _dateparser_fallback(s, b)
    if out is None:
        return None
    return Timex(out.type, out.value, out.granularity, out.mod or mod, out.anchored)


def _point(b: date | None, d: date | None, gran: str, typ: str = "DATE") -> Timex:
    """A DATE at ``gran``; underspecified when there is no reference date."""
    if d is None or b is None:
        return Timex(typ, _unknown(gran), gran)
    return Timex(typ, _fmt(d, gran), gran)


def _reference(rel_spec: list, b: date | None, anc: tuple[date, str] | None) -> date | None:
    if rel_spec[0] == "anchor" and anc is not None:
        return anc[0]
    return b


def _parse(s: str, b: date | None, anc: tuple[date, str] | None, tense: str | None) -> Timex | None:
    lx = lexicon()
    if s.startswith("the ") and s[4:] in lx["references"]:
        s = s[4:] if s not in lx["references"] else s
    if s in lx["references"]:
        return Timex("DATE", lx["references"][s], None)
    if s in lx["sets"]:
        return Timex("SET", lx["sets"][s], None)
    out = _parse_set(s, b)
    if out:
        return out
    for parser in (_parse_calendar, _parse_clock, _parse_relative, _parse_quarter, _parse_shift, _parse_duration):
        out = parser(s, b, anc, tense)
        if out is not None:
            return out
    if s.startswith("the "):
        return _parse(s[4:], b, anc, tense) if s[4:] not in lx["units"] else None
    if s in lx["holidays"]:
        if b is None:
            return Timex("DATE", "XXXX-XX-XX", "day")
        spec = lx["holidays"][s]
        best = None
        for y in (b.year - 1, b.year, b.year + 1):
            d, gran = _holiday(spec, y)
            dist = (
                abs((d - b).days)
                + (400 if tense == "past" and d > b else 0)
                + (400 if tense == "future" and d < b else 0)
            )
            if best is None or dist < best[0]:
                best = (dist, d, gran)
        return _point(b, best[1], best[2])
    return None


def _parse_set(s: str, b: date | None) -> Timex | None:
    lx = lexicon()
    m = re.match(r"^(?:every|each|per)(?: other)? (?P<rest>.+)$", s)
    if m:
        rest = m["rest"]
        words = rest.split()
        if rest in lx["units"]:
            return Timex("SET", _duration_value(1, lx["units"][rest]), None)
        if words[-1] in lx["units"]:
            n = _number(words[:-1])
            if n is not None:
                return Timex("SET", _duration_value(n, lx["units"][words[-1]]), None)
        if rest in lx["weekdays"]:
            return Timex("SET", f"XXXX-WXX-{lx['weekdays'][rest]}", None)
        if rest in lx["months"]:
            return Timex("SET", f"XXXX-{lx['months'][rest]:02d}", None)
        if rest in lx["seasons"]:
            return Timex("SET", f"XXXX-{lx['seasons'][rest]}", None)
        if rest in ("morning", "afternoon", "evening", "night"):
            return Timex("SET", f"XXXX-XX-XXT{lx['parts_of_day'][rest]}", None)
        return None
    m = re.match(r"^(?P<wd>[a-z]+)s(?: (?P<pod>morning|afternoon|evening|night)s)?$", s)
    if m and m["wd"] in lx["weekdays"] and len(m["wd"]) > 3:
        pod = f"T{lx['parts_of_day'][m['pod']]}" if m["pod"] else ""
        return Timex("SET", f"XXXX-WXX-{lx['weekdays'][m['wd']]}{pod}", None)
    m = re.match(r"^(?P<wd>[a-z]+) (?P<pod>morning|afternoon|evening|night)s$", s)
    if m and m["wd"] in lx["weekdays"]:
        return Timex("SET", f"XXXX-WXX-{lx['weekdays'][m['wd']]}T{lx['parts_of_day'][m['pod']]}", None)
    return None


def _parse_calendar(s: str, b: date | None, anc, tense) -> Timex | None:
    lx = lexicon()
    g = _grammar()
    for key in ("mdy", "dmy"):
        m = g[key].match(s)
        if m:
            month, day = lx["months"][m["month"]], int(m["day"])
            if not 1 <= day <= 31:
                return None
            if m["year"]:
                try:
                    return Timex("DATE", date(int(m["year"]), month, day).isoformat(), "day")
                except ValueError:
                    return None
            if b is None:
                return Timex("DATE", f"XXXX-{month:02d}-{day:02d}", "day")
            wd = lexicon()["weekdays"].get(m["wday"]) if m["wday"] else None
            rel = m.groupdict().get("rel")
            if rel:
                tense = (
                    "future" if rel in ("next", "this coming") else "past" if rel in ("last", "this past") else tense
                )
            y = _nearest_year(b, month, day, tense, wd)
            try:
                return Timex("DATE", date(y, month, day).isoformat(), "day")
            except ValueError:
                return None
    m = re.match(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})$", s)
    if m:
        # News in English writes numeric dates month first.
        y = int(m["y"]) if len(m["y"]) == 4 else 1900 + int(m["y"]) + (100 if int(m["y"]) < 50 else 0)
        try:
            return Timex("DATE", date(y, int(m["m"]), int(m["d"])).isoformat(), "day")
        except ValueError:
            return None
    m = g["my"].match(s)
    if m:
        return Timex("DATE", f"{m['year']}-{lx['months'][m['month']]:02d}", "month")
    m = g["month_spelled_year"].match(s)
    if m and _spelled_year(m["words"]):
        return Timex("DATE", f"{_spelled_year(m['words']):04d}-{lx['months'][m['month']]:02d}", "month")
    m = g["m_rel_year"].match(s)
    if m:
        month = lx["months"][m["month"]]
        if b is None:
            return Timex("DATE", f"XXXX-{month:02d}", "month")
        y = b.year + {"last": -1, "this": 0, "next": 1}[m["rel"]]
        return Timex("DATE", f"{y:04d}-{month:02d}", "month")
    m = g["month"].match(s)
    if m:
        month = lx["months"][m["month"]]
        if b is None:
            return Timex("DATE", f"XXXX-{month:02d}", "month")
        return Timex("DATE", f"{_nearest_year(b, month, None, tense):04d}-{month:02d}", "month")
    m = g["year"].match(s)
    if m:
        return Timex("DATE", m["year"], "year")
    m = re.match(r"^(?:the )?year (?P<words>.+)$", s) or re.match(r"^(?P<words>nineteen .+|two thousand.*)$", s)
    if m:
        y = _spelled_year(m["words"])
        if y:
            return Timex("DATE", f"{y:04d}", "year")
    # TimeML writes a decade as three digits ("the 1990s" -> 199); a bare "1990s" is
    # usually annotated with a trailing X in news corpora, so both spellings are kept.
    m = g["decade"].match(s)
    if m:
        century = m["c"] or "19"
        return Timex("DATE", f"{century}{m['d']}" + ("" if s.startswith("the ") else "X"), "decade")
    m = re.match(r"^the (?P<w>[a-z]+)$", s)
    if m and m["w"] in lx["decade_words"]:
        return Timex("DATE", f"19{lx['decade_words'][m['w']]}", "decade")
    m = g["century"].match(s)
    if m:
        return Timex("DATE", f"{int(m['n']) - 1:02d}", "century")
    m = re.match(r"^(?:the )?(?P<o>[a-z]+(?: [a-z]+)?) century$", s)
    if m and m["o"] in lx["ordinals"]:
        return Timex("DATE", f"{lx['ordinals'][m['o']] - 1:02d}", "century")
    m = g["season_year"].match(s)
    if m:
        return Timex("DATE", f"{m['year']}-{lx['seasons'][m['season']]}", "season")
    m = g["season_spelled_year"].match(s)
    if m and _spelled_year(m["words"]):
        return Timex("DATE", f"{_spelled_year(m['words']):04d}-{lx['seasons'][m['season']]}", "season")
    m = g["year_period"].match(s)
    if m and m["kind"] in ("period", "quarter") and anc is not None and anc[1] == "quarter":
        # "the 1988 period" in a story about a quarter is that quarter of 1988.
        return Timex("DATE", f"{m['year']}-Q{(anc[0].month - 1) // 3 + 1}", "quarter", anchored=True)
    m = g["fiscal_year"].match(s) or m
    if m:
        return Timex("DATE", m["year"], "year")
    return None


def _spelled_year(words: str) -> int | None:
    words = words.replace("-", " ")
    parts = words.split()
    if not parts:
        return None
    try:
        from text_to_num import text2num
    except ImportError:  # pragma: no cover
        return None
    try:
        if parts[0] == "nineteen" and len(parts) > 1:
            return 1900 + int(text2num(" ".join(parts[1:]), "en"))
        if parts[0] == "two" and len(parts) > 1 and parts[1] == "thousand":
            rest = [p for p in parts[2:] if p != "and"]
            return 2000 + (int(text2num(" ".join(rest), "en")) if rest else 0)
    except ValueError:
        return None
    return None


def _day_of(expr: str, b: date | None, anc, tense) -> Timex | None:
    """The date a clock time hangs on ("Wednesday", "yesterday", "Nov. 9")."""
    out = _parse_calendar(expr, b, anc, tense) or _parse_relative(expr, b, anc, tense)
    if out is None or out.granularity != "day" or "T" in out.value:
        return None
    return out


def _parse_clock(s: str, b: date | None, anc, tense) -> Timex | None:
    g = _grammar()
    lx = lexicon()
    m = g["clock_pod"].match(s)
    if m:
        h = int(m["h"]) % 12 + (
            12 if m["pod"] in ("afternoon", "evening") or (m["pod"] == "night" and int(m["h"]) > 5) else 0
        )
        day = _point(b, b, "day")
        return Timex("TIME", f"{day.value}T{h:02d}:{int(m['mi'] or 0):02d}", "time")
    m = g["named_time"].match(s)
    if m:
        hh = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[m["name"]]
        day = (
            _day_of(m["rest"], b, anc, tense)
            if m["rest"]
            else _point(b, anc[0] if anc and anc[1] == "day" else b, "day")
        )
        if day is None:
            return None
        return Timex("TIME", f"{day.value}T{hh}", "time")
    m = g["clock"].match(s)
    if m and (m["ap"] or m["mi"]):
        h, mi = int(m["h"]), int(m["mi"] or 0)
        if h > 24 or mi > 59:
            return None
        if not m["ap"] and not (m["mi"] and m["rest"]):
            return None
        if m["ap"] == "pm" and h < 12:
            h += 12
        elif m["ap"] == "am" and h == 12:
            h = 0
        if m["rest"]:
            day = _day_of(m["rest"], b, anc, tense)
            if day is None:
                return None
        else:
            day = _point(b, anc[0] if anc and anc[1] == "day" else b, "day")
        return Timex("TIME", f"{day.value}T{h:02d}:{mi:02d}", "time")
    m = g["pod"].match(s)
    if m and (
        m["pod"] in ("midday", "mid afternoon", "midafternoon", "overnight")
        or re.match(r"^(?:the )?(?:morning|afternoon|evening)$", s)
    ):
        day = _point(b, anc[0] if anc and anc[1] == "day" else b, "day")
        return Timex("TIME", f"{day.value}T{lx['parts_of_day'][m['pod']]}", "time")
    return None


def _parse_relative(s: str, b: date | None, anc, tense) -> Timex | None:
    lx = lexicon()
    g = _grammar()
    pods = lx["parts_of_day"]
    m = g["day_ref"].match(s) or g["pod_day_ref"].match(s)
    if m:
        d = b + timedelta(days=lx["day_refs"][m["ref"]]) if b else None
        out = _point(b, d, "day")
        if m["pod"]:
            return Timex("TIME", f"{out.value}T{pods[m['pod']]}", "time")
        return out
    m = g["wday_pod"].match(s)
    if m:
        wd = lx["weekdays"][m["wday"]]
        if b is None:
            value = f"XXXX-WXX-{wd}"
        else:
            value = _weekday_date(b, wd, tense).isoformat()
        # News annotation mostly gives "Friday morning" the day's value; the part of day adds no precision.
        return Timex("DATE", value, "day")
    m = g["rel_wday"].match(s)
    if m:
        spec = lx["relatives"][m["rel"]]
        ref = _reference(spec, b, anc)
        wd = lx["weekdays"][m["wday"]]
        if ref is None:
            value = f"XXXX-WXX-{wd}"
        else:
            value = _weekday_date(
                ref, wd, tense, spec[1] if m["rel"] not in ("this", "that", "same") else 0
            ).isoformat()
        if m["pod"]:
            return Timex("DATE", f"{value}T{pods[m['pod']]}", "day")
        return Timex("DATE", value, "day")
    m = g["rel_pod"].match(s)
    if m:
        if m["rel"] == "last":
            d = b - timedelta(days=1) if b else None
        elif m["rel"] in ("that", "the"):
            d = anc[0] if anc and anc[1] == "day" else b
        else:
            d = b
        day = _point(b, d, "day")
        return Timex("TIME", f"{day.value}T{pods[m['pod']]}", "time")
    m = g["rel_unit"].match(s)
    if m and not (m["unit"].endswith("s") or m["unit"] == "centuries"):
        return _rel_unit(m["rel"], lx["units"][m["unit"]], b, anc)
    m = g["rel_month"].match(s)
    if m:
        month = lx["months"][m["month"]]
        spec = lx["relatives"][m["rel"]]
        ref = _reference(spec, b, anc)
        if ref is None:
            return Timex("DATE", f"XXXX-{month:02d}", "month")
        y = ref.year
        if spec[1] < 0 and month >= ref.month:
            y -= 1
        elif spec[1] > 0 and month <= ref.month:
            y += 1
        return Timex("DATE", f"{y:04d}-{month:02d}", "month")
    m = g["rel_season"].match(s) or g["season"].match(s)
    if m:
        season = lx["seasons"][m["season"]]
        rel = m.groupdict().get("rel")
        spec = lx["relatives"].get(rel, ["base", 0]) if rel else ["base", 0]
        ref = _reference(spec, b, anc)
        if ref is None:
            return Timex("DATE", f"XXXX-{season}", "season")
        order = ("WI", "SP", "SU", "FA")
        cur = order.index(_season_of(ref.month))
        idx = order.index(season)
        y = ref.year if not (ref.month == 12 and season == "WI") else ref.year + 1
        if spec[1] < 0 and idx >= cur:
            y -= 1
        elif spec[1] > 0 and idx <= cur:
            y += 1
        elif spec[1] == 0 and not rel and tense == "past" and idx > cur:
            y -= 1
        return Timex("DATE", f"{y:04d}-{season}", "season")
    if s in ("the weekend", "weekend"):
        if b is None:
            return Timex("DATE", "XXXX-WXX-WE", "week")
        ref = b if b.isoweekday() >= 5 or tense == "future" else b - timedelta(days=7)
        return Timex("DATE", f"{_fmt(ref, 'week')}-WE", "week")
    m = re.match(
        r"^(?:(?:earlier|later) )?(?:in )?the (?:full |fiscal |entire |whole )*(?P<unit>year|week|month|day)$", s
    )
    if m:
        unit = lx["units"][m["unit"]]
        return _point(b, b, _UNIT_GRAN[unit])
    if s in ("year end", "year 's end", "the year 's end", "the end of the year"):
        return Timex("DATE", _point(b, b, "year").value, "year", "END")
    m = re.match(r"^(?:the )?(?P<rel>this|last|next|that|same|current|latest)(?: fiscal)? year 's$", s)
    if m:
        return _rel_unit(m["rel"], "Y", b, anc)
    return None


def _partial(d: date, known: str, gran: str) -> str | None:
    """A ``gran`` value of which only the ``known`` part is given: 1998-10-XX, 1998-XX-XX, 1998-WXX."""
    if gran == "day" and known in ("month", "year"):
        return f"{d.year:04d}-{d.month:02d}-XX" if known == "month" else f"{d.year:04d}-XX-XX"
    if gran == "month" and known == "year":
        return f"{d.year:04d}-XX"
    if gran == "week" and known in ("month", "year"):
        return f"{d.year:04d}-WXX"
    return None


def _rel_unit(rel: str, unit: str, b: date | None, anc) -> Timex | None:
    lx = lexicon()
    spec = lx["relatives"][rel]
    ref = _reference(spec, b, anc)
    offset = spec[1]
    if unit in _TIME_UNITS or unit == "2W":
        return None
    if unit == "WE":
        if ref is None:
            return Timex("DATE", "XXXX-WXX-WE", "week")
        d = ref + timedelta(weeks=offset)
        return Timex("DATE", f"{_fmt(d, 'week')}-WE", "week")
    gran = _UNIT_GRAN.get(unit)
    if gran is None:
        return None
    if unit == "10Y" and rel == "past":
        # "the past decade" is the ten years up to now, not the calendar decade.
        return Timex("DURATION", "P10Y", None)
    if ref is None:
        return Timex("DATE", _unknown(gran), gran)
    if spec[0] == "anchor" and anc is not None and _FINE[anc[1]] < _FINE.get(gran, 0) and offset == 0:
        # "that same day" after "in October 1998": the day is within the month but unknown.
        value = _partial(anc[0], anc[1], gran)
        if value is not None:
            return Timex("DATE", value, gran, anchored=True)
        gran = anc[1]
    if unit == "Q" and rel in ("latest", "last", "past") and spec[0] == "base":
        offset = -1
    d = _shift(ref, unit, offset)
    value = _fmt(d, gran)
    if gran == "decade":
        value = value.rstrip("X")
    return Timex("DATE", value, gran, anchored=spec[0] == "anchor" or offset < 0)


def _parse_quarter(s: str, b: date | None, anc, tense) -> Timex | None:
    g = _grammar()
    s2 = re.sub(r"^(?:the|its|their|his|her|our) ", "", s)
    m = g["quarter"].match(s2)
    if m:
        o = m["ord"]
        n = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}.get(o)
        kind = m["kind"]
        if n is None:
            n = 4 if kind == "quarter" else 2
        if kind == "half" and n > 2:
            return None
        year = m["y1"] or m["y2"]
        yrel = m["yrel"] or m["y2rel"]
        if year:
            y = int(year)
        elif b is None:
            return Timex("DATE", f"XXXX-{'Q' if kind == 'quarter' else 'H'}{n}", kind)
        elif yrel:
            y = b.year + {"this": 0, "last": -1, "next": 1}[yrel]
        elif m["y2that"] and anc is not None:
            y = anc[0].year
        else:
            months = 3 if kind == "quarter" else 6
            y = _nearest_period_year(b, (n - 1) * months + 1, months, tense)
            if m["qrel"] in ("last", "previous"):
                y -= 1
        return Timex("DATE", f"{y:04d}-{'Q' if kind == 'quarter' else 'H'}{n}", kind)
    m = g["year_ago_period"].match(s2)
    if m:
        q = _current_quarter(b, anc)
        if q is None:
            return Timex("DATE", "XXXX-QX", "quarter")
        if m["ord"]:
            q = date(q.year, 3 * {"first": 1, "second": 2, "third": 3, "fourth": 4}[m["ord"]] - 2, 1)
        return Timex("DATE", _fmt(_shift(q, "Y", -1), "quarter"), "quarter", anchored=True)
    m = re.match(r"^(?P<rel>this|last|next) year 's (?:fiscal )?(?:quarter|period)$", s2)
    if m:
        # "last year's quarter": the quarter under discussion, in the year named.
        q = _current_quarter(b, anc)
        if q is None:
            return Timex("DATE", "XXXX-QX", "quarter")
        q = _shift(q, "Y", {"this": 0, "last": -1, "next": 1}[m["rel"]])
        return Timex("DATE", _fmt(q, "quarter"), "quarter", anchored=True)
    m = g["this_period"].match(s2)
    if m and (m["rel"] or s.startswith("the ")):
        if m["kind"] == "period" and m["rel"] in (None, "its", "this", "that"):
            return None
        rel = m["rel"]
        if rel in ("current", "this") and m["kind"] == "quarter":
            # The quarter the story is published in.
            q = date(b.year, 3 * ((b.month - 1) // 3) + 1, 1) if b else None
        elif rel in ("latest", "recent"):
            q = _current_quarter(b, None)
        else:
            q = _current_quarter(b, anc)
        if q is None:
            return Timex("DATE", "XXXX-QX", "quarter")
        if rel == "previous":
            q = _shift(q, "Q", -1)
        return Timex("DATE", _fmt(q, "quarter"), "quarter")
    return None


def _current_quarter(b: date | None, anc) -> date | None:
    """The quarter a financial story is about: the last one mentioned, else the one before publication."""
    if anc is not None and anc[1] == "quarter":
        return anc[0]
    if b is None:
        return None
    return _shift(date(b.year, 3 * ((b.month - 1) // 3) + 1, 1), "Q", -1)


_SHIFT_RE = re.compile(r"^(?P<dur>.+?) (?P<dir>ago|earlier|later|before|after|from now|hence|previously)$")


def _parse_shift(s: str, b: date | None, anc, tense) -> Timex | None:
    lx = lexicon()
    m = _SHIFT_RE.match(s)
    if not m:
        return None
    words = m["dur"].split()
    if words and words[0] == "the":
        words = words[1:]
    if not words or words[-1] not in lx["units"]:
        return None
    unit = lx["units"][words[-1]]
    qty = words[:-1]
    spec = lx["shifts"][m["dir"]]
    if not qty or any(w in lx["vague_quantities"] for w in qty):
        n = None
    else:
        n = _number(qty)
        if n is None:
            return None
    if n is None:
        return Timex("DATE", "PAST_REF" if spec[1] < 0 else "FUTURE_REF", None)
    if unit in _TIME_UNITS:
        return None
    ref = _reference(spec, b, anc)
    gran = _UNIT_GRAN.get(unit, "day") if unit not in ("WE", "2W") else "week"
    if gran in ("decade", "century"):
        gran = "year"
    if unit == "D":
        gran = "day"
    use_anchor = spec[0] == "anchor" and anc is not None
    if anc is not None and anc[1] == "quarter" and unit == "Y" and n == 1:
        ref, gran, use_anchor = anc[0], "quarter", True
    elif use_anchor and _FINE[anc[1]] > _FINE.get(gran, 0) and anc[1] != "week":
        gran = anc[1]
    if ref is None:
        return Timex("DATE", _unknown(gran), gran)
    if not float(n).is_integer() or abs(n) > 10_000:
        return None  # "39.5 billion two weeks earlier": a number read across a quantity is no shift
    step = 2 if unit == "2W" else 1
    d = _shift(ref, unit if unit not in ("2W", "WE") else "W", spec[1] * int(n) * step)
    return Timex("DATE", _fmt(d, gran), gran, anchored=True)


_DUR_PREFIX = re.compile(
    r"^(?:(?:each of |for )?(?:the|a|an|this|these|those|its|their) )?"
    r"(?:(?:past|last|next|first|final|coming|latest|previous|following|remaining|initial|same"
    r"|year earlier|year ago|additional|further|more) )*"
)


def _parse_duration(s: str, b: date | None, anc, tense, *, singular: bool = False) -> Timex | None:
    lx = lexicon()
    s = re.sub(r" (?:period|term|span|stretch|time|run|window|spell)$", "", s)
    s = re.sub(r" (?:more|ahead|long|running|straight|in a row|or more)$", "", s)
    s = re.sub(
        r" (?:trading|business|working|calendar|more|additional|further|extra|fiscal|full|entire|whole) (?=[a-z]+$)",
        " ",
        s,
    )
    half = s.endswith(" and a half")
    if half:
        s = s[: -len(" and a half")]
    m = re.match(r"^(?P<q>.*?)(?P<unit>[a-z]+)$", s)
    if not m or m["unit"] not in lx["units"]:
        return None
    unit = lx["units"][m["unit"]]
    head = m["q"].strip()
    prefix = _DUR_PREFIX.match(head + " ") if head else None
    rest = head[prefix.end() :].strip() if prefix else head
    rest_words = rest.split()
    if not rest_words and head and (head.split()[-1] in ("a", "an", "one") or singular):
        rest_words = ["a"]
    plural = m["unit"].endswith("s") or m["unit"] == "centuries"
    if not rest_words:
        if not head:
            if plural:
                return Timex("DURATION", _duration_value(None, unit), None)
            return None
        words = head.split()
        if (
            plural
            and words
            and (words[-1] in lx["vague_quantities"] or words[-1] in ("past", "last", "next", "coming", "recent"))
        ):
            if words[-1] == "recent" and unit in ("Y", "10Y"):
                return Timex("DATE", "PAST_REF", None)
            return Timex("DURATION", _duration_value(None, unit), None)
        if plural:
            return Timex("DURATION", _duration_value(None, unit), None) if words[0] == "the" else None
        return None
    if rest_words[0] in ("a", "an") and len(rest_words) > 1:
        rest_words = rest_words[1:]
    if rest_words == ["recent"] and plural and unit in ("Y", "10Y"):
        return Timex("DATE", "PAST_REF", None)
    if any(w in lx["vague_quantities"] for w in rest_words):
        return Timex("DURATION", _duration_value(None, unit), None)
    if re.search(r"\b(?:to|or|-)\b", " ".join(rest_words)):
        return Timex("DURATION", _duration_value(None, unit), None)
    n = _number(rest_words)
    if n is None or n <= 0:
        return None
    if half:
        n += 0.5
    if not float(n).is_integer():
        whole = int(n)
        if m["unit"].startswith("minute"):
            return Timex("DURATION", f"PT{whole}M{int(round((n - whole) * 60))}S", None)
        if unit == "H":
            return Timex("DURATION", f"PT{whole}H{int(round((n - whole) * 60))}M", None)
        if unit == "Y":
            return Timex("DURATION", f"P{whole}Y{int(round((n - whole) * 12))}M", None)
        if unit == "D":
            return Timex("DURATION", f"P{whole}DT{int(round((n - whole) * 24))}H", None)
        return Timex("DURATION", f"P{_num_str(n)}{unit}", None)
    if m["unit"].startswith("minute"):
        return Timex("DURATION", f"PT{_num_str(n)}M", None)
    return Timex("DURATION", _duration_value(n, unit), None)


# --------------------------------------------------------------------------
# dateparser fallback
# --------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _dateparser_fallback(s: str, b: date | None) -> Timex | None:
    """Calendar phrases outside the grammar (e.g. "30 sept 1989"), parsed by dateparser."""
    if b is None or not (re.search(r"\b\d{4}\b", s) or set(s.split()) & set(lexicon()["months"])):
        return None
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": datetime(b.year, b.month, b.day),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": False,
    }
    try:
        parser = DateDataParser(languages=["en"], settings=settings)
        data = parser.get_date_data(s)
    except Exception:  # noqa: BLE001 - dateparser raises many kinds of errors on odd input
        return None
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    period = data.period or "day"
    gran = {"day": "day", "week": "week", "month": "month", "year": "year", "time": "time"}.get(period, "day")
    if gran == "time":
        return Timex("TIME", data.date_obj.strftime("%Y-%m-%dT%H:%M"), "time")
    return Timex("DATE", _fmt(d, gran), gran)
