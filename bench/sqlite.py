"""SQLite output against JSONL output of the same Reuters-21578 articles, in one run.

- wall time: ``factx extract DIR -o facts.db`` against ``factx extract DIR -o facts.jsonl``, run in turn
  ``--repeats`` times (as ``bench/throughput.py`` alternates): the ratio of the medians, and the median of
  each round's ratio (target <= 1.05);
- rows: each table of the database against the facts in the JSONL of the same round, and every row
  against the rows the JSONL records give;
- with ``--in-process N``: the CPU time of extracting N of the articles in the benchmark's own process
  while writing a database, then JSONL (alternated, ``--repeats`` times), where start-up and load from
  other jobs weigh least;
- kill and resume: ``factx extract DIR -o killed.db --resume`` killed (SIGKILL) at random points of its
  progress ``--kills`` times, then run to the end; the database must equal the uninterrupted run's, row
  for row.

Usage:
    python bench/sqlite.py [--data FILE] [--n 1000] [--repeats 3] [--kills 5] [-j N] [--seed 1] [--in-process N]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from throughput import DEFAULT_DATA, alternate, bench_env, compile_factx, factx_cmd, load, row, write_corpus

from factx.sqlite import table_counts
from factx.tables import load_tables, record_rows


def db_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every factx table, sorted, so that databases written in another order compare equal."""
    conn = sqlite3.connect(path)
    try:
        return {name: sorted(conn.execute(f"SELECT * FROM [{name}]").fetchall(), key=repr) for name in load_tables()}
    finally:
        conn.close()


def jsonl_rows(path: Path) -> tuple[dict[str, list[tuple]], dict[str, int]]:
    """The rows the records of a JSONL output give (sorted as ``db_rows`` sorts them), and its fact counts."""
    rows: dict[str, list[tuple]] = {name: [] for name in load_tables()}
    facts = {"articles": 0, "numbers": 0, "money": 0, "dates": 0, "places": 0, "events": 0}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            facts["articles"] += 1
            for name in facts:
                if name != "articles":
                    facts[name] += len(rec[name])
            for name, got in record_rows(rec).items():
                rows[name].extend(got)
    return {name: sorted(got, key=repr) for name, got in rows.items()}, facts


