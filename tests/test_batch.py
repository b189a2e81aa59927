"""Parallel extraction: worker pool, order, failures, resume after Ctrl-C or kill, progress only on a terminal."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from factx.batch import WorkerError, extract_records, resume_ids, run_batch
from factx.cli import cli
from factx.errors import InputError
from factx.read import Failure, make_article

CITIES = ["Lyon", "Denver", "Osaka", "Nairobi", "Lima", "Perth"]
DAYS = ["Monday", "Tuesday", "Friday", "last week", "on March 3"]


def texts(n: int) -> list[str]:
    """Short varied news sentences, so each article gives a different record."""
    return [
        f"Police arrested {i + 2} people in {CITIES[i % len(CITIES)]} {DAYS[i % len(DAYS)]}. "
        f"The company paid ${(i + 1) * 3} million in fines, officials said."
        for i in range(n)
    ]


def articles(n: int):
    return [make_article(t, id=f"a{i:03d}", published="2024-05-10") for i, t in enumerate(texts(n))]


def plain(items) -> list:
    return [item.to_dict() if isinstance(item, Failure) else item for item in items]


@pytest.fixture(scope="module")
def reference(nlp):
    """The records of 12 articles extracted in this process, the baseline every other run must equal."""
    return plain(run_batch(articles(12), nlp=nlp))


def test_reference_is_sane(reference):
    assert [r["source"]["id"] for r in reference] == [f"a{i:03d}" for i in range(12)]
    assert all(r["schema"] == "factx/1" for r in reference)
    assert reference[0]["events"][0]["type"] == "arrest"


def test_workers_equal_in_process_in_order_and_unordered(reference):
    items = articles(12)
    items.insert(5, Failure("broken.txt", InputError("broken.txt: empty input")))
    ordered = plain(extract_records(items, jobs=2, chunk=3))
    assert ordered[5] == {"id": "broken.txt", "error": "InputError", "message": "broken.txt: empty input"}
    assert ordered[:5] + ordered[6:] == reference
    unordered = plain(extract_records(articles(12), jobs=2, chunk=3, ordered=False))
    key = lambda r: r["source"]["id"]  # noqa: E731
    assert sorted(unordered, key=key) == reference


def test_small_input_runs_in_process(reference):
    before = multiprocessing.active_children()
    assert plain(extract_records(articles(12)[:3], jobs=2, chunk=3)) == reference[:3]
    assert multiprocessing.active_children() == before


def test_plain_texts_get_numbered_ids(nlp):
    out = list(extract_records(["A text.", "Another text."], jobs=1))
    assert [r["source"]["id"] for r in out] == ["0", "1"]


def test_a_killed_worker_fails_only_its_articles(reference):
    stream = extract_records(articles(12), jobs=2, chunk=2, prefetch=1)
    first = next(stream)
    victim = next(p for p in multiprocessing.active_children() if p.name.startswith("factx-worker"))
    os.kill(victim.pid, signal.SIGKILL)
    out = [first] + list(stream)
    ids = [r["source"]["id"] if isinstance(r, dict) else r.id for r in out]
    assert ids == [f"a{i:03d}" for i in range(12)]
    lost = [r for r in out if isinstance(r, Failure)]
    assert all(isinstance(r.error, WorkerError) for r in lost) and len(lost) <= 2
    assert [r for r in out if isinstance(r, dict)] == [r for r in reference if r["source"]["id"] not in
                                                      {f.id for f in lost}]


def test_bad_options():
    with pytest.raises(ValueError):
        list(extract_records([], jobs=0))


@pytest.mark.parametrize("content, ids, left", [
    ('{"source":{"id":"a"}}\n{"source":{"id":"b"}}\n', {"a", "b"}, '{"source":{"id":"a"}}\n{"source":{"id":"b"}}\n'),
    ('{"source":{"id":"a"}}\n{"source":{"id":"b', {"a"}, '{"source":{"id":"a"}}\n'),
    ('{"source":{"id":"a"}}\n{"source":{"id":"b"}}', {"a"}, '{"source":{"id":"a"}}\n'),
    ('{"sour', set(), ""),
    ("", set(), ""),
    ('{"source":{"id":7}}\n\n', {"7"}, '{"source":{"id":7}}\n\n'),
])
def test_resume_ids_cuts_a_partial_last_line(tmp_path, content, ids, left):
    path = tmp_path / "out.jsonl"
    path.write_text(content, encoding="utf-8")
    assert resume_ids(path) == ids
    assert path.read_text(encoding="utf-8") == left


def test_resume_ids_missing_file_and_foreign_file(tmp_path):
    assert resume_ids(tmp_path / "none.jsonl") == set()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source":{"id":"a"}}\nnot json\n')
    with pytest.raises(InputError, match=r"bad.jsonl:2"):
        resume_ids(bad)


def write_corpus(folder, n: int) -> list[str]:
    folder.mkdir()
    for i, text in enumerate(texts(n)):
        (folder / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    return [str(folder / f"{i:03d}.txt") for i in range(n)]


def test_cli_resume_and_errors_file(nlp, tmp_path):
    ids = write_corpus(tmp_path / "c", 6)
    (tmp_path / "c" / "empty.txt").write_text("   ")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    runner = CliRunner()
    full = runner.invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", "-o", str(tmp_path / "full.jsonl")])
    assert full.exit_code == 1 and "empty input" in full.stderr
    lines = (tmp_path / "full.jsonl").read_text().splitlines()
    assert [json.loads(x)["source"]["id"] for x in lines] == ids
    out.write_text(lines[0] + "\n" + lines[1] + "\n" + lines[2][:40])  # as left by a kill mid-line
    r = runner.invoke(cli, ["extract", str(tmp_path / "c"), "-j", "1", "-o", str(out), "--resume",
                            "--errors", str(errors)])
    assert r.exit_code == 1 and "1 article(s) failed" in r.stderr
    assert out.read_text().splitlines() == lines
    assert [json.loads(x) for x in errors.read_text().splitlines()] == [
        {"id": str(tmp_path / "c" / "empty.txt"), "error": "InputError",
         "message": f"{tmp_path / 'c' / 'empty.txt'}: empty input"}]


@pytest.mark.parametrize("args", [["--resume"], ["--resume", "-o", "x.csv", "-f", "csv"]])
def test_cli_resume_needs_a_jsonl_file(tmp_path, args):
    write_corpus(tmp_path / "c", 2)
    r = CliRunner().invoke(cli, ["extract", str(tmp_path / "c")] + args)
    assert r.exit_code == 2 and "--resume needs -o FILE" in r.stderr


def run_until(cmd: list[str], out, *, lines: int, sig: int, stderr=subprocess.PIPE) -> subprocess.Popen:
    """Start ``cmd``, wait until ``out`` has ``lines`` lines, then send ``sig``."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= lines:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(sig)
    return proc


