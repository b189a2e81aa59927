"""SQLite output: the table layout, the writer against the JSONL of the same run, resume after a kill, bad databases."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from importlib import resources

import pytest
from click.testing import CliRunner

from factx import sqlite as factx_sqlite
from factx.batch import run_batch
from factx.cli import cli
from factx.errors import DatabaseError, DatabaseExistsError, RecordRejected
from factx.read import make_article
from factx.sqlite import SqliteWriter, iter_incidents, iter_records, table_counts, write_incidents
from factx.tables import load_tables, record_rows

CITIES = ["Lyon, France", "Denver", "Osaka", "Nairobi, Kenya", "Lima", "Perth"]
DAYS = ["on Monday", "on Tuesday", "last week", "on March 3", "in 2019"]


def texts(n: int) -> list[str]:
    """Short news texts with every kind of fact, each a little different."""
    return [
        f"Police arrested {i + 2} people in {CITIES[i % len(CITIES)]} {DAYS[i % len(DAYS)]}. "
        f"At least {i % 4 + 1} people were killed and about {i + 10} injured, officials said.\n\n"
        f"The company paid ${(i + 1) * 3} million (about 2.5 billion yen) in fines, {i % 7 + 3}% more than in 2018."
        for i in range(n)
    ]


def comparable(value):
    """The value with null keys and empty lists left out: the record leaves some optional keys out, a row holds null."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


def db_rows(path) -> dict[str, list[tuple]]:
    """Every row of every factx table, sorted, so that two databases can be compared whatever the write order."""
    conn = sqlite3.connect(path)
    try:
        return {name: sorted(conn.execute(f"SELECT * FROM [{name}]").fetchall(), key=repr) for name in load_tables()}
    finally:
        conn.close()


def expected_rows(records) -> dict[str, list[tuple]]:
    """The rows the records must give, sorted as ``db_rows`` sorts them."""
    out: dict[str, list[tuple]] = {name: [] for name in load_tables()}
    for rec in records:
        for name, rows in record_rows(rec).items():
            out[name].extend(rows)
    return {name: sorted(rows, key=repr) for name, rows in out.items()}


