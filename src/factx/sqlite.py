"""Write factx/1 records and factx-incident/1 incidents into a SQLite database, and read them back.

One table per fact list (``data/tables.json``), keyed by the article id and the fact's position in
its list, with indexes on the columns queries filter by. Records are written one transaction per
batch, so a killed run leaves whole articles only and ``done_ids`` tells what a rerun can skip.

    >>> with SqliteWriter("facts.db", mode="new") as db:             # doctest: +SKIP
    ...     for record in factx.extract_many(texts):
    ...         db.write(record)
    >>> write_incidents("facts.db", incidents)                        # doctest: +SKIP
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any, Iterable, Iterator

from .errors import DatabaseError, DatabaseExistsError, RecordRejected
from .tables import Table, build_object, children, incident_rows, layout_version, load_tables, record_rows

SUFFIXES = (".db", ".sqlite", ".sqlite3")
# PRAGMA application_id marks the file as factx's ("fctx"), so a database of another program is never written into.
APPLICATION_ID = 0x66637478
BATCH = 16  # records per transaction: what a kill can lose, and what a rerun with --resume extracts again
BUSY_TIMEOUT = 5.0  # seconds to wait for another program's lock before giving up
MODES = ("new", "append", "overwrite")
SIDECARS = ("-wal", "-shm", "-journal")


def is_database_path(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` names a SQLite database by its extension (.db, .sqlite, .sqlite3)."""
    return os.fspath(path).lower().endswith(SUFFIXES)


def _quote(name: str) -> str:
    return f"[{name}]"


def _cols(names: Iterable[str]) -> str:
    return ", ".join(_quote(n) for n in names)


def table_sql(table: Table) -> list[str]:
    """The CREATE TABLE and CREATE INDEX statements of one table (sqlite-utils style: [quoted] names, idx_ indexes)."""
    tables = load_tables()
    parent = tables[table.parent] if table.parent else None
    lines = []
    for i, col in enumerate(table.columns):
        line = f"   {_quote(col.name)} {col.sql_type}"
        if i < len(table.key):
            line += " NOT NULL"
            if parent is not None and i < len(parent.key):
                line += f" REFERENCES {_quote(parent.name)}({_quote(parent.key[i].name)})"
        lines.append(line)
    lines.append(f"   PRIMARY KEY ({_cols(c.name for c in table.key)})")
    for cols, other, other_cols in table.references:
        lines.append(f"   FOREIGN KEY ({_cols(cols)}) REFERENCES {_quote(other)}({_cols(other_cols)})")
    out = [f"CREATE TABLE IF NOT EXISTS {_quote(table.name)} (\n" + ",\n".join(lines) + "\n)"]
    for unique, cols in [(True, c) for c in table.unique] + [(False, c) for c in table.indexes]:
        name = "idx_" + table.name + "_" + "_".join(cols)
        out.append(f"CREATE {'UNIQUE ' if unique else ''}INDEX IF NOT EXISTS {_quote(name)} "
                   f"ON {_quote(table.name)} ({_cols(cols)})")
    return out


def schema_sql() -> list[str]:
    """Every statement that creates the factx tables and indexes."""
    return [stmt for table in load_tables().values() for stmt in table_sql(table)]


def _insert_sql(table: Table) -> str:
    return (f"INSERT INTO {_quote(table.name)} ({_cols(table.column_names)}) "
            f"VALUES ({', '.join('?' * len(table.columns))})")


def _remove(path: str) -> None:
    for name in (path, *(path + s for s in SIDECARS)):
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass


def _exists(path: str) -> bool:
    return (os.path.exists(path) and os.path.getsize(path) > 0) or os.path.exists(path + "-wal")


def _fail(path: str, exc: sqlite3.Error) -> DatabaseError:
    """A DatabaseError that says what went wrong with ``path`` in plain words."""
    msg = str(exc)
    if "locked" in msg or "busy" in msg:
        return DatabaseError(f"{path}: the database is locked by another program")
    if "not a database" in msg or isinstance(exc, sqlite3.DatabaseError) and "malformed" in msg:
        return DatabaseError(f"{path}: not a SQLite database ({msg})")
    if "unable to open" in msg:
        return DatabaseError(f"{path}: cannot open the database ({msg})")
    return DatabaseError(f"{path}: {msg}")


