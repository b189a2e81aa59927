"""Records as flat tables: one row per article, per fact, per incident; shared by SQLite and DataFrames.

The layout lives in ``data/tables.json``: each table comes from a whole factx/1 record (``articles``),
one of its lists (``numbers``, ``money``, ``dates``, ``places``, ``events``, ``incidents`` as
``article_incidents``), a whole factx-incident/1 object (``incidents``) or one of its parts
(``incident_counts``, ``incident_mentions``). A column names the path of its value (``count.value``
gives ``count_value``); keys an object has beyond the columns are kept as JSON in ``extra``, so
``build_object`` gives back every value a row was made from.

    >>> rows = record_rows({"schema": "factx/1", "source": {"id": "a.txt"}, "numbers": [{"text": "12", "value": 12}]})
    >>> next(rows["numbers"])[:4]
    ('a.txt', 0, '12', None)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Iterable, Iterator

# What a column's declared type becomes in SQLite: a bool is stored as 0/1, a list or object as JSON text.
SQL_TYPES = {"TEXT": "TEXT", "INTEGER": "INTEGER", "NUMERIC": "NUMERIC", "REAL": "REAL", "BOOLEAN": "INTEGER",
             "JSON": "TEXT"}
EXTRA = "extra"  # the column that keeps an object's keys beyond the table's columns, as JSON


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


TO_CELL: dict[str, Callable[[Any], Any]] = {"JSON": _dumps, "BOOLEAN": int}
FROM_CELL: dict[str, Callable[[Any], Any]] = {"JSON": json.loads, "BOOLEAN": bool}


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, declared type and the path of its value in the source object (None: a key from outside)."""

    name: str
    type: str
    path: tuple[str, ...] | None = None
    optional: bool = False  # a null value is left out of the rebuilt object, as the record leaves it out

    @property
    def sql_type(self) -> str:
        """The SQLite type this column is declared with."""
        return SQL_TYPES[self.type]


@dataclass(frozen=True, slots=True)
class Table:
    """One flat table of the layout.

    A root table (``parent`` None) takes one row per whole object; a child table one row per item of the
    list (``shape`` "list": the item's position is ``idx``) or map (``shape`` "map": the item's key is a
    column) named ``source`` in its parent object, keyed by the parent's key and that position or key.
    """

    name: str
    source: str
    parent: str | None
    shape: str
    key: tuple[Column, ...]
    data: tuple[Column, ...]
    nullable: frozenset[str]
    skip: frozenset[str]
    unique: tuple[tuple[str, ...], ...]
    indexes: tuple[tuple[str, ...], ...]
    references: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]

    @property
    def columns(self) -> tuple[Column, ...]:
        """Every column, in order: the key, the values, then ``extra``."""
        return self.key + self.data + (Column(EXTRA, "JSON"),)

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of ``columns``."""
        return tuple(c.name for c in self.columns)


def _column(spec: list) -> Column:
    name, kind, *rest = spec
    if kind not in SQL_TYPES:
        raise ValueError(f"tables.json: column {name!r} has unknown type {kind!r}")
    flags = set(rest[1:])
    if flags - {"optional"}:
        raise ValueError(f"tables.json: column {name!r} has unknown flags {sorted(flags - {'optional'})}")
    return Column(name, kind, tuple(rest[0].split(".")) if rest else None, "optional" in flags)


@lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    return json.loads(resources.files("factx").joinpath("data/tables.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_tables() -> dict[str, Table]:
    """Return the table layout of ``data/tables.json``, parents before their children."""
    spec = _spec()
    out: dict[str, Table] = {}
    for name, t in spec["tables"].items():
        parent = t.get("parent")
        if parent is not None and parent not in out:
            raise ValueError(f"tables.json: {name!r} comes before its parent {parent!r}")
        shape = t.get("shape", "list") if parent else "object"
        out[name] = Table(
            name=name, source=t["from"], parent=parent, shape=shape,
            key=tuple(_column(c) for c in t["key"]), data=tuple(_column(c) for c in t["columns"]),
            nullable=frozenset(t.get("nullable", ())), skip=frozenset(t.get("skip", ())),
            unique=tuple(tuple(u) for u in t.get("unique", ())),
            indexes=tuple(tuple(i) for i in t.get("indexes", ())),
            references=tuple((tuple(a), b, tuple(c)) for a, b, c in t.get("references", ())),
        )
    return out


def layout_version() -> int:
    """The version of the table layout (stored in each database, checked before writing into one)."""
    return int(_spec()["version"])


@lru_cache(maxsize=None)
def children(root: str) -> tuple[Table, ...]:
    """The tables filled from one object of the root table ``root``, the root first."""
    tables = load_tables()
    out = [tables[root]]
    for table in tables.values():
        if table.parent is not None and any(table.parent == t.name for t in out):
            out.append(table)
    return tuple(out)


class _Flattener:
    """A table's columns compiled into steps over its source object: one dict lookup per top-level key."""

    def __init__(self, table: Table, child_sources: Iterable[str]) -> None:
        self.table = table
        cols = [c for c in table.key + table.data if c.path is not None]
        # Consecutive columns under one top-level key share a step: (key, [(subkey, converter)] or None, converter).
        self.steps: list[tuple[str, list[tuple[str, Callable | None]] | None, Callable | None]] = []
        for col in cols:
            conv = TO_CELL.get(col.type)
            if len(col.path) == 1:
                self.steps.append((col.path[0], None, conv))
            elif len(col.path) == 2:
                last = self.steps[-1] if self.steps else None
                if last is not None and last[0] == col.path[0] and last[1] is not None:
                    last[1].append((col.path[1], conv))
                else:
                    self.steps.append((col.path[0], [(col.path[1], conv)], None))
            else:
                raise ValueError(f"tables.json: {table.name}.{col.name}: paths are one or two keys deep")
        self.known = frozenset(c.path[0] for c in cols) | table.skip | frozenset(child_sources)
        self.nested: dict[str, frozenset[str]] = {}
        for key, subs, _ in self.steps:
            if subs is not None:
                self.nested[key] = self.nested.get(key, frozenset()) | frozenset(sub for sub, _ in subs)

    def values(self, obj: dict[str, Any]) -> list[Any]:
        """The cells of ``obj`` for the columns with a path, then its ``extra`` cell."""
        out: list[Any] = []
        append = out.append
        extra: dict[str, Any] | None = None
        for key, subs, conv in self.steps:
            value = obj.get(key)
            if subs is None:
                append(value if conv is None or value is None else conv(value))
            elif type(value) is dict:
                for sub, sconv in subs:
                    v = value.get(sub)
                    append(v if sconv is None or v is None else sconv(v))
            else:
                out.extend([None] * len(subs))
                if value is not None:  # not an object where one is expected: kept whole
                    extra = extra or {}
                    extra[key] = value
        if not self.known.issuperset(obj):
            extra = extra or {}
            extra.update((k, v) for k, v in obj.items() if k not in self.known)
        for key, known in self.nested.items():
            value = obj.get(key)
            if type(value) is dict and not known.issuperset(value):
                extra = extra or {}
                extra.setdefault(key, {}).update((k, v) for k, v in value.items() if k not in known)
        append(None if extra is None else _dumps(extra))
        return out


