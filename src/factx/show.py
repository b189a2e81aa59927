"""Show factx/1 records to people: highlighted article text, facts and events.

Two renderers share one reading of the record. ``render_terminal`` gives rich
output (plain text with ``color=False``); ``render_html`` gives one self-contained
HTML page whose only script and style are inline and pinned by hash in a
Content-Security-Policy, and where every piece of article text is escaped.

Example:
    >>> text = "Police arrested 12 people in Lyon on May 3."
    >>> rec = {"numbers": [{"text": "12", "start": 16, "end": 18, "value": 12}]}
    >>> render_terminal([(rec, text)], width=60, color=False).splitlines()[3]
    'Police arrested [12] people in Lyon on May 3.'
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import textwrap
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from html import escape
from importlib import resources
from io import StringIO
from string import Template
from typing import Any

from .errors import FactxError, InputError

# Order matters: when two spans cover exactly the same text, the earlier kind is shown.
KINDS = ("money", "date", "place", "number", "event")
FACT_LISTS = {"number": "numbers", "money": "money", "date": "dates", "place": "places"}
LEGEND_ORDER = ("number", "money", "date", "place", "event")
KIND_LABELS = {"number": "Number", "money": "Money", "date": "Date", "place": "Place", "event": "Event"}

# 256-colour palette entries with black text stay legible on dark and light terminals.
# fmt: off
TERMINAL_STYLES = {
    "number": "black on #87d7ff",
    "money":  "black on #87d787",
    "date":   "black on #d7afff",
    "place":  "black on #ffd787",
    "event":  "bold underline",
}
# fmt: on

QUALIFIER_WORDS = {
    "exact": "",
    "about": "about",
    "more_than": "more than",
    "less_than": "less than",
    "at_least": "at least",
    "at_most": "at most",
}

# Offsets and the span text are shown by the highlight itself, not repeated in its details.
_SPAN_KEYS = frozenset({"text", "start", "end"})
# C0/C1 controls (ESC above all) become visible symbols; line breaks and tabs stay; CR goes.
_CONTROL_PICTURES = {
    **{c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)},
    0x0D: None,
    0x7F: 0x2421,
    **{c: 0xFFFD for c in range(0x80, 0xA0)},
}
_KV = '<span class="kv">{}</span>'
_NONE = '<span class="none" aria-label="none">–</span>'
_CODE_RE = re.compile(r"(\([A-Z]{2}(?:-[A-Z0-9]{1,3})?\))$")
_TIMEX_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2}))?(?:$|T)")


@dataclass(frozen=True, slots=True)
class Fact:
    """One highlightable span of a record: a mention or an event trigger."""

    kind: str
    start: int
    end: int
    text: str
    ref: str  # e.g. "money[0]" or "events[2]"
    summary: str
    details: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class Highlight:
    """A non-overlapping stretch of text shown as one highlight; ``facts[0]`` sets its kind."""

    start: int
    end: int
    facts: list[Fact] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The kind that decides the colour."""
        return self.facts[0].kind


# --------------------------------------------------------------------------- reading


def records_from_json(text: str, *, name: str = "input") -> Iterator[dict]:
    """Parse saved factx output (one JSON object, a JSON array or JSON Lines) into records.

    Each record must carry the article text under a top-level ``"text"`` key, since
    offsets cannot be shown without it.

    Args:
        text: the saved output.
        name: what to call the input in error messages (a file name or ``"-"``).

    Yields:
        Record dicts, each with a string ``"text"``.

    Raises:
        InputError: the input is empty, is not JSON, holds something other than
            objects, or a record has no article text.

    Example:
        >>> [r["text"] for r in records_from_json('{"text": "Hi.", "events": []}')]
        ['Hi.']
    """
    stripped = text.strip()
    if not stripped:
        raise InputError(f"{name}: no factx records (the input is empty)")
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise InputError(f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        items: Iterable[tuple[str, Any]] = _json_stream(text, name=name)
    else:
        if isinstance(whole, list):
            items = ((f"item {i + 1}", item) for i, item in enumerate(whole))
        else:
            items = [("record 1", whole)]
    for where, item in items:
        yield _checked_record(item, where=f"{name}: {where}")


def _json_stream(text: str, *, name: str) -> Iterator[tuple[str, Any]]:
    """Yield the JSON values of JSON Lines, or of any whitespace-separated stream such as ``jq`` output."""
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return
        lineno = text.count("\n", 0, pos) + 1
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{name}: the record starting on line {lineno} is not valid JSON "
                f"({exc.msg}: line {exc.lineno}, column {exc.colno})"
            ) from None
        yield f"line {lineno}", value


def _checked_record(item: Any, *, where: str) -> dict:
    if not isinstance(item, dict):
        raise InputError(f"{where} is a JSON {type(item).__name__}, not a factx record object")
    if not isinstance(item.get("text"), str):
        source = item.get("source")
        ident = source.get("id") if isinstance(source, Mapping) else None
        about = f" ({ident})" if ident else ""
        raise InputError(
            f"{where}{about} has no article text: factx output only renders when each record "
            'carries the article under a top-level "text" key (save it with `factx extract --include-text`)'
        )
    return item


