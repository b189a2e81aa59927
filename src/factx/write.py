"""Write records as JSON, JSON Lines or CSV (one row per event), streamed."""

from __future__ import annotations

import csv
import json
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Iterable, Iterator, TextIO

from .models import FACT_LISTS, plain

if TYPE_CHECKING:
    from .models import Record

# Records with more facts than this (long articles) are written one fact at a time; one call to json.dumps
# is faster for the others.
LARGE_RECORD = 5_000
CSV_COLUMNS = (
    "source_id", "event_id", "type", "trigger", "count_value", "count_qualifier", "count_unit",
    "place_name", "country", "admin1", "lat", "lon", "date", "agent", "source", "modality", "negated",
    "same_as", "incident", "confidence", "sentence_start", "sentence_end", "part",
)


def dumps(record: dict[str, Any], *, pretty: bool = False) -> str:
    """Serialize one record as JSON (compact, or indented with ``pretty``)."""
    if pretty:
        return json.dumps(record, ensure_ascii=False, indent=2)
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _facts(record: Record) -> int:
    return sum(len(getattr(record, name)) for name in FACT_LISTS)


def write_compact(fp: TextIO, record: Record, *, include_text: bool = False) -> None:
    """Write ``record`` as one compact JSON line, one list item at a time (as ``dumps(record.to_dict())``)."""
    # A long article has hundreds of thousands of facts: converting the whole record to dicts and one string
    # first would hold it three times over.
    fp.write('{"schema":' + dumps(record.schema))
    for f in fields(record):
        if f.name in ("schema", "text"):
            continue
        value = getattr(record, f.name)
        fp.write(f',"{f.name}":')
        if isinstance(value, list):
            fp.write("[")
            for i, item in enumerate(value):
                fp.write(("," if i else "") + dumps(plain(item)))
            fp.write("]")
        else:
            fp.write(dumps(plain(value)))
    if include_text:
        fp.write(',"text":' + dumps(record.text))
    fp.write("}\n")


def iter_jsonl(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield one JSON line per record."""
    for rec in records:
        yield dumps(rec) + "\n"


def event_rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Flatten a record's events into CSV rows with the ``CSV_COLUMNS`` keys."""
    for ev in record.get("events", []):
        count = ev.get("count") or {}
        place = ev.get("place") or {}
        date = ev.get("date") or {}
        yield {
            "source_id": record.get("source", {}).get("id"),
            "event_id": ev.get("id"),
            "type": ev.get("type"),
            "trigger": (ev.get("trigger") or {}).get("text"),
            "count_value": count.get("value"),
            "count_qualifier": count.get("qualifier"),
            "count_unit": count.get("unit"),
            "place_name": place.get("name"),
            "country": place.get("country"),
            "admin1": place.get("admin1"),
            "lat": place.get("lat"),
            "lon": place.get("lon"),
            "date": date.get("value"),
            "agent": (ev.get("agent") or {}).get("text"),
            "source": (ev.get("source") or {}).get("text"),
            "modality": ev.get("modality"),
            "negated": ev.get("negated"),
            "same_as": ev.get("same_as"),
            "incident": ev.get("incident"),
            "confidence": ev.get("confidence"),
            "sentence_start": (ev.get("sentence") or {}).get("start"),
            "sentence_end": (ev.get("sentence") or {}).get("end"),
            "part": ev.get("part", "text"),
        }


class CsvWriter:
    """Write event rows to ``fp``, with one header line first."""

    def __init__(self, fp: TextIO) -> None:
        self._writer = csv.DictWriter(fp, fieldnames=CSV_COLUMNS, lineterminator="\n")
        self._writer.writeheader()

    def write(self, record: dict[str, Any]) -> None:
        """Write the rows of one record."""
        for row in event_rows(record):
            self._writer.writerow({k: "" if v is None else v for k, v in row.items()})


class RecordWriter:
    """Write records (``Record`` objects or their dicts) to ``fp`` as ``json`` (one object), ``jsonl`` or ``csv``."""

    def __init__(self, fp: TextIO, *, fmt: str, pretty: bool = False, include_text: bool = False) -> None:
        self.fp = fp
        self.fmt = fmt
        self.pretty = pretty
        self.include_text = include_text
        self.count = 0
        self._csv = CsvWriter(fp) if fmt == "csv" else None

    def write(self, record: dict[str, Any] | Record) -> None:
        """Write one record and flush, so a pipe or an interrupted run sees whole lines only."""
        if self.fmt == "json" and self.count:
            raise ValueError("json output holds one record; use jsonl for several")
        if self._csv is not None:
            self._csv.write(record if isinstance(record, dict) else
                            {"source": record.source, "events": [e.to_dict() for e in record.events]})
        elif isinstance(record, dict):
            self.fp.write(dumps(record, pretty=self.pretty) + "\n")
        elif self.pretty or _facts(record) < LARGE_RECORD:
            self.fp.write(dumps(record.to_dict(include_text=self.include_text), pretty=self.pretty) + "\n")
        else:
            write_compact(self.fp, record, include_text=self.include_text)
        self.count += 1
        self.fp.flush()


def types_markdown(types: list[dict[str, Any]]) -> str:
    """The event inventory (``describe_types``) as a Markdown table, one row a type, grouped by family."""
    lines = [
        "| type | family | ACLED event type / sub-event type | CAMEO | KAIROS | counts | triggers (examples) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for t in sorted(types, key=lambda t: (t["family"], t["type"])):
        acled = f"{t['acled']['event_type']} / {t['acled']['sub_event_type']}" if t["acled"] else ""
        words = list(dict.fromkeys(t["verbs"] + t["nouns"] + t["adjectives"]))
        sample = ", ".join(sorted(words, key=lambda w: (" " in w, len(w), w))[:8])
        more = f" (+{len(words) - 8})" if len(words) > 8 else ""
        counts = "" if t["participants"] in ("any", "thing") else t["participants"]
        lines.append(f"| `{t['type']}` | {t['family']} | {acled} | {t['cameo'] or ''} | {t['kairos'] or ''} | "
                     f"{counts} | {sample}{more} |")
    return "\n".join(lines) + "\n"
