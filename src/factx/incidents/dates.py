"""Dates of units: the days a TIMEX3 value covers and the period an incident's date and report allow."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping

from .rules import OWN_ORIGINS, GroupingRules

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])")


def _published(record: Mapping[str, Any]) -> dt.date | None:
    pub = record.get("published")
    value = pub.get("value") if isinstance(pub, dict) else pub
    return _day(value)


def _day(value: Any) -> dt.date | None:
    m = _DAY.match(value) if isinstance(value, str) else None
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def timex_period(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last calendar day a TIMEX3 date value covers, or None (durations, unknown years).

    Example:
        >>> timex_period("2016-02")
        (datetime.date(2016, 2, 1), datetime.date(2016, 2, 29))
    """
    try:
        if m := _DAY.match(value):
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := _MONTH.match(value):
            y, mo = int(m[1]), int(m[2])
            first = dt.date(y, mo, 1)
            return first, dt.date(y + mo // 12, mo % 12 + 1, 1) - dt.timedelta(days=1)
        if m := _WEEK.match(value):
            first = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return first, first + dt.timedelta(days=6)
        if m := _QUARTER.match(value):
            y, q = int(m[1]), int(m[2])
            first = dt.date(y, 3 * q - 2, 1)
            return first, dt.date(y + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
        if m := _YEAR.match(value):
            return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def _follow_lag(date: dict[str, Any] | None, members: list[dict], families: Mapping[str, str],
                rules: GroupingRules) -> int:
    """Days the happening may precede its date when that date is only the date of what followed it
    (an arrest, a death in hospital): the events that carry the date decide."""
    if not date:
        return 0
    carriers = [e for e in members if isinstance(e.get("date"), dict) and e["date"].get("value") == date["value"]]
    if not carriers:
        return 0
    return min(rules.lag_by_family.get(families.get(e["type"], e["type"]), 0) for e in carriers)


def _one_day(date: dict[str, Any] | None) -> int | None:
    period = timex_period(date["value"]) if date and date.get("origin") != "published" else None
    return period[0].toordinal() if period and period[0] == period[1] else None


def _published_period(published: dt.date | None, rules: GroupingRules) -> tuple[int | None, int | None]:
    return (published.toordinal() - rules.published_lag, published.toordinal()) if published else (None, None)


def _period(date: dict[str, Any] | None, published: dt.date | None,
            rules: GroupingRules, *, lag: int = 0) -> tuple[int | None, int | None, int | None]:
    """The days the incident may have happened on, and its own day when its sentences give one."""
    pub = published.toordinal() if published else None
    period = timex_period(date["value"]) if date else None
    if period is None or (date or {}).get("origin") == "published":
        if pub is None:
            return None, None, None
        return pub - rules.published_lag, pub, None
    lo, hi = period[0].toordinal(), period[1].toordinal()
    precise = lo == hi and date.get("origin") in OWN_ORIGINS
    if pub is not None and not precise and (hi < pub - rules.wide_window or lo > pub + rules.tolerance):
        # A borrowed or coarse date far from the report ("in 2006", "1966") dates something else.
        return pub - rules.published_lag, pub, None
    if lo == hi:
        if date.get("origin") in OWN_ORIGINS:
            return lo - lag, hi, lo
        return lo - rules.document_lag - lag, hi + rules.document_lag, None
    return lo - lag, hi, None