# --------------------------------------------------------------------------- facts


def read_facts(record: Mapping[str, Any], text: str) -> tuple[list[Fact], int]:
    """Return the record's mentions and event triggers as facts, plus how many had bad offsets.

    A span is kept only when ``0 <= start < end <= len(text)`` and, if it carries
    ``text``, that text equals ``text[start:end]``; anything else would highlight the
    wrong words.

    Example:
        >>> read_facts({"dates": [{"text": "May 3", "start": 3, "end": 8, "value": "2024-05-03"}]}, "On May 3.")[1]
        0
    """
    facts: list[Fact] = []
    skipped = 0
    for kind, key in FACT_LISTS.items():
        for i, mention in enumerate(_raw_list(record.get(key))):
            span = _valid_span(mention, text)
            if span is None:
                skipped += 1
                continue
            facts.append(
                Fact(kind, *span, text[span[0] : span[1]], f"{key}[{i}]", _summary(kind, mention), _details(mention))
            )
    for i, event in enumerate(_raw_list(record.get("events"))):
        if _in_title(event):
            continue  # its offsets point into the title, which the page shows as the heading
        trigger = event.get("trigger") if isinstance(event, Mapping) else None
        span = _valid_span(trigger, text)
        if span is None:
            skipped += trigger is not None
            continue
        label = f"{event.get('type') or 'event'} ({event.get('id') or f'events[{i}]'})"
        details = tuple(
            (k, v)
            for k, v in (
                ("count", _count(event.get("count"))),
                ("who", _span_text(event.get("agent"))),
                ("where", _place(event.get("place"))),
                ("when", _when(event.get("date"))),
                ("modality", _modality(event)),
            )
            if v
        )
        facts.append(Fact("event", *span, text[span[0] : span[1]], f"events[{i}]", label, details))
    return facts, skipped


def build_highlights(facts: Iterable[Fact]) -> list[Highlight]:
    """Pick non-overlapping highlights, longest first; a fact that overlaps a kept one joins it.

    Nested spans ("20,000" inside "20,000 yuan") stay visible in the outer
    highlight's details instead of breaking it into pieces.

    Example:
        >>> f = [Fact("number", 0, 2, "20", "numbers[0]", "20"), Fact("money", 0, 7, "20 euro", "money[0]", "EUR 20")]
        >>> [(h.kind, len(h.facts)) for h in build_highlights(f)]
        [('money', 2)]
    """
    rank = {k: i for i, k in enumerate(KINDS)}
    ordered = sorted(facts, key=lambda f: (f.start - f.end, rank.get(f.kind, len(rank)), f.start))
    kept: list[Highlight] = []  # sorted by start; never overlapping, so also sorted by end
    starts: list[int] = []
    for fact in ordered:
        i = max(bisect_right(starts, fact.start) - 1, 0)
        overlapping = []
        while i < len(kept) and kept[i].start < fact.end:
            if fact.start < kept[i].end:
                overlapping.append(kept[i])
            i += 1
        if overlapping:
            best = max(overlapping, key=lambda h: min(h.end, fact.end) - max(h.start, fact.start))
            best.facts.append(fact)
        else:
            at = bisect_right(starts, fact.start)
            starts.insert(at, fact.start)
            kept.insert(at, Highlight(fact.start, fact.end, [fact]))
    for h in kept:
        h.facts[1:] = sorted(h.facts[1:], key=lambda f: (f.start, rank.get(f.kind, len(rank))))
    return kept


def _raw_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _list(value: Any) -> list:
    return [v for v in _raw_list(value) if isinstance(v, Mapping)]


def _valid_span(span: Any, text: str) -> tuple[int, int] | None:
    if not isinstance(span, Mapping):
        return None
    start, end = span.get("start"), span.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return None
    said = span.get("text")
    if said is not None and said != text[start:end]:
        return None
    return start, end


# --------------------------------------------------------------------------- values as words


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "?" if value is None else str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 1:
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{value:.4g}"


def _quantity(obj: Mapping[str, Any], key: str) -> tuple[str, str]:
    """Return (qualifier words, amount) for a value that may be a range."""
    qualifier = obj.get("qualifier") or "exact"
    if qualifier == "range" or (obj.get("low") is not None and obj.get("high") is not None and obj.get(key) is None):
        return "", f"{_number(obj.get('low'))}–{_number(obj.get('high'))}"
    return QUALIFIER_WORDS.get(qualifier, qualifier.replace("_", " ")), _number(obj.get(key))


def _join(*parts: Any) -> str:
    return " ".join(str(p) for p in parts if p not in (None, ""))