def write_corpus(folder, n: int) -> list[str]:
    folder.mkdir()
    for i, text in enumerate(texts(n)):
        (folder / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    return [str(folder / f"{i:03d}.txt") for i in range(n)]


@pytest.fixture(scope="module")
def records(nlp):
    """Record dicts of a few articles, one with its text kept."""
    items = [make_article(t, id=f"a{i}", published="2024-05-10") for i, t in enumerate(texts(6))]
    out = run_batch(items, nlp=nlp)
    out[0] = run_batch(items[:1], nlp=nlp, include_text=True)[0]
    return out


# The layout


def _schema_paths() -> dict[str, set[tuple[str, ...]]]:
    """For each fact list (and the record itself), the paths of the values the factx/1 schema names."""
    schema = json.loads(resources.files("factx").joinpath("data/schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]

    def resolve(node):
        if "$ref" in node:
            return resolve(defs[node["$ref"].rsplit("/", 1)[1]])
        for option in node.get("oneOf", ()):
            if option.get("type") != "null":
                return resolve(option)
        return node

    def paths(node):
        out = set()
        for key, sub in resolve(node).get("properties", {}).items():
            sub = resolve(sub)
            if "properties" in sub and sub.get("type") == "object":
                out |= {(key, inner) for inner in sub["properties"]}
            else:
                out.add((key,))
        return out

    lists = {"numbers": "numbers", "money": "money", "dates": "dates", "places": "places", "events": "events",
             "incidents": "article_incidents"}
    top = paths(schema) - {(name,) for name in (*lists, "schema")}
    out = {"articles": top}
    for name, table in lists.items():
        out[table] = paths(schema["properties"][name]["items"])
    return out


def test_every_value_of_the_schema_has_a_column():
    tables = load_tables()
    for name, wanted in _schema_paths().items():
        have = {c.path for c in tables[name].columns if c.path}
        assert wanted - have == set(), f"{name}: no column for {sorted(wanted - have)}"


def test_keys_indexes_and_foreign_keys(tmp_path):
    path = tmp_path / "facts.db"
    SqliteWriter(path).close()
    conn = sqlite3.connect(path)
    indexes = {(r[2], tuple(c[2] for c in conn.execute(f"PRAGMA index_info([{r[1]}])")))
               for r in conn.execute("SELECT type, name, tbl_name FROM sqlite_master WHERE type = 'index'")}
    for wanted in [("events", ("type",)), ("events", ("place_country",)), ("events", ("place_admin1",)),
                   ("events", ("date_value",)), ("events", ("incident",)), ("events", ("article_id", "id")),
                   ("places", ("country",)), ("places", ("admin1",)), ("dates", ("value",)),
                   ("incident_mentions", ("source_id", "event_id"))]:
        assert wanted in indexes
    pk = {r[1]: r[5] for r in conn.execute("PRAGMA table_info(events)") if r[5]}
    assert pk == {"article_id": 1, "idx": 2}
    fks = {(r[2], r[3], r[4]) for r in conn.execute("PRAGMA foreign_key_list(incident_mentions)")}
    assert fks == {("incidents", "incident_id", "id"), ("events", "source_id", "article_id"),
                   ("events", "event_id", "id")}
    assert ("articles", "article_id", "id") in {(r[2], r[3], r[4]) for r in conn.execute("PRAGMA foreign_key_list(numbers)")}
    assert conn.execute("PRAGMA application_id").fetchone()[0] == factx_sqlite.APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


# The writer


def test_database_holds_every_value_of_the_records(records, tmp_path):
    path = tmp_path / "facts.db"
    with SqliteWriter(path, include_text=True) as db:
        for rec in records:
            db.write(rec)
    assert [comparable(r) for r in iter_records(path)] == [comparable(r) for r in records]
    assert db_rows(path) == expected_rows(records)
    counts = table_counts(path)
    for name in ("numbers", "money", "dates", "places", "events"):
        assert counts[name] == sum(len(r[name]) for r in records) > 0
    conn = sqlite3.connect(path)
    texts_kept = conn.execute("SELECT count(*) FROM articles WHERE text IS NOT NULL").fetchone()[0]
    assert texts_kept == 1
    arrest = conn.execute("SELECT count_value, count_qualifier, place_name, place_country, date_value FROM events "
                          "WHERE article_id = 'a0' AND type = 'arrest'").fetchone()
    assert arrest == (2, "exact", "Lyon", "FR", "2024-05-06")
    assert conn.execute("SELECT negated, typeof(money) FROM events LIMIT 1").fetchone() == (0, "text")


def test_record_objects_give_the_rows_of_their_dicts(nlp):
    from factx.api import extract_many

    items = [make_article(t, id=f"a{i}") for i, t in enumerate(texts(3))]
    for rec in extract_many(items, nlp=nlp):
        for include_text in (False, True):
            from_object = {k: list(v) for k, v in record_rows(rec, include_text=include_text).items()}
            from_dict = {k: list(v) for k, v in record_rows(rec.to_dict(include_text=include_text)).items()}
            assert from_object == from_dict


def test_unknown_keys_are_kept_in_extra(records, tmp_path):
    rec = json.loads(json.dumps(records[1]))
    for ev in rec["events"]:
        ev["incident"] = None
    rec["events"][0]["incident"] = "i1"
    rec["events"][0]["cause"] = {"text": "a fire"}
    rec["events"][0]["count"]["certainty"] = 0.5
    rec["numbers"][0]["scale"] = None
    rec["incidents"] = [{"id": "i1", "types": ["arrest"], "place": None, "date": {"value": "2024-05-07", "origin": "sentence"},
                         "counts": {"arrest": {"value": 3, "qualifier": "exact", "events": ["e1"]}},
                         "events": ["e1"], "confidence": 0.7}]
    path = tmp_path / "facts.db"
    with SqliteWriter(path) as db:
        db.write(rec)
    assert comparable(next(iter_records(path))) == comparable(rec)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT incident, extra FROM events WHERE idx = 0").fetchone() == (
        "i1", '{"cause":{"text":"a fire"},"count":{"certainty":0.5}}')
    row = conn.execute("SELECT id, place_name, date_value, json_extract(counts, '$.arrest.value'), extra "
                       "FROM article_incidents").fetchone()
    assert row == ("i1", None, "2024-05-07", 3, '{"confidence":0.7}')
    assert conn.execute("SELECT a.id FROM events e JOIN article_incidents a ON a.article_id = e.article_id "
                        "AND a.id = e.incident").fetchall() == [("i1",)]


def test_one_record_is_stored_whole_or_not_at_all(records, tmp_path):
    path = tmp_path / "facts.db"
    with SqliteWriter(path) as db:
        db.write(records[0])
        with pytest.raises(RecordRejected, match="a0: cannot be stored"):
            db.write(records[0])
        bad = json.loads(json.dumps(records[1]))
        bad["events"].append(dict(bad["events"][0], trigger={"text": "x", "start": 0, "end": 1}))  # same event id
        with pytest.raises(RecordRejected, match="UNIQUE constraint failed: events.article_id, events.id"):
            db.write(bad)
        db.write(records[2])
    assert db_rows(path) == expected_rows([records[0], records[2]])


def test_commits_one_transaction_per_batch(records, tmp_path):
    path = tmp_path / "facts.db"
    db = SqliteWriter(path, batch=4)
    reader = sqlite3.connect(path)
    seen = []
    for rec in records:
        db.write(rec)
        seen.append(reader.execute("SELECT count(*) FROM articles").fetchone()[0])
    assert seen == [0, 0, 0, 4, 4, 4]
    db.close()
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 6


# Incidents


def _incident(i: int, mentions: list[tuple[str, str, str]], **extra) -> dict:
    return {"schema": "factx-incident/1", "id": f"i-{i:08x}", "types": sorted({m[2] for m in mentions}),
            "date": {"value": "2024-05-06", "granularity": "day"},
            "place": {"name": "Lyon", "kind": "city", "country": "FR", "admin1": "FR-ARA", "lat": 45.75, "lon": 4.85},
            "counts": {"arrest": {"value": 3, "qualifier": "exact", "reported": [2, 3, 3], "support": 3},
                       "kill": {"value": 1, "qualifier": "range", "low": 1, "high": 2, "reported": [1, 2],
                                "support": 2}},
            "mentions": [{"source_id": s, "event_id": e, "type": t} for s, e, t in mentions],
            "sources": sorted({m[0] for m in mentions}), "confidence": 0.8, **extra}


def test_incidents_link_their_mentions_to_event_rows(records, tmp_path):
    path = tmp_path / "facts.db"
    with SqliteWriter(path) as db:
        for rec in records[:3]:
            db.write(rec)
    ev = {(r["source"]["id"], e["id"]): e["type"] for r in records[:3] for e in r["events"]}
    picked = sorted(ev)[:4]
    incidents = [_incident(1, [(s, e, ev[s, e]) for s, e in picked[:3]]),
                 _incident(2, [(s, e, ev[s, e]) for s, e in picked[3:]], place=None, date=None, note="new key")]
    assert write_incidents(path, incidents) == 2
    assert [comparable(i) for i in iter_incidents(path)] == [comparable(i) for i in incidents]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    sources = conn.execute(
        "SELECT m.source_id, e.type, e.count_value, e.trigger_text FROM incident_mentions m "
        "JOIN events e ON e.article_id = m.source_id AND e.id = m.event_id WHERE m.incident_id = ? ORDER BY m.idx",
        ("i-00000001",)).fetchall()
    assert [(s, t) for s, t, _, _ in sources] == [(s, ev[s, e]) for s, e in picked[:3]]
    assert conn.execute("SELECT type, value, qualifier, low, high, reported, support FROM incident_counts "
                        "WHERE incident_id = 'i-00000001' ORDER BY type").fetchall() == [
        ("arrest", 3, "exact", None, None, "[2,3,3]", 3), ("kill", 1, "range", 1, 2, "[1,2]", 2)]
    assert conn.execute("SELECT place_name, date_value, extra FROM incidents WHERE id = 'i-00000002'").fetchone() == (
        None, None, '{"note":"new key"}')

    # Replacing: the new set stands alone; an upsert keeps the others and replaces the incident with its id.
    write_incidents(path, incidents[1:])
    assert [i["id"] for i in iter_incidents(path)] == ["i-00000002"]
    changed = dict(incidents[1], confidence=0.4, mentions=incidents[1]["mentions"][:0])
    write_incidents(path, [incidents[0], changed], replace=False)
    got = {i["id"]: i for i in iter_incidents(path)}
    assert set(got) == {"i-00000001", "i-00000002"} and got["i-00000002"]["confidence"] == 0.4
    assert table_counts(path)["incident_mentions"] == 3
    assert table_counts(path)["articles"] == 3  # the records are untouched


# The command line


def test_cli_database_equals_the_jsonl_of_the_same_run(nlp, tmp_path):
    write_corpus(tmp_path / "c", 8)
    runner = CliRunner()
    r = runner.invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", "-o", str(tmp_path / "facts.jsonl")])
    assert r.exit_code == 0, r.stderr
    jsonl = [json.loads(line) for line in (tmp_path / "facts.jsonl").read_text().splitlines()]
    for args in (["-o", str(tmp_path / "facts.db")], ["-o", str(tmp_path / "facts.data"), "--format", "sqlite"]):
        r = runner.invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", *args])
        assert r.exit_code == 0 and r.stdout == "", r.stderr
        db = args[1]
        assert db_rows(db) == expected_rows(jsonl)
        assert [comparable(x) for x in iter_records(db)] == [comparable(x) for x in jsonl]


def test_cli_incidents_of_a_run_are_stored_in_its_database(nlp, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Two men were shot dead in Dayton, Ohio on Sunday, police said.\n")
    (corpus / "b.txt").write_text("DAYTON, Ohio -- Two men were killed in a shooting on Sunday night.\n")
    db, found = tmp_path / "facts.db", tmp_path / "incidents.jsonl"
    r = CliRunner().invoke(cli, ["extract", str(corpus), "-j", "1", "-o", str(db), "--incidents", str(found),
                                 "--published", "2016-03-08", "-q"])
    assert r.exit_code == 0, r.stderr
    written = [json.loads(line) for line in found.read_text().splitlines()]
    assert len(written) == 1 and written[0]["counts"]["kill"]["value"] == 2
    assert [comparable(x) for x in iter_incidents(db)] == [comparable(x) for x in written]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(DISTINCT m.source_id) FROM incident_mentions m JOIN events e "
                        "ON e.article_id = m.source_id AND e.id = m.event_id").fetchone() == (2,)
    # factx incidents reads the database as it reads JSONL
    again = CliRunner().invoke(cli, ["incidents", str(db), "-q"])
    assert again.exit_code == 0 and [json.loads(x) for x in again.stdout.splitlines()] == written


def test_cli_refuses_an_existing_database(nlp, tmp_path):
    write_corpus(tmp_path / "c", 3)
    db = tmp_path / "facts.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", "-o", str(db)]).exit_code == 0
    before = db_rows(db)
    r = runner.invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", "-o", str(db)])
    assert r.exit_code == 1
    assert r.stderr == (f"Error: {db} already exists: add --resume to complete it with the articles it lacks, "
                        "or --overwrite to replace it\n")
    assert db_rows(db) == before
    (tmp_path / "c" / "003.txt").write_text("Five people were arrested in Osaka.")
    r = runner.invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", "-o", str(db), "--overwrite"])
    assert r.exit_code == 0 and table_counts(db)["articles"] == 4