def stored(db: Path) -> int:
    """Articles committed to ``db`` so far (0 before the tables exist)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def kill_and_resume(cmd: list[str], db: Path, *, n: int, kills: int, rng: random.Random,
                    env: dict[str, str]) -> list[str]:
    """Kill ``cmd`` (SIGKILL) at random points of its progress, then let it finish; one line per run."""
    lines = []
    for k in range(kills):
        before = stored(db)
        # A random number of articles further on, then a random fraction of a second more, so that the kill
        # falls anywhere in a batch: while articles are extracted, inserted or committed.
        target = before + rng.randint(1, max(1, (n - before) // 2))
        pause = rng.uniform(0.0, 1.0)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        while proc.poll() is None and stored(db) < target:
            time.sleep(0.05)
        time.sleep(pause)
        if proc.poll() is not None:
            lines.append(f"run {k + 1}: ended by itself (exit {proc.returncode}) before the kill")
        else:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            lines.append(f"run {k + 1}: started with {before}, killed {pause:.2f} s after {target} articles were "
                         f"stored; {stored(db)} of {n} stored")
        print(lines[-1], flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    lines.append(f"last run: exit {proc.returncode}; {stored(db)} of {n} articles stored")
    print(lines[-1], flush=True)
    return lines


def in_process(corpus: Path, n: int, repeats: int) -> list[str]:
    """CPU seconds of extracting ``n`` articles in this process while writing a database or JSONL, in turn."""
    from factx.api import extract_many
    from factx.nlp import load_nlp
    from factx.read import iter_articles
    from factx.sqlite import SqliteWriter
    from factx.write import RecordWriter

    nlp = load_nlp()
    paths = sorted(str(p) for p in corpus.glob("*.txt"))[:n]
    # A whole pass first, not counted: the first one pays for lazy initialisation and fills the rule layer's caches.
    for _ in extract_many(iter_articles(paths), nlp=nlp):
        pass
    spent: dict[str, list[float]] = {"sqlite": [], "jsonl": []}
    for i in range(repeats):
        for kind in ("sqlite", "jsonl") if i % 2 == 0 else ("jsonl", "sqlite"):
            out = corpus.parent / f"in-process.{kind}"
            out.unlink(missing_ok=True)
            start = time.process_time()
            if kind == "sqlite":
                with SqliteWriter(out) as db:
                    for rec in extract_many(iter_articles(paths), nlp=nlp):
                        db.write(rec)
            else:
                with out.open("w", encoding="utf-8") as fh:
                    writer = RecordWriter(fh, fmt="jsonl")
                    for rec in extract_many(iter_articles(paths), nlp=nlp):
                        writer.write(rec)
            spent[kind].append(time.process_time() - start)
    a, b = median(spent["sqlite"]), median(spent["jsonl"])
    return [f"| {len(paths)} articles in one process (-j 1 path), extraction and writing: CPU | {a:.2f} s | "
            f"{b:.2f} s | {a / b:.3f} | (info) |"]


def main(argv: list[str] | None = None) -> None:
    """Write the corpus, run the alternated measurements and the kill-and-resume check, print the results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="reuters21578.jsonl.gz")
    ap.add_argument("--n", type=int, default=1000, help="articles")
    ap.add_argument("--repeats", type=int, default=3, help="alternated rounds")
    ap.add_argument("--kills", type=int, default=5, help="random kills before the run that completes")
    ap.add_argument("-j", "--jobs", default=None, help="factx -j (default: factx's, the number of cores)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the kill moments")
    ap.add_argument("--in-process", type=int, default=0, metavar="N",
                    help="also time N articles extracted in this process, writing each output in turn")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="factx-bench-sqlite-"))
    env = bench_env()
    compile_factx(env)
    jobs = ["-j", args.jobs] if args.jobs else []
    failed = False
    try:
        corpus = write_corpus(args.data, tmp / "corpus", args.n)
        jsonl, db = tmp / "facts.jsonl", tmp / "facts.db"
        print(f"{args.n} articles, -j {args.jobs or 'default'}; {load()} at start", flush=True)
        to_db, to_jsonl = alternate([factx_cmd(str(corpus), "-o", str(db), "--overwrite", *jobs),
                                     factx_cmd(str(corpus), "-o", str(jsonl), *jobs)], args.repeats, env=env)
        print(f"wall, sqlite: {', '.join(f'{r.wall:.2f}' for r in to_db)} s; "
              f"jsonl: {', '.join(f'{r.wall:.2f}' for r in to_jsonl)} s", flush=True)
        # The two runs of a round follow each other, so their ratio is the least touched by load that changes
        # over the minutes of the benchmark.
        paired = sorted(a.wall / b.wall for a, b in zip(to_db, to_jsonl))
        table = ["| measure | sqlite | jsonl | ratio | target |", "|---|---|---|---|---|",
                 row(f"{args.n} articles to facts.db vs facts.jsonl: wall", to_db, to_jsonl, "wall", "<= 1.05"),
                 f"| same, median of the {len(paired)} rounds' ratios | | | {median(paired):.2f} | <= 1.05 |",
                 row(f"{args.n} articles: CPU", to_db, to_jsonl, "cpu", "(info)"),
                 row(f"{args.n} articles: peak RSS", to_db, to_jsonl, "rss", "(info)")]
        print("rounds' wall ratios: " + ", ".join(f"{x:.3f}" for x in paired), flush=True)

        expected, facts = jsonl_rows(jsonl)
        counts = table_counts(db)
        got = db_rows(db)
        lines = [f"| {name} | {counts[name]} | {facts[name]} |" for name in facts]
        same_counts = all(counts[name] == facts[name] for name in facts)
        same_rows = got == expected
        failed |= not (same_counts and same_rows)

        if args.in_process:
            table += in_process(corpus, args.in_process, args.repeats)
            print(table[-1], flush=True)

        kill_db = tmp / "killed.db"
        kills = kill_and_resume(factx_cmd(str(corpus), "-o", str(kill_db), "--resume", *jobs), kill_db, n=args.n,
                                kills=args.kills, rng=random.Random(args.seed), env=env)
        resumed_equal = db_rows(kill_db) == got
        failed |= not resumed_equal

        print(f"\n{load()} at end\n")
        print("\n".join(table))
        print("\n| table | rows in facts.db | facts in facts.jsonl |\n|---|---|---|")
        print("\n".join(lines))
        print(f"\nrow counts equal: {same_counts}; every row equal to the JSONL's: {same_rows}")
        print(f"\nkill and resume (SIGKILL at random points, seed {args.seed}):")
        print("\n".join(f"- {line}" for line in kills))
        print(f"database after the kills and the last run equals the uninterrupted run's: {resumed_equal}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