def _summary(kind: str, m: Mapping[str, Any]) -> str:
    if kind == "number":
        words, amount = _quantity(m, "value")
        if m.get("kind") == "percent":
            amount += "%"
        change = f"({m['change']})" if m.get("change") else None
        return _join(words, amount, m.get("unit"), change)
    if kind == "money":
        words, amount = _quantity(m, "amount")
        return _join(words, m.get("currency") or "?", amount)
    if kind == "date":
        extra = ", ".join(str(v) for v in (m.get("type"), m.get("granularity"), m.get("mod")) if v)
        return _join(m.get("value") or "unresolved", f"({extra})" if extra else None)
    if kind == "place":
        return _place(m) or "?"
    return ""


def _details(m: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    out = []
    for key, value in m.items():
        if key in _SPAN_KEYS or value is None or value == "" or value == [] or value == {}:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key not in ("lat", "lon"):
            shown = _number(value)
        elif isinstance(value, (dict, list)):
            shown = json.dumps(value, ensure_ascii=False, sort_keys=True)
        else:
            shown = str(value)
        out.append((key, shown))
    return tuple(out)


def _span_text(span: Any) -> str:
    if isinstance(span, Mapping):
        return str(span.get("text") or span.get("name") or "")
    return str(span) if span else ""


def _count(count: Any) -> str:
    if not isinstance(count, Mapping):
        return ""
    words, amount = _quantity(count, "value")
    if amount == "?":
        return str(count.get("text") or "")
    return _join(words, amount, count.get("unit"))


def _place(place: Any) -> str:
    if not isinstance(place, Mapping):
        return ""
    name = place.get("name") or place.get("text") or ""
    code = place.get("admin1") or place.get("country")
    return f"{name} ({code})" if code and name else str(name or code or "")


def _when(when: Any) -> str:
    if not isinstance(when, Mapping):
        return ""
    return str(when.get("value") or when.get("text") or "")


def _modality(event: Mapping[str, Any]) -> str:
    return str(event.get("modality") or "")


def event_cells(event: Mapping[str, Any]) -> dict[str, str]:
    """Return an event's table cells as words: event, count, who, where, when, source, modality, incident.

    Example:
        >>> event_cells({"id": "e1", "type": "arrest", "count": {"value": 3, "unit": "people"}})["count"]
        '3 people'
    """
    kind = str(event.get("type") or "event")
    return {
        "event": f"not {kind}" if event.get("negated") else kind,
        "id": str(event.get("id") or ""),
        "trigger": _span_text(event.get("trigger")),
        "count": _count(event.get("count")),
        "who": _span_text(event.get("agent")),
        "where": _place(event.get("place")),
        "when": _when(event.get("date")),
        "source": _span_text(event.get("source")),
        "modality": _modality(event),
        "incident": str(event.get("incident") or ""),
    }


def _heading(record: Mapping[str, Any], number: int) -> str:
    title = record.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    source = record.get("source")
    if isinstance(source, Mapping) and source.get("id"):
        return str(source["id"])
    return f"Article {number}"


def _meta(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    source = record.get("source")
    if isinstance(source, Mapping) and source.get("id"):
        out.append(("source", str(source["id"])))
    published = record.get("published")
    if isinstance(published, Mapping) and published.get("value"):
        origin = published.get("origin")
        out.append(("published", _join(published["value"], f"({origin})" if origin else None)))
    elif isinstance(published, str) and published:
        out.append(("published", published))
    return out


def _warnings(record: Mapping[str, Any]) -> list[str]:
    warnings = record.get("warnings")
    if isinstance(warnings, str):
        return [warnings]
    return [str(w) for w in warnings] if isinstance(warnings, list) else []


def _counts(record: Mapping[str, Any]) -> list[tuple[str, int]]:
    return [(key, len(_list(record.get(key)))) for key in (*FACT_LISTS.values(), "events")]


# --------------------------------------------------------------------------- terminal


def render_terminal(
    records: Iterable[tuple[dict, str]], *, width: int = 80, color: bool = True, facts: bool = True
) -> str:
    """Render each (factx/1 record dict, article text) as highlighted text plus an event table.

    Args:
        records: pairs of a record and the article text its offsets point into.
        width: columns to wrap at.
        color: ANSI colours (256-colour palette); ``False`` gives plain text where
            highlights are shown as ``[...]``.
        facts: also list every highlighted fact with its normalized value.

    Returns:
        The whole rendering as one string, ending in a newline.

    Example:
        >>> render_terminal([({}, "Nothing here.")], width=60, color=False).splitlines()[3]
        'Nothing here.'
    """
    from rich.console import Console

    out = StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="256" if color else None,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        _environ={},  # the caller's COLUMNS, NO_COLOR or TERM must not change the result
    )
    for number, (record, text) in enumerate(records, 1):
        if number > 1:
            console.print()
        _terminal_record(console, record, text, number=number, color=color, facts=facts)
    if color:
        return out.getvalue()
    # Tables pad every line to the full width; plain text should not carry that padding.
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())