def connect(path: str | os.PathLike[str], *, mode: str = "append", timeout: float | None = None) -> sqlite3.Connection:
    """Open (and create when needed) a factx database for writing, with the tables and indexes in place.

    Args:
        path: the database file.
        mode: ``new`` refuses an existing database; ``append`` opens an existing factx database or makes a
            new one; ``overwrite`` removes what is at ``path`` first.
        timeout: seconds to wait for another program's lock (default ``BUSY_TIMEOUT``).

    Raises:
        DatabaseExistsError: ``mode`` is ``new`` and the file exists.
        DatabaseError: the file is not SQLite, belongs to another program or another layout version, is
            locked or cannot be opened.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    name = os.fspath(path)
    if os.path.isdir(name):
        raise DatabaseError(f"{name}: is a folder, not a database file")
    if mode == "new" and _exists(name):
        raise DatabaseExistsError(f"{name}: the database already exists")
    if mode == "overwrite":
        try:
            _remove(name)
        except OSError as exc:
            raise DatabaseError(f"{name}: cannot remove the old database ({exc.strerror or exc})") from None
    try:
        conn = sqlite3.connect(name, timeout=BUSY_TIMEOUT if timeout is None else timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise _fail(name, exc) from None
    try:
        _prepare(conn, name)
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare(conn: sqlite3.Connection, name: str) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id not in (0, APPLICATION_ID):
            raise DatabaseError(f"{name}: a SQLite database of another program (application id {app_id:#x})")
        conn.execute("BEGIN IMMEDIATE")
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id == 0 and tables:
                raise DatabaseError(f"{name}: a SQLite database of another program "
                                    f"(tables: {', '.join(sorted(tables)[:5])}{', ...' if len(tables) > 5 else ''})")
            if app_id == APPLICATION_ID and version != layout_version():
                raise DatabaseError(f"{name}: written with table layout {version}, this factx writes layout "
                                    f"{layout_version()}; write into a new database")
            for stmt in schema_sql():
                conn.execute(stmt)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {layout_version()}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        # A write-ahead log lets readers query the database while a run adds to it; a commit then needs no
        # fsync, and a killed process loses only the transaction it had open.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error as exc:
        raise _fail(name, exc) from None


class SqliteWriter:
    """Write records into a factx database, one transaction per ``batch`` records.

    Each record is stored whole or not at all; ``close`` (or leaving the ``with`` block, also on an error
    or Ctrl-C) commits the records written so far. A process killed in a batch loses that batch only.

    Example:
        >>> with SqliteWriter("facts.db", mode="append") as db:       # doctest: +SKIP
        ...     todo = [a for a in articles if a.id not in db.done_ids()]
        ...     for record in factx.extract_many(todo):
        ...         db.write(record)
    """

    def __init__(self, path: str | os.PathLike[str], *, mode: str = "new", include_text: bool = False,
                 batch: int = BATCH, timeout: float | None = None) -> None:
        if batch < 1:
            raise ValueError("batch must be at least 1")
        self.path = os.fspath(path)
        self.include_text = include_text
        self.batch = batch
        self.count = 0
        self.pending = 0
        self.conn = connect(self.path, mode=mode, timeout=timeout)
        self._inserts = {t.name: _insert_sql(t) for t in load_tables().values()}

    def __enter__(self) -> SqliteWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def done_ids(self) -> set[str]:
        """The ids of the articles already stored (whole: each was written in one transaction)."""
        try:
            return {row[0] for row in self.conn.execute("SELECT id FROM articles")}
        except sqlite3.Error as exc:
            raise _fail(self.path, exc) from None

    def write(self, record: dict[str, Any] | Any) -> None:
        """Store one record (a ``Record`` or its dict); commit when the batch is full.

        Raises:
            RecordRejected: the record's article is already stored; nothing of it was written.
            DatabaseError: the database cannot be written (locked, disk full).
        """
        try:
            if not self.conn.in_transaction:
                self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("SAVEPOINT record")
            try:
                for name, rows in record_rows(record, include_text=self.include_text).items():
                    self.conn.executemany(self._inserts[name], rows)
            except BaseException as exc:
                self.conn.execute("ROLLBACK TO record")
                self.conn.execute("RELEASE record")
                if isinstance(exc, sqlite3.IntegrityError):
                    raise RecordRejected(f"{_record_id(record)}: cannot be stored in {self.path} ({exc})") from None
                raise
            self.conn.execute("RELEASE record")
            self.count += 1
            self.pending += 1
            if self.pending >= self.batch:
                self.commit()
        except sqlite3.Error as exc:
            raise _fail(self.path, exc) from None

    def commit(self) -> None:
        """Commit the records written since the last commit."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise _fail(self.path, exc) from None
        self.pending = 0

    def write_incidents(self, incidents: Iterable[dict[str, Any]], *, replace: bool = True) -> int:
        """Store factx-incident/1 objects in ``incidents``, ``incident_counts`` and ``incident_mentions``, in one transaction.

        Args:
            incidents: the objects, as ``factx incidents`` writes them.
            replace: drop every incident stored before (the new set replaces it); otherwise only
                incidents with the same ids are replaced.

        Returns:
            The number of incidents written.
        """
        self.commit()
        tables = children("incidents")
        written = 0
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if replace:
                    for table in reversed(tables):
                        self.conn.execute(f"DELETE FROM {_quote(table.name)}")
                for incident in incidents:
                    rows = incident_rows(incident)
                    head = next(rows[tables[0].name])
                    if not replace:
                        for table in reversed(tables):
                            self.conn.execute(f"DELETE FROM {_quote(table.name)} WHERE {_quote(table.key[0].name)} = ?",
                                              (head[0],))
                    self.conn.execute(self._inserts[tables[0].name], head)
                    for table in tables[1:]:
                        self.conn.executemany(self._inserts[table.name], rows[table.name])
                    written += 1
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.IntegrityError as exc:
            raise DatabaseError(f"{self.path}: incidents not stored ({exc})") from None
        except sqlite3.Error as exc:
            raise _fail(self.path, exc) from None
        return written

    def close(self) -> None:
        """Commit what was written and close the database (a single file again when no one else has it open)."""
        if self.conn is None:
            return
        try:
            self.commit()
        finally:
            try:
                # Back to a rollback journal, so the finished database is one self-contained file.
                self.conn.execute("PRAGMA journal_mode = DELETE")
            except sqlite3.Error:
                pass  # another connection still reads it: the log is folded in when the last one closes
            self.conn.close()
            self.conn = None