def test_cli_resume_completes_a_database(nlp, tmp_path):
    ids = write_corpus(tmp_path / "c", 6)
    (tmp_path / "c" / "empty.txt").write_text("  ")
    runner = CliRunner()
    full = runner.invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", "-o", str(tmp_path / "full.db")])
    assert full.exit_code == 1 and "empty input" in full.stderr
    part = tmp_path / "part.db"
    with SqliteWriter(part) as db:
        for rec in list(iter_records(tmp_path / "full.db"))[:2]:
            db.write(rec)
    r = runner.invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", "-o", str(part), "--resume",
                            "--errors", str(tmp_path / "errors.jsonl")])
    assert r.exit_code == 1 and "1 article(s) failed" in r.stderr
    assert db_rows(part) == db_rows(tmp_path / "full.db")
    assert sorted(x["source"]["id"] for x in iter_records(part)) == ids
    assert "empty.txt" in (tmp_path / "errors.jsonl").read_text()


def test_cli_duplicate_ids_fail_that_article_only(nlp, tmp_path):
    data = tmp_path / "articles.jsonl"
    data.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(["x", "y", "x"], texts(3))))
    r = CliRunner().invoke(cli, ["extract", str(data), "-j", "1", "-o", str(tmp_path / "facts.db")])
    assert r.exit_code == 1
    assert "Error: x: cannot be stored in" in r.stderr and "UNIQUE constraint failed: articles.id" in r.stderr
    assert sorted(x["source"]["id"] for x in iter_records(tmp_path / "facts.db")) == ["x", "y"]