def _terminal_record(
    console: Any, record: Mapping[str, Any], text: str, *, number: int, color: bool, facts: bool
) -> None:
    from rich.text import Text

    console.rule(Text(_terminal_safe(_heading(record, number)), style="bold"), align="left")
    meta = _terminal_safe("  ·  ".join(f"{k}: {v}" for k, v in _meta(record)))
    counts = ", ".join(f"{n} {k}" for k, n in _counts(record))
    console.print(Text(f"{meta}  ·  {counts}" if meta else counts, style="dim"))
    console.print()

    all_facts, skipped = read_facts(record, text)
    highlights = build_highlights(all_facts)
    console.print(_terminal_text(text, highlights, color=color))
    if color:
        legend = Text("Key: ", style="dim")
        for kind in LEGEND_ORDER:
            legend.append(f" {KIND_LABELS[kind].lower()} ", style=TERMINAL_STYLES[kind])
            legend.append(" ")
        console.print()
        console.print(legend)
    if skipped:
        console.print(Text(f"{skipped} span(s) not shown: their offsets do not match the text.", style="yellow"))

    shown = [h for h in highlights if h.kind != "event"]
    if facts and shown:
        console.print()
        console.print(_facts_table(shown, color=color))
    events = _list(record.get("events"))
    console.print()
    console.print(_events_table(events, width=console.width) if events else Text("No events.", style="dim"))
    for warning in _warnings(record):
        console.print(Text(_terminal_safe(f"warning: {warning}"), style="yellow"))


def _terminal_safe(text: str) -> str:
    """Replace control characters so that an article cannot send escape sequences to the terminal."""
    return text.translate(_CONTROL_PICTURES)


def _terminal_text(text: str, highlights: list[Highlight], *, color: bool) -> Any:
    from rich.text import Text

    out = Text()
    pos = 0
    for h in highlights:
        out.append(_terminal_safe(text[pos : h.start]))
        piece = _terminal_safe(text[h.start : h.end])
        if color:
            out.append(piece, style=TERMINAL_STYLES.get(h.kind, ""))
        elif h.kind == "event":
            out.append(piece)  # plain output marks facts only; triggers are in the event table
        else:
            out.append(f"[{piece}]")
        pos = h.end
    out.append(_terminal_safe(text[pos:].rstrip("\n")))
    return out


def _table(title: str, columns: list[tuple[str, dict]]) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),  # the box already puts a space between columns
    )
    for header, options in columns:
        table.add_column(header, overflow="fold", **options)
    return table


def _facts_table(highlights: list[Highlight], *, color: bool) -> Any:
    from rich.text import Text

    table = _table("Facts", [("kind", {"no_wrap": True}), ("text", {"ratio": 1}), ("value", {"ratio": 1})])
    for h in highlights:
        for i, fact in enumerate(f for f in h.facts if f.kind != "event"):
            style = TERMINAL_STYLES[fact.kind] if color else ""
            kind = Text(fact.kind if i == 0 else f"└ {fact.kind}")
            table.add_row(kind, Text(_terminal_safe(fact.text), style=style), _terminal_safe(fact.summary))
    return table


EVENT_COLUMNS = ("event", "count", "who", "where", "when", "source", "modality", "incident")
# Narrowest widths at which common words ("operation", "statement", ISO dates) stay whole.
# The terminal table shows the incident under the event type, so seven columns fit in 80 characters.
_TABLE_COLUMNS = EVENT_COLUMNS[:-1]
_EVENT_MIN_WIDTHS = {"event": 9, "count": 9, "who": 8, "where": 8, "when": 10, "source": 9, "modality": 8}
_TABLE_MIN_WIDTH = sum(_EVENT_MIN_WIDTHS.values()) + 2 * (len(_EVENT_MIN_WIDTHS) - 1)  # padding + separator


def _terminal_cells(event: Mapping[str, Any]) -> dict[str, str]:
    return {key: _terminal_safe(value) for key, value in event_cells(event).items()}


def _events_table(events: list[Mapping[str, Any]], *, width: int) -> Any:
    if width < _TABLE_MIN_WIDTH + 3:
        return _events_list(events)
    rows = [_terminal_cells(event) for event in events]
    for cells in rows:
        cells["event"] += f"\n{cells['incident']}" if cells["incident"] else ""
    # Widen a column to its longest word ("authorities") when the table still fits, so words stay whole.
    wanted = {
        h: max(_EVENT_MIN_WIDTHS[h], min(14, max((len(w) for r in rows for w in r[h].split()), default=0)))
        for h in _TABLE_COLUMNS
    }
    gaps = _TABLE_MIN_WIDTH - sum(_EVENT_MIN_WIDTHS.values())
    if sum(wanted.values()) + gaps > width:
        wanted = dict(_EVENT_MIN_WIDTHS)
    widths = _share_width(rows[:200], wanted, spare=width - gaps - sum(wanted.values()))
    columns = [(h, {"width": widths[h], "no_wrap": h in ("when", "modality")}) for h in _TABLE_COLUMNS]
    table = _table("Events", columns)
    for cells in rows:
        table.add_row(*(cells[h] for h in _TABLE_COLUMNS))
    return table