@lru_cache(maxsize=None)
def _flattener(name: str) -> _Flattener:
    tables = load_tables()
    table = tables[name]
    return _Flattener(table, [t.source for t in tables.values() if t.parent == name])


def _record_parts(record: Any, *, include_text: bool) -> tuple[dict[str, Any], Callable[[str], Iterable[Any]]]:
    """The record's top-level values as a dict, and a getter of its lists (items converted lazily)."""
    if isinstance(record, dict):
        return record, lambda name: record.get(name) or ()
    from .models import plain

    sources = {t.source for t in children("articles")[1:]}
    top: dict[str, Any] = {}
    lists: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.name in sources:
            lists[f.name] = value
        elif f.name == "text":
            top["text"] = value if include_text else None
        else:
            top[f.name] = plain(value)
    # A long article's facts are converted one at a time as they are written, never all at once.
    return top, lambda name: (plain(item) for item in lists.get(name, ()))


def _child_rows(table: Table, parent_key: tuple, items: Any) -> Iterator[tuple]:
    flat = _flattener(table.name)
    pairs = items.items() if table.shape == "map" else enumerate(items)
    for pos, item in pairs:
        yield (*parent_key, pos, *flat.values(item if isinstance(item, dict) else {}))


def _object_rows(root: str, obj: dict[str, Any], get_list: Callable[[str], Iterable[Any]]) -> dict[str, Iterator[tuple]]:
    tables = children(root)
    head = tables[0]
    flat = _flattener(head.name)
    row = tuple(flat.values(obj))
    key = row[:len(head.key)]
    out: dict[str, Iterator[tuple]] = {head.name: iter((row,))}
    for table in tables[1:]:
        # Only one level below the root: no table of the layout has a grandparent.
        out[table.name] = _child_rows(table, key, get_list(table.source))
    return out


def record_rows(record: Any, *, include_text: bool = False) -> dict[str, Iterator[tuple]]:
    """Return the rows of one factx/1 record (a dict or a ``Record``) for each record table, lazily.

    Args:
        record: the record; a ``Record`` object's facts are converted one at a time as rows are taken.
        include_text: keep the article text of a ``Record`` in ``articles.text`` (a dict keeps the ``text``
            it has, as written with ``--include-text``).

    Returns:
        ``{"articles": rows, "numbers": rows, ...}``, each row a tuple in ``Table.columns`` order.
    """
    top, get_list = _record_parts(record, include_text=include_text)
    return _object_rows("articles", top, get_list)


def incident_rows(incident: dict[str, Any]) -> dict[str, Iterator[tuple]]:
    """Return the rows of one factx-incident/1 object for ``incidents``, ``incident_counts``, ``incident_mentions``."""
    return _object_rows("incidents", incident, lambda name: incident.get(name) or ())


def build_object(table: str, row: Iterable[Any]) -> dict[str, Any]:
    """Rebuild the object (fact, record top or incident top) a row of ``table`` was made from; the inverse of its row.

    Key columns filled from outside (article id, position) are left out; a nested part whose columns are
    all empty is ``None`` when the table lists it as nullable.
    """
    t = load_tables()[table]
    out: dict[str, Any] = {}
    for col, cell in zip(t.columns, row):
        if col.path is None:
            if col.name == EXTRA and cell is not None:
                _merge(out, json.loads(cell))
            continue
        if cell is None and col.optional:
            continue
        value = cell if cell is None or col.type not in FROM_CELL else FROM_CELL[col.type](cell)
        if len(col.path) == 1:
            out[col.path[0]] = value
        else:
            part = out.setdefault(col.path[0], {})
            if isinstance(part, dict):
                part[col.path[1]] = value
    for key in t.nullable:
        part = out.get(key)
        if isinstance(part, dict) and all(v is None for v in part.values()):
            out[key] = None
    return out


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key].update(value)
        else:
            into[key] = value
