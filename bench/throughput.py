"""Speed and memory of `factx extract` against bare spaCy on the same Reuters-21578 texts, in one run.

Every figure is a whole-process measurement of a fresh subprocess (wall time, CPU time, peak RSS from
``wait4``), and each factx run is alternated with its baseline so that load from other jobs on the
machine falls on both sides. Printed ratios (targets from the batch issue):

- throughput: ``factx extract DIR -j 1`` vs a bare ``nlp.pipe`` over the same texts (<= 1.10)
- parallel: ``-j 2`` vs ``-j 1`` on ``--jobs-n`` articles (speed-up >= 1.7 on 2 cores)
- cold start: ``factx extract one.txt`` vs ``spacy.load`` + one parse (<= 1.2)
- memory: peak RSS of the largest factx process (a worker with -j 2) vs the bare process (<= 1.2)

Usage:
    python bench/throughput.py [--data FILE] [--n 300] [--jobs-n 1000] [--repeats 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

DEFAULT_DATA = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "corpus-reuters21578"
                / "reuters21578.jsonl.gz")

BARE_PIPE = """
import sys
from pathlib import Path
import spacy
nlp = spacy.load(sys.argv[1])
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[2]).rglob("*.txt"))]
for doc in nlp.pipe(texts, batch_size=32):
    pass
"""

BARE_ONE = """
import sys
from pathlib import Path
import spacy
nlp = spacy.load(sys.argv[1])
nlp(Path(sys.argv[2]).read_text(encoding="utf-8"))
"""


@dataclass(frozen=True)
class Run:
    """One measured process: wall seconds, CPU seconds (with its children) and peak RSS in MiB."""

    wall: float
    cpu: float
    rss: float


def measure(cmd: list[str]) -> Run:
    """Run ``cmd`` to completion and return its wall time, CPU time and peak RSS (largest process in its tree)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 counts the process and every descendant it waited for: with -j N, the workers too.
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[:4]} failed ({proc.returncode}): {err[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def write_corpus(data: Path, folder: Path, n: int, *, skip: int = 0) -> Path:
    """Write ``n`` articles of the corpus as text files in ``folder``; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(data, "rt", encoding="utf-8") as fh:
        for line in islice(fh, skip, skip + n):
            rec = json.loads(line)
            (folder / f"{rec['id']}.txt").write_text(rec["text"], encoding="utf-8")
    return folder


def factx_cmd(*args: str) -> list[str]:
    """The command line of the installed ``factx``, run with this interpreter."""
    return [sys.executable, "-m", "factx", "extract", *args, "-q"]


def alternate(cmds: list[list[str]], repeats: int) -> list[list[Run]]:
    """Run the commands in turn ``repeats`` times, rotating which goes first, and return each one's runs."""
    runs: list[list[Run]] = [[] for _ in cmds]
    for i in range(repeats):
        for k in range(len(cmds)):
            j = (k + i) % len(cmds)
            runs[j].append(measure(cmds[j]))
    return runs


def median(runs: list[Run], attr: str) -> float:
    """Median of one attribute over runs."""
    return statistics.median(getattr(r, attr) for r in runs)


def row(name: str, mine: list[Run], base: list[Run], attr: str, target: str, *, invert: bool = False) -> str:
    """One table line: medians, their ratio and the target."""
    m, b = median(mine, attr), median(base, attr)
    ratio = b / m if invert else m / b
    unit = {"wall": "s", "cpu": "s", "rss": "MiB"}[attr]
    return f"| {name} | {m:.2f} {unit} | {b:.2f} {unit} | {ratio:.2f} | {target} |"


def load() -> str:
    """The 1-minute load average and core count, to say how busy the machine was."""
    return f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> None:
    """Build the corpora, run the alternated measurements and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="reuters21578.jsonl.gz")
    ap.add_argument("--n", type=int, default=300, help="articles for the -j 1 vs bare comparison")
    ap.add_argument("--jobs-n", type=int, default=1000, help="articles for the -j 2 vs -j 1 comparison")
    ap.add_argument("--repeats", type=int, default=2, help="alternated rounds per comparison")
    ap.add_argument("--skip", nargs="*", default=[], choices=["throughput", "parallel", "cold"])
    args = ap.parse_args(argv)

    from factx.nlp import model_name

    model = model_name()
    tmp = Path(tempfile.mkdtemp(prefix="factx-bench-"))
    lines = ["| measure | factx | baseline | ratio | target |", "|---|---|---|---|---|"]
    try:
        print(f"model {model}; {load()} at start", flush=True)
        if "throughput" not in args.skip:
            small = write_corpus(args.data, tmp / "small", args.n)
            mine, bare, two = alternate([factx_cmd(str(small), "-j", "1"),
                                         [sys.executable, "-c", BARE_PIPE, model, str(small)],
                                         factx_cmd(str(small), "-j", "2")], args.repeats)
            lines.append(row(f"{args.n} articles, -j 1 vs bare nlp.pipe: wall", mine, bare, "wall", "<= 1.10"))
            lines.append(row(f"{args.n} articles, -j 1 vs bare nlp.pipe: CPU", mine, bare, "cpu", "(info)"))
            lines.append(row(f"{args.n} articles, -j 1 vs bare: peak RSS", mine, bare, "rss", "<= 1.2"))
            lines.append(row(f"{args.n} articles, -j 2 largest worker vs bare: peak RSS", two, bare, "rss", "<= 1.2"))
            print(*lines[-4:], sep="\n", flush=True)
        if "parallel" not in args.skip:
            big = write_corpus(args.data, tmp / "big", args.jobs_n)
            j2, j1 = alternate([factx_cmd(str(big), "-j", "2"), factx_cmd(str(big), "-j", "1")], args.repeats)
            lines.append(row(f"{args.jobs_n} articles, -j 2 vs -j 1: speed-up (wall)", j2, j1, "wall", ">= 1.7",
                             invert=True))
            lines.append(row(f"{args.jobs_n} articles, -j 2 vs -j 1: CPU", j2, j1, "cpu", "(info)"))
            print(*lines[-2:], sep="\n", flush=True)
        if "cold" not in args.skip:
            path = next(write_corpus(args.data, tmp / "one", 1).glob("*.txt"))
            cold, bare = alternate([factx_cmd(str(path)), [sys.executable, "-c", BARE_ONE, model, str(path)]],
                                   max(3, args.repeats))
            lines.append(row("cold start, one article vs spacy.load + one parse: wall", cold, bare, "wall", "<= 1.2"))
            lines.append(row("cold start: CPU", cold, bare, "cpu", "(info)"))
            lines.append(row("cold start: peak RSS", cold, bare, "rss", "(info)"))
            print(*lines[-3:], sep="\n", flush=True)
        print(f"\n{load()} at end\n")
        print("\n".join(lines))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