@pytest.mark.parametrize("sig, jobs", [(signal.SIGINT, "2"), (signal.SIGKILL, "1")])
def test_interrupted_run_completes_on_rerun(nlp, tmp_path, sig, jobs):
    import fcntl
    import pty
    import struct
    import termios

    ids = write_corpus(tmp_path / "c", 60)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "factx", "extract", str(tmp_path / "c"), "-o", str(out), "--resume", "-j", jobs]
    # stderr is a terminal in the first run (progress bar), a pipe in the rerun (no progress, nothing printed).
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = run_until(cmd, out, lines=3, sig=sig, stderr=follower)
    os.close(follower)
    sent = time.monotonic()
    code = proc.wait(timeout=60)
    stopped_after = time.monotonic() - sent
    tty_output = b""
    try:
        while chunk := os.read(leader, 65536):
            tty_output += chunk
    except OSError:
        pass
    os.close(leader)
    if sig == signal.SIGINT:
        assert code == 130 and stopped_after < 10
        assert b"articles" in tty_output and b"Interrupted: " in tty_output
        assert out.read_bytes().endswith(b"\n")
    else:
        assert code == -signal.SIGKILL
    first = out.read_bytes().count(b"\n")
    assert 3 <= first < 60
    rerun = subprocess.run(cmd, capture_output=True, timeout=300)
    assert rerun.returncode == 0 and rerun.stderr == b""
    got = [json.loads(line)["source"]["id"] for line in out.read_text().splitlines()]
    assert sorted(got) == ids and len(set(got)) == len(got)