@pytest.mark.parametrize("args, message", [
    (["--format", "sqlite"], "--format sqlite needs -o FILE"),
    (["-o", "x.db", "--resume", "--overwrite"], "use --resume or --overwrite, not both"),
    (["-o", "x.csv", "-f", "csv", "--resume"], "--resume needs -o FILE with jsonl or sqlite output"),
])
def test_cli_usage_errors(tmp_path, args, message):
    write_corpus(tmp_path / "c", 2)
    r = CliRunner().invoke(cli, ["extract", str(tmp_path / "c")] + args)
    assert r.exit_code == 2 and message in r.stderr


def _other_program(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


def _old_layout(path):
    SqliteWriter(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()


@pytest.mark.parametrize("setup, name, message", [
    (lambda p: p.write_text("id,text\n1,hello\n"), "facts.db", "not a SQLite database"),
    (_other_program, "facts.db", "a SQLite database of another program (tables: notes)"),
    (_old_layout, "facts.db", "written with table layout 999"),
    (None, "/proc/facts.db", "cannot open the database (unable to open database file)"),
])
def test_cli_bad_databases_give_one_error_line(nlp, tmp_path, setup, name, message):
    write_corpus(tmp_path / "c", 2)
    path = tmp_path / name
    if setup is not None:
        setup(path)
    for extra in [["--resume"]] + ([["--overwrite"]] if setup is None else []):
        r = CliRunner().invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", "-o", str(path), *extra])
        assert r.exit_code == 1, r.stderr
        assert r.stderr.startswith(f"Error: {path}") and message in r.stderr and len(r.stderr.splitlines()) == 1


@pytest.mark.parametrize("name, message", [("facts.db", "is a folder"), ("missing/facts.db", "does not exist")])
def test_cli_database_path_errors_are_usage_errors(tmp_path, name, message):
    write_corpus(tmp_path / "c", 2)
    (tmp_path / "facts.db").mkdir()
    for extra in ([], ["--resume"]):
        r = CliRunner().invoke(cli, ["extract", str(tmp_path / "c"), "-o", str(tmp_path / name), *extra])
        assert r.exit_code == 2 and "Error: Invalid value for '-o' / '--output'" in r.stderr and message in r.stderr


def test_locked_database(nlp, tmp_path, monkeypatch):
    write_corpus(tmp_path / "c", 2)
    path = tmp_path / "facts.db"
    SqliteWriter(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(factx_sqlite, "BUSY_TIMEOUT", 0.2)
    try:
        r = CliRunner().invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", "-o", str(path), "--resume"])
        assert r.exit_code == 1
        assert r.stderr == f"Error: {path}: the database is locked by another program\n"
        with pytest.raises(DatabaseError, match="locked"):
            write_incidents(path, [])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with pytest.raises(DatabaseExistsError):
        SqliteWriter(path, mode="new")


def _run_until(cmd, db, *, articles: int, sig: int) -> subprocess.Popen:
    """Start ``cmd`` and send ``sig`` once ``db`` holds at least ``articles`` committed articles."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
            try:
                if conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= articles:
                    break
            finally:
                conn.close()
        except sqlite3.Error:
            pass
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(sig)
    return proc


@pytest.mark.parametrize("sig, jobs", [(signal.SIGKILL, "1"), (signal.SIGKILL, "2"), (signal.SIGINT, "2")])
def test_killed_run_resumes_to_the_uninterrupted_database(nlp, tmp_path, sig, jobs):
    write_corpus(tmp_path / "c", 80)
    whole = tmp_path / "whole.db"
    r = CliRunner().invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", "-o", str(whole)])
    assert r.exit_code == 0, r.stderr
    db = tmp_path / "facts.db"
    cmd = [sys.executable, "-m", "factx", "extract", str(tmp_path / "c"), "-o", str(db), "--resume", "-j", jobs]
    proc = _run_until(cmd, db, articles=factx_sqlite.BATCH, sig=sig)
    code = proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    if sig == signal.SIGINT:
        assert code == 130 and f"Interrupted: {db} holds whole records only" in err
    else:
        assert code == -signal.SIGKILL
    done = table_counts(db)["articles"]
    assert factx_sqlite.BATCH <= done < 80
    rerun = subprocess.run(cmd, capture_output=True, timeout=300)
    assert rerun.returncode == 0 and rerun.stderr == b""
    assert db_rows(db) == db_rows(whole)