def _share_width(rows: list[dict[str, str]], widths: dict[str, int], *, spare: int) -> dict[str, int]:
    """Hand out spare columns one at a time where they save the most lines (table, then cells)."""
    natural = {h: max([len(h)] + [len(r[h]) for r in rows]) for h in widths}
    widths = dict(widths)

    def height(w: dict[str, int]) -> tuple[int, int]:
        lines = [[len(textwrap.wrap(r[h], w[h])) or 1 for h in w] for r in rows]
        return sum(max(row) for row in lines), sum(map(sum, lines))

    current = height(widths)
    for _ in range(spare):
        growable = [h for h in widths if natural[h] > widths[h]]
        if not growable:
            break
        best, best_height = None, current
        for h in growable:
            trial = height({**widths, h: widths[h] + 1})
            if trial < best_height:
                best, best_height = h, trial
        # Nothing saves a line: widen the column furthest from its longest cell.
        best = best or max(growable, key=lambda c: natural[c] - widths[c])
        widths[best] += 1
        current = min(current, best_height)
    return widths


def _events_list(events: list[Mapping[str, Any]]) -> Any:
    """One block per event, for terminals too narrow for seven columns."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    blocks: list[Any] = [Text("Events", style="bold")]
    for n, event in enumerate(events):
        cells = _terminal_cells(event)
        trigger = f" “{cells['trigger']}”" if cells["trigger"] else ""
        if n:
            blocks.append(Text(""))
        blocks.append(Text(_join(cells["id"], cells["event"]) + trigger, style="bold"))
        grid = Table(box=None, show_header=False, show_edge=False, pad_edge=False, padding=(0, 4, 0, 0))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(overflow="fold")
        for key in EVENT_COLUMNS[1:]:
            if cells[key]:
                grid.add_row(key, cells[key])
        blocks.append(Padding(grid, (0, 0, 0, 2)))
    return Group(*blocks)


# --------------------------------------------------------------------------- HTML


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """Load the page template, stylesheet and script shipped under ``data/show``."""
    folder = resources.files("factx") / "data" / "show"
    assets = {name: (folder / name).read_text(encoding="utf-8") for name in ("page.html", "show.css", "show.js")}
    for name in ("show.css", "show.js"):
        if "</" in assets[name]:
            raise FactxError(f"data/show/{name} must not contain '</': it is inlined into the page")
    return assets


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy() -> str:
    """Return the page's policy: nothing loads from anywhere; only the shipped script and style run.

    Example:
        >>> "default-src 'none'" in content_security_policy()
        True
    """
    assets = _assets()
    return (
        "default-src 'none'; "
        f"script-src {_csp_hash(assets['show.js'])}; "
        f"style-src {_csp_hash(assets['show.css'])}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def render_html(records: Iterable[tuple[dict, str]], *, title: str = "factx", incidents: bool = True) -> str:
    """Return one self-contained HTML page for one or many (record, article text) pairs.

    The page loads nothing from the network; all text from records is escaped.
    With more than one record it starts with the incidents the articles tell (grouped
    across articles, with a map; ``incidents=False`` leaves them out) and a list of
    articles linking to one section each.

    Example:
        >>> page = render_html([({}, "<b>bold?</b>")])
        >>> "&lt;b&gt;bold?&lt;/b&gt;" in page and "<b>bold?" not in page
        True
    """
    pairs = list(records)
    sections = [_html_record(record, text, number=n) for n, (record, text) in enumerate(pairs, 1)]
    nav = ""
    if len(pairs) > 1:
        items = []
        for n, (record, _text) in enumerate(pairs, 1):
            events = len(_list(record.get("events")))
            items.append(
                f'<li><a href="#a{n}">{_e(_heading(record, n))}</a> '
                f'<span class="muted">{events} event{"" if events == 1 else "s"}</span></li>'
            )
        nav = (
            f'<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Articles ({len(pairs)})</h2>'
            f'<ol>{"".join(items)}</ol></nav>'
        )
    if not pairs:
        sections = ['<p class="muted">No articles.</p>']
    if incidents and len(pairs) > 1:
        from .show_incidents import incidents_html

        nav = incidents_html(pairs) + nav
    assets = _assets()
    return Template(assets["page.html"]).substitute(
        title=_e(title),
        csp=_e(content_security_policy()),
        css=assets["show.css"],
        js=assets["show.js"],
        nav=nav,
        sections="\n".join(sections),
    )


def _html_record(record: Mapping[str, Any], text: str, *, number: int) -> str:
    aid = f"a{number}"
    all_facts, skipped = read_facts(record, text)
    highlights = build_highlights(all_facts)
    # Positions in the record's own list, so ids and "events[i]" refs agree with the JSON.
    events = [(i, ev) for i, ev in enumerate(_raw_list(record.get("events"))) if isinstance(ev, Mapping)]
    trigger_ids = {f.ref: f"{aid}-h{i}" for i, h in enumerate(highlights) for f in h.facts if f.kind == "event"}
    sentences = {i: _sentence_key(ev, text) for i, ev in events}

    meta = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in _meta(record))
    counts = "".join(f"<div><dt>{_e(k)}</dt><dd>{n}</dd></div>" for k, n in _counts(record))
    legend = "".join(
        f'<li><span class="sw fx-{k}" aria-hidden="true"></span>{KIND_LABELS[k]}</li>' for k in LEGEND_ORDER
    )
    notes = []
    if skipped:
        notes.append(f"{skipped} span(s) are not highlighted: their offsets do not match the text.")
    notes.extend(_warnings(record))
    items = "".join(f"<li>{_e(n)}</li>" for n in notes)
    notes_html = f'<ul class="notes" aria-label="Warnings">{items}</ul>' if notes else ""
    return f"""<section class="article" id="{aid}" aria-labelledby="{aid}-h">
