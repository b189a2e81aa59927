"""factx.frames: the SQLite tables as pandas DataFrames, and a clear error without pandas."""

from __future__ import annotations

import sqlite3
import sys

import pytest

import factx
from factx.batch import run_batch
from factx.errors import MissingExtraError
from factx.read import make_article
from factx.sqlite import SqliteWriter, write_incidents

TEXTS = [
    "Police arrested 12 people in Lyon, France on Tuesday. The firm paid $3 million in fines.",
    "At least 4 people were killed in Denver on Monday, and about 20 were injured, officials said.",
    "Prices rose 5% in March, the ministry said.",
]


def cells(df) -> list[tuple]:
    """The rows of a DataFrame as tuples of plain values, missing values as None."""
    import pandas as pd

    return [tuple(None if v is pd.NA else v for v in row) for row in df.astype(object).itertuples(index=False)]


def test_frames_are_the_sqlite_tables(nlp, tmp_path):
    pytest.importorskip("pandas")
    records = run_batch([make_article(t, id=f"a{i}", published="2024-05-10") for i, t in enumerate(TEXTS)], nlp=nlp)
    incident = {"schema": "factx-incident/1", "id": "i-1", "types": ["kill", "injure"],
                "date": {"value": "2024-05-06", "granularity": "day"}, "place": None,
                "counts": {"kill": {"value": 4, "qualifier": "at_least", "reported": [4], "support": 1}},
                "mentions": [{"source_id": "a1", "event_id": "e1", "type": "kill"}],
                "sources": ["a1"], "confidence": 0.6}
    path = tmp_path / "facts.db"
    with SqliteWriter(path) as db:
        for rec in records:
            db.write(rec)
    write_incidents(path, [incident])
    dfs = factx.frames(records, incidents=[incident])
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    assert list(dfs) == names
    for name, df in dfs.items():
        assert list(df.columns) == [r[1] for r in conn.execute(f"PRAGMA table_info([{name}])")]
        assert cells(df) == conn.execute(f"SELECT * FROM [{name}] ORDER BY rowid").fetchall(), name
    events = dfs["events"]
    assert str(events["count_value"].dtype) == "Float64" and str(events["negated"].dtype) == "boolean"
    assert events.loc[events["type"] == "arrest", ["count_value", "place_country"]].values.tolist() == [[12.0, "FR"]]
    assert len(dfs["numbers"]) == sum(len(r["numbers"]) for r in records) > 0


def test_frames_of_record_objects_and_no_records(nlp):
    pytest.importorskip("pandas")
    dfs = factx.frames(factx.extract_many(TEXTS[:1], nlp=nlp))
    assert "incidents" not in dfs and dfs["articles"]["id"].tolist() == ["0"]
    empty = factx.frames([])
    assert all(len(df) == 0 for df in empty.values())
    assert str(empty["events"]["idx"].dtype) == "Int64"


def test_without_pandas_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(MissingExtraError, match=r"factx.frames needs pandas: pip install 'factx\[frames\]'"):
        factx.frames([])
    assert issubclass(MissingExtraError, ImportError)
