"""Write records as JSON, JSON Lines or CSV (one row per event), streamed."""

from __future__ import annotations

import csv
import json
from typing import Any, Iterable, Iterator, TextIO

CSV_COLUMNS = (
    "source_id", "event_id", "type", "trigger", "count_value", "count_qualifier", "count_unit",
    "place_name", "country", "admin1", "lat", "lon", "date", "agent", "source", "modality", "negated",
    "same_as", "confidence", "sentence_start", "sentence_end",
)


def dumps(record: dict[str, Any], *, pretty: bool = False) -> str:
    """Serialize one record as JSON (compact, or indented with ``pretty``)."""
    if pretty:
        return json.dumps(record, ensure_ascii=False, indent=2)
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


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
            "confidence": ev.get("confidence"),
            "sentence_start": (ev.get("sentence") or {}).get("start"),
            "sentence_end": (ev.get("sentence") or {}).get("end"),
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
    """Write records to ``fp`` as ``json`` (one object), ``jsonl`` or ``csv``; flush after each record."""

    def __init__(self, fp: TextIO, *, fmt: str, pretty: bool = False) -> None:
        self.fp = fp
        self.fmt = fmt
        self.pretty = pretty
        self.count = 0
        self._csv = CsvWriter(fp) if fmt == "csv" else None

    def write(self, record: dict[str, Any]) -> None:
        """Write one record and flush, so a pipe or an interrupted run sees whole lines only."""
        if self._csv is not None:
            self._csv.write(record)
        elif self.fmt == "json":
            if self.count:
                raise ValueError("json output holds one record; use jsonl for several")
            self.fp.write(dumps(record, pretty=self.pretty) + "\n")
        else:
            self.fp.write(dumps(record) + "\n")
        self.count += 1
        self.fp.flush()