def _record_id(record: Any) -> str:
    source = record.get("source") if isinstance(record, dict) else getattr(record, "source", None)
    return str((source or {}).get("id", "?"))


def write_incidents(path: str | os.PathLike[str], incidents: Iterable[dict[str, Any]], *, replace: bool = True,
                    timeout: float | None = None) -> int:
    """Store factx-incident/1 objects in the database at ``path`` (made when missing); return how many.

    Each mention's ``source_id`` and ``event_id`` point at the ``events`` row with that ``article_id`` and
    ``id``. With ``replace`` (the default) the incidents given replace every incident stored before.

    Example:
        >>> write_incidents("facts.db", (json.loads(line) for line in open("incidents.jsonl")))  # doctest: +SKIP
        12
    """
    with SqliteWriter(path, mode="append", timeout=timeout) as db:
        return db.write_incidents(incidents, replace=replace)


def _open_read(path: str | os.PathLike[str]) -> sqlite3.Connection:
    name = os.fspath(path)
    if not os.path.isfile(name):
        raise DatabaseError(f"{name}: no such database file")
    try:
        conn = sqlite3.connect(f"file:{name}?mode=ro", uri=True)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.Error as exc:
        raise _fail(name, exc) from None
    if app_id != APPLICATION_ID:
        conn.close()
        raise DatabaseError(f"{name}: not a factx database")
    return conn


def _objects(conn: sqlite3.Connection, root: str, name: str) -> Iterator[dict[str, Any]]:
    tables = children(root)
    head = tables[0]
    try:
        for row in conn.execute(f"SELECT * FROM {_quote(head.name)} ORDER BY rowid"):
            obj = build_object(head.name, row)
            key = row[0]
            for table in tables[1:]:
                order = table.key[-1].name if table.shape == "list" else "rowid"
                rows = conn.execute(f"SELECT * FROM {_quote(table.name)} WHERE {_quote(table.key[0].name)} = ? "
                                    f"ORDER BY {_quote(order)}", (key,))
                if table.shape == "map":
                    obj[table.source] = {r[len(table.key) - 1]: build_object(table.name, r) for r in rows}
                else:
                    obj[table.source] = [build_object(table.name, r) for r in rows]
            yield obj
    except sqlite3.Error as exc:
        raise _fail(name, exc) from None


def iter_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield the factx/1 records stored in a database, in the order they were written."""
    conn = _open_read(path)
    try:
        for obj in _objects(conn, "articles", os.fspath(path)):
            if obj.get("text") is None:
                obj.pop("text", None)
            yield {"schema": "factx/1", **obj}
    finally:
        conn.close()


def iter_incidents(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield the factx-incident/1 objects stored in a database, in the order they were written."""
    conn = _open_read(path)
    try:
        for obj in _objects(conn, "incidents", os.fspath(path)):
            yield {"schema": "factx-incident/1", **obj}
    finally:
        conn.close()


def table_counts(path: str | os.PathLike[str]) -> dict[str, int]:
    """The number of rows in each factx table of a database."""
    conn = _open_read(path)
    try:
        return {name: conn.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0] for name in load_tables()}
    except sqlite3.Error as exc:
        raise _fail(os.fspath(path), exc) from None
    finally:
        conn.close()