<header class="art-head"><h2 id="{aid}-h">{_e(_heading(record, number))}</h2>
<dl class="meta">{meta}{counts}</dl></header>
{notes_html}
<div class="text-head"><h3>Text</h3><a class="skip" href="#{aid}-ev-h">Skip to the events</a>
<ul class="legend" aria-label="Highlight colours">{legend}</ul></div>
<p class="hint muted">Hover over, click or focus (Tab) a highlight to see its normalized value.</p>
<div class="text" id="{aid}-text">{_text_html(text, highlights, [s for s in sentences.values() if s], aid=aid)}</div>
<h3 id="{aid}-ev-h">Events</h3>
{_events_html(events, sentences, trigger_ids, aid=aid)}
<h3 id="{aid}-tl-h">Timeline</h3>
{_timeline_svg(events, record.get("published"), aid=aid)}
{_facts_html(highlights, aid=aid)}
<p class="status visually-hidden" role="status" aria-live="polite"></p>
</section>"""


def _in_title(event: Any) -> bool:
    return isinstance(event, Mapping) and event.get("part") == "title"


def _sentence_key(event: Mapping[str, Any], text: str) -> tuple[int, int] | None:
    if _in_title(event):
        return None
    sentence = event.get("sentence")
    span = _valid_span({**sentence, "text": None}, text) if isinstance(sentence, Mapping) else None
    return span or _valid_span(event.get("trigger"), text)


def _text_html(text: str, highlights: list[Highlight], sentences: list[tuple[int, int]], *, aid: str) -> str:
    cuts = sorted({0, len(text), *(p for s in sentences for p in s)})
    opening: dict[int, set[tuple[int, int]]] = {}
    closing: dict[int, set[tuple[int, int]]] = {}
    for sent in set(sentences):
        opening.setdefault(sent[0], set()).add(sent)
        closing.setdefault(sent[1], set()).add(sent)
    active: set[tuple[int, int]] = set()
    regions: list[tuple[int, int, tuple[str, ...]]] = []
    for a, b in zip(cuts, cuts[1:]):
        active = (active - closing.get(a, set())) | opening.get(a, set())
        keys = tuple(f"{s}-{e}" for s, e in sorted(active))
        if regions and regions[-1][2] == keys:
            regions[-1] = (regions[-1][0], b, keys)
        else:
            regions.append((a, b, keys))
    out = []
    for a, b, keys in regions:
        inner = _marks_html(text, a, b, highlights, aid=aid)
        out.append(f'<span class="sent" data-sent="{" ".join(keys)}">{inner}</span>' if keys else inner)
    return "".join(out)


def _marks_html(text: str, a: int, b: int, highlights: list[Highlight], *, aid: str) -> str:
    out = []
    pos = a
    for i in range(_first_ending_after(highlights, a), len(highlights)):
        h = highlights[i]
        if h.start >= b:
            break
        s, e = max(h.start, a), min(h.end, b)
        out.append(_e(text[pos:s]))
        piece = _e(text[s:e])
        hid = f"{aid}-h{i}"
        if s == h.start:
            out.append(
                f'<mark class="fx fx-{h.kind}" id="{hid}" tabindex="0" role="button" aria-expanded="false" '
                f'aria-describedby="{hid}-tip" data-kind="{h.kind}">{piece}{_tip_html(h, hid)}</mark>'
            )
        else:
            # The part of a highlight past a sentence boundary repeats its colour, not its tooltip.
            out.append(f'<mark class="fx fx-{h.kind} fx-cont" data-of="{hid}">{piece}</mark>')
        pos = e
    out.append(_e(text[pos:b]))
    return "".join(out)


def _first_ending_after(highlights: list[Highlight], pos: int) -> int:
    lo, hi = 0, len(highlights)
    while lo < hi:
        mid = (lo + hi) // 2
        if highlights[mid].end <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _tip_html(h: Highlight, hid: str) -> str:
    parts = []
    for fact in h.facts:
        # Only phrasing elements: the tooltip lives inside <mark>.
        rows = "".join(f'<span class="k">{_e(k)}</span><span class="v">{_e(v)}</span>' for k, v in fact.details)
        head = f'<span class="tip-kind fx-{fact.kind}">{KIND_LABELS[fact.kind]}</span> '
        quote = f' <span class="tip-quote">“{_e(fact.text)}”</span>' if fact.text != h.facts[0].text else ""
        parts.append(
            f'<span class="tip-fact">{head}<strong>{_e(fact.summary)}</strong>{quote}'
            f'<span class="tip-ref">{_e(fact.ref)}</span>{_KV.format(rows) if rows else ""}</span>'
        )
    return f'<span class="tip" role="tooltip" id="{hid}-tip">{"".join(parts)}</span>'


def _events_html(
    events: list[tuple[int, Mapping[str, Any]]],
    sentences: dict[int, tuple[int, int] | None],
    trigger_ids: dict[str, str],
    *,
    aid: str,
) -> str:
    if not events:
        return '<p class="muted">No events.</p>'
    headers = EVENT_COLUMNS
    head = "".join(f'<th scope="col">{h.capitalize()}</th>' for h in headers)
    rows = []
    for n, (i, event) in enumerate(events):
        sentence = sentences[i]
        cells = event_cells(event)
        quote = f" · “{_e(cells['trigger'])}”" if cells["trigger"] else ""
        quote += " · in the title" if _in_title(event) else ""
        sent = f"{sentence[0]}-{sentence[1]}" if sentence else ""
        trigger = trigger_ids.get(f"events[{i}]", "")
        first = (
            f'<span class="ev-type{" neg" if event.get("negated") else ""}">{_e(cells["event"])}</span>'
            f'<span class="ev-sub">{_e(cells["id"])}{quote}</span>'
        )
        body = "".join(f'<td class="c-{h}">{_cell_html(cells[h])}</td>' for h in headers[1:])
        rows.append(
            f'<tr class="ev" id="{aid}-ev{i}" tabindex="{0 if n == 0 else -1}" aria-selected="false" '
            f'data-sent="{sent}" data-trigger="{trigger}"><td>{first}</td>{body}</tr>'
        )
    return (
        f'<div class="table-wrap"><table class="events" role="grid" aria-labelledby="{aid}-ev-h" '
        f'aria-describedby="{aid}-ev-help" aria-readonly="true">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f'<p class="hint muted" id="{aid}-ev-help">Select a row (click, or Enter with arrow keys to move) '
        "to highlight the sentence it comes from.</p>"
    )


def _cell_html(value: str) -> str:
    if not value:
        return _NONE
    # Keep a trailing region code such as "(CN-SC)" on one line.
    return _CODE_RE.sub(r'<span class="nw">\1</span>', _e(value))


def _facts_html(highlights: list[Highlight], *, aid: str) -> str:
    rows = []
    for h in highlights:
        for fact in h.facts:
            if fact.kind == "event":
                continue
            rows.append(
                f'<tr><td><span class="sw fx-{fact.kind}" aria-hidden="true"></span>{fact.kind}</td>'
                f"<td>{_e(fact.text)}</td><td>{_e(fact.summary)}</td><td><code>{_e(fact.ref)}</code></td></tr>"
            )
    if not rows:
        return ""
    return (
        f'<details class="facts"><summary>All facts ({len(rows)})</summary>'
        '<table class="facts-table" aria-label="All facts"><thead><tr>'
        + "".join(f'<th scope="col">{h}</th>' for h in ("Kind", "Text", "Value", "Field"))
        + f'</tr></thead><tbody>{"".join(rows)}</tbody></table></details>'
    )


# --------------------------------------------------------------------------- timeline


def timex_interval(value: Any) -> tuple[date, date] | None:
    """Return the [start, end) calendar days a TIMEX3 value covers, or None if it has no calendar date.

    Example:
        >>> timex_interval("2014-02")
        (datetime.date(2014, 2, 1), datetime.date(2014, 3, 1))
    """
    if not isinstance(value, str):
        return None
    m = _TIMEX_RE.match(value)
    if not m:
        return None
    year, month, day, week = m.groups()
    try:
        if week:
            start = date.fromisocalendar(int(year), int(week), 1)
            return start, start + timedelta(days=7)
        if day:
            start = date(int(year), int(month), int(day))
            return start, start + timedelta(days=1)
        if month:
            start = date(int(year), int(month), 1)
            return start, date(start.year + start.month // 12, start.month % 12 + 1, 1)
        start = date(int(year), 1, 1)
        return start, date(start.year + 1, 1, 1)
    except ValueError:
        return None


def _ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    days = (hi - lo).days
    if days > 3 * 366:
        step = max(1, days // 365 // 6 + (days // 365 % 6 > 0))
        years = range(lo.year + (lo != date(lo.year, 1, 1)), hi.year + 1, step)
        return [(date(y, 1, 1), str(y)) for y in years]
    if days > 75:
        step = max(1, -(-days // 31 // 6))
        out = []
        y, m = lo.year, lo.month + (lo.day != 1)
        while True:
            y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
            d = date(y, m, 1)
            if d > hi:
                return out
            out.append((d, d.strftime("%b %Y")))
            m += step
    step = max(1, -(-days // 6))
    days_shown = (lo + timedelta(days=k) for k in range(0, days + 1, step))
    return [(d, f"{d.day} {d:%b}") for d in days_shown]


def _timeline_svg(events: list[tuple[int, Mapping[str, Any]]], published: Any, *, aid: str) -> str:
    dated = []
    for i, event in events:
        when = event.get("date") if isinstance(event.get("date"), Mapping) else {}
        interval = timex_interval(when.get("value"))
        if interval:
            dated.append((i, event, interval, str(when.get("value"))))
    undated = len(events) - len(dated)
    pub_value = published.get("value") if isinstance(published, Mapping) else published
    pub = timex_interval(pub_value)
    if not dated:
        return '<p class="muted">No event has a calendar date.</p>'

    lo = min([iv[0] for *_x, iv, _v in dated] + ([pub[0]] if pub else []))
    hi = max([iv[1] for *_x, iv, _v in dated] + ([pub[1]] if pub else []))
    if (hi - lo).days < 7:
        pad = (7 - (hi - lo).days + 1) // 2
        lo, hi = lo - timedelta(days=pad), hi + timedelta(days=pad)
    width, left, right = 760, 36, 36
    span = (hi - lo).days

    def x(d: date) -> float:
        return left + (width - left - right) * (d - lo).days / span

    lanes: list[float] = []
    items = []
    # A single day is drawn as a dot where its tick is, a longer period as a bar over it.
    single_day = {i: (end - start).days <= 1 for i, _ev, (start, end), _v in dated}
    for i, event, (start, end), value in sorted(dated, key=lambda t: t[2]):
        x0 = x(start)
        x1 = x0 + 6 if single_day[i] else max(x(end), x0 + 8)
        label = f"{event.get('type') or 'event'} {event.get('id') or ''}".strip()
        label_w = 7.0 * len(label) + 10  # generous for 13px text in a proportional font
        # A label that would run off the right edge goes to the left of its mark.
        flip = x1 + label_w > width
        lo_x, hi_x = (x0 - label_w - 6, x1) if flip else (x0, x1 + label_w)
        lane = next((k for k, free in enumerate(lanes) if free <= lo_x), len(lanes))
        if lane == len(lanes):
            lanes.append(-1e9)
        lanes[lane] = hi_x + 8
        items.append((i, event, x0, x1, lane, label, value, flip))

    lane_h, top = 26, 12
    axis_y = top + lane_h * len(lanes) + 8
    height = axis_y + 40
    parts = [f'<line class="tl-axis" x1="{left}" x2="{width - right}" y1="{axis_y}" y2="{axis_y}"/>']
    for d, text in _ticks(lo, hi):
        tx = x(d)
        anchor = "start" if tx < left + 30 else "end" if tx > width - right - 30 else "middle"
        parts.append(
            f'<line class="tl-tick" x1="{tx:.1f}" x2="{tx:.1f}" y1="{axis_y}" y2="{axis_y + 5}"/>'
            f'<text class="tl-tick-label" x="{tx:.1f}" y="{axis_y + 19}" text-anchor="{anchor}">{_e(text)}</text>'
        )
    if pub:
        px = x(pub[0])
        anchor, tx = ("end", px - 4) if px > width / 2 else ("start", px + 4)
        parts.append(
            f'<line class="tl-pub" x1="{px:.1f}" x2="{px:.1f}" y1="{top - 4}" y2="{axis_y}"/>'
            f'<text class="tl-pub-label" x="{tx:.1f}" y="{axis_y + 34}" text-anchor="{anchor}">'
            f"published {_e(pub_value)}</text>"
        )
    stems: list[str] = []
    for i, event, x0, x1, lane, label, value, flip in items:
        y = axis_y - 14 - lane * lane_h
        neg = " neg" if event.get("negated") else ""
        label_at = f'x="{x0 - 10:.1f}" text-anchor="end"' if flip else f'x="{x1 + 10:.1f}"'
        if single_day[i]:
            mark = f'<circle class="tl-mark" cx="{x0:.1f}" cy="{y}" r="6"/>'
        else:
            mark = f'<rect class="tl-mark" x="{x0 - 4:.1f}" y="{y - 5}" width="{x1 - x0 + 8:.1f}" height="10" rx="5"/>'
        # Stems go first so that no stem is drawn over another event's label.
        stems.append(f'<line class="tl-stem" x1="{x0:.1f}" x2="{x0:.1f}" y1="{y}" y2="{axis_y}"/>')
        parts.append(
            f'<g class="tl-ev{neg}" data-row="{aid}-ev{i}"><title>{_e(label)}: {_e(value)}</title>'
            f"{mark}"
            f'<text class="tl-label" {label_at} y="{y + 4}">{_e(label)}</text></g>'
        )
    desc = "; ".join(f"{item[5]}: {item[6]}" for item in items)
    note = f'<p class="hint muted">{undated} event(s) without a calendar date are not shown.</p>' if undated else ""
    return (
        f'<figure class="timeline"><svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{aid}-tl-t {aid}-tl-d" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{aid}-tl-t">Event dates</title><desc id="{aid}-tl-d">{_e(desc)}</desc>'
        f"{''.join(stems)}{''.join(parts)}</svg></figure>{note}"
    )
