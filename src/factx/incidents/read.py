"""Reading: factx/1 records streamed from JSONL files, folders of them, JSON files and stdin, each checked."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

from ..errors import InputError
from .rules import RECORD_SCHEMA


class IncidentInputError(InputError):
    """The input of ``factx incidents`` is not factx/1 records; the message names the file and line."""


def iter_records(paths: Iterable[str], *, stdin: TextIO | None = None) -> Iterator[dict[str, Any]]:
    """Stream factx/1 record dicts from JSONL files, folders of them (recursively) and '-' (stdin).

    A file that is not JSON Lines may hold one JSON object or an array of them (``factx extract --pretty``).

    Raises:
        IncidentInputError: a line is not JSON, not an object, or not a factx/1 record; a file is missing
            or holds no record at all. The message names the file and line.

    Example:
        >>> import io
        >>> [r["source"]["id"] for r in iter_records(["-"], stdin=io.StringIO('{"schema": "factx/1", "source": {"id": "a"}}'))]
        ['a']
    """
    seen = 0
    for path in _input_files(paths):
        for rec in _file_records(path, stdin=stdin):
            seen += 1
            yield rec
    if not seen:
        names = ", ".join("<stdin>" if p == "-" else p for p in paths) or "<no input>"
        raise IncidentInputError(f"{names}: no factx records (the input is empty)")


def _input_files(paths: Iterable[str]) -> Iterator[str]:
    for p in paths:
        if p == "-":
            yield p
        elif os.path.isdir(p):
            found = sorted(str(f) for f in Path(p).rglob("*")
                           if f.is_file() and f.suffix.lower() in (".jsonl", ".ndjson", ".json"))
            if not found:
                raise IncidentInputError(f"{p}: no .jsonl or .json files in this folder")
            yield from found
        elif os.path.isfile(p):
            yield p
        else:
            raise IncidentInputError(f"{p}: no such file or directory")


def _file_records(path: str, *, stdin: TextIO | None) -> Iterator[dict[str, Any]]:
    name = "<stdin>" if path == "-" else path
    try:
        fh = (stdin or sys.stdin) if path == "-" else open(path, encoding="utf-8-sig")
    except OSError as exc:
        raise IncidentInputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        first_bad: tuple[int, str] | None = None
        held: list[str] = []
        seen = False
        for lineno, line in enumerate(_lines(fh, name), 1):
            if first_bad is not None:
                held.append(line)
                continue
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                if not seen:
                    # Not JSON Lines, perhaps one indented JSON value: read the rest before judging.
                    first_bad = (lineno, exc.msg)
                    held.append("\n" * (lineno - 1) + line)
                    continue
                raise IncidentInputError(f"{name}:{lineno}: not valid JSON ({exc.msg}); "
                                         "a truncated or half-written line?") from None
            seen = True
            if isinstance(value, list):
                for k, item in enumerate(value, 1):
                    yield _checked(item, f"{name}:{lineno}: item {k}")
            else:
                yield _checked(value, f"{name}:{lineno}")
        if first_bad is not None:
            yield from _whole_json("".join(held), name, first_bad)
    finally:
        if path != "-":
            fh.close()


def _lines(fh: TextIO, name: str) -> Iterator[str]:
    try:
        yield from fh
    except UnicodeDecodeError as exc:
        raise IncidentInputError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _whole_json(text: str, name: str, first_bad: tuple[int, str]) -> Iterator[dict[str, Any]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        lineno = exc.lineno if exc.msg != "Extra data" else first_bad[0]
        raise IncidentInputError(f"{name}:{lineno}: not valid JSON ({exc.msg}); "
                                 "a truncated or half-written record?") from None
    items = value if isinstance(value, list) else [value]
    for k, item in enumerate(items, 1):
        yield _checked(item, f"{name}: item {k}" if isinstance(value, list) else f"{name}:1")


def _checked(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise IncidentInputError(f"{where}: a JSON {type(value).__name__}, not a factx/1 record")
    schema = value.get("schema")
    if schema != RECORD_SCHEMA:
        what = f"schema {schema!r}" if schema is not None else "no 'schema' key"
        raise IncidentInputError(f"{where}: {what}; expected factx/1 records (the output of `factx extract`)")
    source = value.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("id"), str) or not source["id"]:
        raise IncidentInputError(f"{where}: factx/1 record without a source id")
    for key in ("events", "incidents"):
        if value.get(key) is not None and not isinstance(value.get(key), list):
            raise IncidentInputError(f"{where}: '{key}' is not a list")
    return value
