"""The command line, run in-process with CliRunner."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from factx import __version__
from factx.cli import cli

ARTICLE = "Police arrested 12 people in Lyon, France on Tuesday, the prosecutor said.\n"


@pytest.fixture
def runner(nlp):  # the model fixture makes sure it is loaded once, before timing-sensitive runs
    return CliRunner()


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_version_and_help():
    r = CliRunner().invoke(cli, ["--version"])
    assert r.exit_code == 0 and __version__ in r.stdout
    for cmd in ([], ["extract"], ["schema"], ["show"]):
        r = CliRunner().invoke(cli, cmd + ["--help"])
        assert r.exit_code == 0 and "Example" in r.stdout


def test_help_does_not_import_spacy():
    code = ("import sys; from factx.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('spacy' in sys.modules, 'dateparser' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False False")


def test_one_file_gives_one_object(runner, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE)
    r = runner.invoke(cli, ["extract", str(p), "--published", "2024-05-10"])
    assert r.exit_code == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["schema"] == "factx/1" and rec["source"]["id"] == str(p)
    assert rec["published"] == {"value": "2024-05-10", "origin": "option"}
    assert [(e["type"], e["count"]["value"]) for e in rec["events"]] == [("arrest", 12)]
    assert len(r.stdout.splitlines()) == 1


def test_pretty(runner, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE)
    r = runner.invoke(cli, ["extract", str(p), "--pretty"])
    assert r.exit_code == 0 and r.stdout.startswith('{\n  "schema": "factx/1"')


def test_stdin(runner):
    r = runner.invoke(cli, ["extract", "-", "--published", "2024-05-10"], input=ARTICLE)
    assert r.exit_code == 0
    assert json.loads(r.stdout)["source"]["id"] == "-"


def test_folder_gives_jsonl_in_order(runner, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("Two men were killed in Ohio.")
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE)
    (tmp_path / "notes.md").write_text("not an article")
    r = runner.invoke(cli, ["extract", str(tmp_path)])
    assert r.exit_code == 0, r.stderr
    ids = [rec["source"]["id"] for rec in lines(r.stdout)]
    assert ids == [str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.txt")]
    r = runner.invoke(cli, ["extract", str(tmp_path), "--glob", "*.md"])
    assert [rec["source"]["id"] for rec in lines(r.stdout)] == [str(tmp_path / "notes.md")]


def test_jsonl_dataset_uses_ids_and_dates(runner, tmp_path):
    p = tmp_path / "articles.jsonl"
    p.write_text("\n".join(json.dumps(o) for o in [
        {"id": "n1", "text": "Police arrested 5 people on Friday.", "published": "2014-02-28", "title": "T"},
        {"id": "n2", "text": "Nothing happened on Monday."},
    ]) + "\n")
    r = runner.invoke(cli, ["extract", str(p)])
    assert r.exit_code == 0, r.stderr
    recs = lines(r.stdout)
    assert [x["source"]["id"] for x in recs] == ["n1", "n2"]
    assert recs[0]["published"] == {"value": "2014-02-28", "origin": "metadata"} and recs[0]["title"] == "T"
    assert recs[0]["dates"][0]["value"] == "2014-02-28"
    assert recs[1]["published"]["origin"] == "none"
    assert recs[1]["dates"][0]["value"].startswith("X")  # no publication date: left unresolved


def test_csv_one_row_per_event(runner, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE + "Three officers were injured.\n")
    r = runner.invoke(cli, ["extract", str(p), "--format", "csv", "--published", "2024-05-10"])
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(row["type"], row["count_value"]) for row in rows] == [("arrest", "12"), ("injure", "3")]
    assert rows[0]["source_id"] == str(p) and rows[0]["country"] == "FR"


def test_output_file_is_written_atomically(runner, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE)
    out = tmp_path / "out.json"
    out.write_text("old")
    r = runner.invoke(cli, ["extract", str(src), "-o", str(out)])
    assert r.exit_code == 0 and r.stdout == ""
    assert json.loads(out.read_text())["schema"] == "factx/1"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".factx-")] == []


def test_published_inferred_from_text(runner):
    text = "Published: March 3, 2021\n\nFirefighters rescued 4 people on Monday.\n"
    rec = json.loads(runner.invoke(cli, ["extract", "-"], input=text).stdout)
    assert rec["published"] == {"value": "2021-03-03", "origin": "inferred"}
    assert any(d["value"] == "2021-03-01" for d in rec["dates"])


def test_schema_command_is_json():
    r = CliRunner().invoke(cli, ["schema"])
    assert r.exit_code == 0 and json.loads(r.stdout)["title"] == "factx/1 record"


@pytest.mark.parametrize("setup, message", [
    (lambda d: None, "no such file or directory"),
    (lambda d: (d / "x").write_bytes(b""), "empty input"),
    (lambda d: (d / "x").write_bytes(b"\x00\x01\x02\x03binary\x00\xff\xfe\x00" * 50), "binary"),
    (lambda d: (d / "x").write_bytes(b"   \n\t  "), "empty input"),
])
def test_bad_single_input(runner, tmp_path, setup, message):
    setup(tmp_path)
    r = runner.invoke(cli, ["extract", str(tmp_path / "x")])
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr.startswith("Error: ") and message in r.stderr and "Traceback" not in r.stderr


def test_empty_folder(runner, tmp_path):
    r = runner.invoke(cli, ["extract", str(tmp_path)])
    assert r.exit_code == 1 and "no files matching '*.txt'" in r.stderr


def test_batch_goes_on_after_a_bad_file(runner, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("Two men were killed in Ohio.")
    errors = tmp_path / "errors.jsonl"
    r = runner.invoke(cli, ["extract", str(tmp_path), "--errors", str(errors)])
    assert r.exit_code == 1
    assert [x["source"]["id"] for x in lines(r.stdout)] == [str(tmp_path / "a.txt"), str(tmp_path / "c.txt")]
    assert r.stderr.count("Error: ") == 1 and "b.txt: empty input" in r.stderr
    assert json.loads(errors.read_text()) == {"id": str(tmp_path / "b.txt"), "error": "InputError",
                                              "message": f"{tmp_path / 'b.txt'}: empty input"}


def test_usage_errors_exit_2(runner, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE)
    assert runner.invoke(cli, ["extract", str(p), "--published", "yesterday"]).exit_code == 2
    assert runner.invoke(cli, ["extract", str(p), "--country", "China"]).exit_code == 2
    assert runner.invoke(cli, ["extract", str(p), str(p), "--format", "json"]).exit_code == 2
    assert runner.invoke(cli, ["extract"]).exit_code == 2


def test_python_dash_m(tmp_path):
    r = subprocess.run([sys.executable, "-m", "factx", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and __version__ in r.stdout


def test_show_reads_saved_output(runner, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE)
    saved = runner.invoke(cli, ["extract", str(p), "--include-text", "--published", "2024-05-10"]).stdout
    r = runner.invoke(cli, ["show", "-", "--width", "80", "--no-facts"], input=saved)
    assert r.exit_code == 0, r.stderr
    assert "[12]" in r.stdout and "arrest" in r.stdout
    page = tmp_path / "r.html"
    r = runner.invoke(cli, ["show", str(p), "--html", "-o", str(page)])
    assert r.exit_code == 0 and page.read_text().lstrip().lower().startswith("<!doctype html>")


def test_library_api(nlp):
    import factx

    rec = factx.extract(ARTICLE, published="2024-05-10", nlp=nlp)
    assert isinstance(rec, factx.Record) and rec.events[0].count["value"] == 12
    many = list(factx.extract_many([ARTICLE, "Nothing here."], nlp=nlp))
    assert [r.source["id"] for r in many] == ["0", "1"]


@pytest.mark.parametrize("include_text", [False, True])
def test_compact_writer_equals_dumps(nlp, include_text):
    import factx
    from factx.write import dumps, write_compact

    rec = factx.extract("Police arrested 27 people in Chengdu on Friday and seized 20,000 yuan (US$3,250).",
                        published="2014-02-28", nlp=nlp)
    out = io.StringIO()
    write_compact(out, rec, include_text=include_text)
    assert out.getvalue() == dumps(rec.to_dict(include_text=include_text)) + "\n"


def test_large_record_is_written_fact_by_fact(nlp, monkeypatch):
    import factx
    import factx.write
    from factx.write import RecordWriter, dumps

    rec = factx.extract("Police arrested 27 people in Chengdu on Friday.", published="2014-02-28", nlp=nlp)
    calls = []
    monkeypatch.setattr(factx.write, "LARGE_RECORD", 1)
    monkeypatch.setattr(factx.write, "write_compact",
                        lambda fp, r, include_text: calls.append(r) or fp.write(dumps(r.to_dict()) + "\n"))
    out = io.StringIO()
    RecordWriter(out, fmt="jsonl").write(rec)
    assert calls == [rec] and json.loads(out.getvalue())["events"][0]["type"] == "arrest"
