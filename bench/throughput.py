"""Speed and memory of `factx extract` against bare spaCy on the same Reuters-21578 texts, in one run.

Every figure is a whole-process measurement of a fresh subprocess (wall time, CPU time, peak RSS from
``wait4``), and each factx run is alternated with its baseline so that load from other jobs on the
machine falls on both sides. Printed ratios and their targets:

- throughput: ``factx extract DIR -j 1`` vs a bare ``nlp.pipe`` over the same texts (<= 0.80), and
  vs the same bare ``nlp.pipe`` with numpy's BLAS started on one thread, as factx starts it (info)
- parallel: ``-j 2`` vs ``-j 1`` on ``--jobs-n`` articles (speed-up >= 1.7 on 2 cores)
- cold start: ``factx extract one.txt`` vs ``spacy.load`` + one parse (<= 1.1)
- memory: peak RSS of the largest factx process (a worker with -j 2) vs the bare process (<= 1.2)
- components: CPU time of each pipeline component (``nlp.pipeline``, each component's ``pipe``
  timed over the same texts, in this process) for the model's full pipeline and for factx's lean
  one (``factx.nlp``), alternated, medians

Both sides run as from installed packages, with byte-compiled modules: the factx package is
byte-compiled once before the measurements (as pip does when it installs a wheel) and
``PYTHONDONTWRITEBYTECODE`` is dropped for the measured processes. Otherwise an editable install
under ``PYTHONDONTWRITEBYTECODE=1`` compiles every factx module in every process, about 0.1 s of
CPU that spaCy, compiled at its installation, never pays.

``--rules`` measures instead, in this process, the CPU time of each stage of the rule layer
(dates, quantities, places, events) on the same texts parsed once, against the CPU time of that
parse; ``--dump FILE`` also writes each article's numbers, money, dates, places and focus as JSON
lines, to check that a change to the rule layer leaves its output as it was.

Usage:
    python bench/throughput.py [--data FILE] [--n 300] [--jobs-n 1000] [--repeats 2]
    python bench/throughput.py --rules [--n 300] [--repeats 3] [--dump FILE]
    python bench/throughput.py --components [--n 300] [--repeats 3]
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

# The same, with numpy's BLAS started on one thread as factx starts it: how much of the gap that setting makes.
BARE_PIPE_ONE_THREAD = """
import os
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")
""" + BARE_PIPE

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


def bench_env() -> dict[str, str]:
    """The environment of measured processes: byte-code is read (and written) as for an installed package."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_factx(env: dict[str, str]) -> None:
    """Byte-compile the factx package once, as pip does when it installs a wheel."""
    import factx

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(factx.__file__).parent)],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def measure(cmd: list[str], *, env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` to completion and return its wall time, CPU time and peak RSS (largest process in its tree)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
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


def alternate(cmds: list[list[str]], repeats: int, *, env: dict[str, str] | None = None) -> list[list[Run]]:
    """Run the commands in turn ``repeats`` times, rotating which goes first, and return each one's runs."""
    runs: list[list[Run]] = [[] for _ in cmds]
    for i in range(repeats):
        for k in range(len(cmds)):
            j = (k + i) % len(cmds)
            runs[j].append(measure(cmds[j], env=env))
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


def rule_layer(data: Path, n: int, repeats: int, dump: Path | None = None) -> list[str]:
    """CPU ms per article of parsing and of each rule stage over ``n`` articles (best of ``repeats``); table lines."""
    from factx.events import build_events, load_rules
    from factx.mentions.dates import extract_dates
    from factx.mentions.places import extract_places
    from factx.mentions.quantities import extract_quantities
    from factx.nlp import load_nlp, one_blas_thread

    one_blas_thread()
    with gzip.open(data, "rt", encoding="utf-8") as fh:
        recs = [json.loads(line) for line in islice(fh, n)]
    nlp = load_nlp()
    texts = [r["text"] for r in recs]
    list(nlp.pipe(texts[:20]))  # the first batch pays for lazy initialisation
    start = time.process_time()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.process_time() - start
    stages = ("dates", "quantities", "places", "events")
    best = dict.fromkeys(stages, float("inf"))
    out: list[dict] = []
    for round_ in range(repeats + 1):  # the first round fills the word caches and is not counted
        spent = dict.fromkeys(stages, 0.0)
        out = []
        # Fresh copies: what the finders keep per Doc must not carry over from one round to the next.
        for rec, doc in zip(recs, [d.copy() for d in docs]):
            t0 = time.process_time()
            dates = extract_dates(doc, published=rec.get("date"))
            t1 = time.process_time()
            numbers, money = extract_quantities(doc, dates=dates)
            t2 = time.process_time()
            places, focus = extract_places(doc)
            t3 = time.process_time()
            build_events(doc, numbers=numbers, money=money, dates=dates, places=places, focus=focus,
                         published=rec.get("date"), rules=load_rules(()))
            t4 = time.process_time()
            for stage, t in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                spent[stage] += t
            out.append({"id": rec["id"], "numbers": [m.to_dict() for m in numbers],
                        "money": [m.to_dict() for m in money], "dates": [m.to_dict() for m in dates],
                        "places": [m.to_dict() for m in places], "focus": focus.to_dict()})
        if round_ > 0:
            best = {k: min(best[k], spent[k]) for k in stages}
    if dump is not None:
        with dump.open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(rec, sort_keys=True) + "\n" for rec in out)
    per = 1000 / len(docs)
    lines = ["| stage | CPU ms/article | vs parse |", "|---|---|---|",
             f"| parse (nlp.pipe) | {parse * per:.2f} | 1.00 |"]
    lines += [f"| {k} | {best[k] * per:.2f} | {best[k] / parse:.3f} |" for k in stages]
    total = sum(best.values())
    lines.append(f"| rule layer | {total * per:.2f} | {total / parse:.3f} |")
    return lines


def component_times(nlp, texts: list[str], batch_size: int = 32) -> dict[str, float]:
    """CPU seconds of the tokenizer and of each enabled component's ``pipe`` over ``texts``, in pipeline order."""
    from spacy.util import minibatch

    times = {}
    start = time.process_time()
    docs = [nlp.make_doc(t) for t in texts]
    times["tokenizer"] = time.process_time() - start
    for name, proc in nlp.pipeline:
        start = time.process_time()
        out = []
        for batch in minibatch(docs, batch_size):
            out.extend(proc.pipe(batch, batch_size=batch_size) if hasattr(proc, "pipe") else map(proc, batch))
        docs = out
        times[name] = time.process_time() - start
    return times


def components(data: Path, n: int, repeats: int) -> list[str]:
    """Per-component CPU ms per article and share, full pipeline vs lean, alternated ``repeats`` times; table lines."""
    from factx.nlp import load_nlp, one_blas_thread

    one_blas_thread()  # as in a factx process; the full pipeline multiplies with blis and is not affected

    with gzip.open(data, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in islice(fh, n)]
    paths = {"full": load_nlp(full=True), "lean": load_nlp()}
    for nlp in paths.values():
        list(nlp.pipe(texts[:20]))  # the first batch pays for lazy initialisation
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in paths}
    for i in range(repeats):
        for name in (list(paths) if i % 2 == 0 else list(paths)[::-1]):
            runs[name].append(component_times(paths[name], texts))
    med = {name: {c: statistics.median(r[c] for r in rs) for c in rs[0]} for name, rs in runs.items()}
    full_total = sum(med["full"].values())
    names = list(dict.fromkeys([*med["full"], *med["lean"]]))
    per = 1000 / len(texts)
    lines = ["| component | full: CPU ms/article | share | lean: CPU ms/article | share |", "|---|---|---|---|---|"]
    for c in names:
        cells = []
        for path in ("full", "lean"):
            t = med[path].get(c)
            total = sum(med[path].values())
            cells.append(f"{t * per:.2f} | {t / total:.0%}" if t is not None else "- | -")
        lines.append(f"| {c} | {' | '.join(cells)} |")
    lean_total = sum(med["lean"].values())
    lines.append(f"| total | {full_total * per:.2f} | 100% | {lean_total * per:.2f} | "
                 f"{lean_total / full_total:.0%} of full |")
    return lines


def main(argv: list[str] | None = None) -> None:
    """Build the corpora, run the alternated measurements and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="reuters21578.jsonl.gz")
    ap.add_argument("--n", type=int, default=300, help="articles for the -j 1 vs bare comparison")
    ap.add_argument("--jobs-n", type=int, default=1000, help="articles for the -j 2 vs -j 1 comparison")
    ap.add_argument("--repeats", type=int, default=2, help="alternated rounds per comparison")
    ap.add_argument("--skip", nargs="*", default=[], choices=["throughput", "parallel", "cold", "components"])
    ap.add_argument("--components", action="store_true", help="only the per-component breakdown, in this process")
    ap.add_argument("--rules", action="store_true", help="time the rule layer's stages in this process instead")
    ap.add_argument("--dump", type=Path, help="with --rules: write every article's mentions here (JSONL)")
    args = ap.parse_args(argv)
    if args.rules:
        print(f"{args.n} articles; {load()}", flush=True)
        print("\n".join(rule_layer(args.data, args.n, max(args.repeats, 3), args.dump)))
        return
    if args.components:
        print(f"{args.n} articles; {load()}", flush=True)
        print("\n".join(components(args.data, args.n, max(args.repeats, 3))))
        return

    from factx.nlp import model_name

    model = model_name()
    tmp = Path(tempfile.mkdtemp(prefix="factx-bench-"))
    env = bench_env()
    compile_factx(env)
    lines = ["| measure | factx | baseline | ratio | target |", "|---|---|---|---|---|"]
    try:
        print(f"model {model}; {load()} at start", flush=True)
        if "throughput" not in args.skip:
            small = write_corpus(args.data, tmp / "small", args.n)
            mine, bare, two, bare1 = alternate([factx_cmd(str(small), "-j", "1"),
                                                [sys.executable, "-c", BARE_PIPE, model, str(small)],
                                                factx_cmd(str(small), "-j", "2"),
                                                [sys.executable, "-c", BARE_PIPE_ONE_THREAD, model, str(small)]],
                                               args.repeats, env=env)
            lines.append(row(f"{args.n} articles, -j 1 vs bare nlp.pipe: wall", mine, bare, "wall", "<= 0.80"))
            lines.append(row(f"{args.n} articles, -j 1 vs bare nlp.pipe: CPU", mine, bare, "cpu", "(info)"))
            lines.append(row(f"{args.n} articles, -j 1 vs bare nlp.pipe with one BLAS thread: wall", mine, bare1,
                             "wall", "(info)"))
            lines.append(row(f"{args.n} articles, -j 1 vs bare nlp.pipe with one BLAS thread: CPU", mine, bare1,
                             "cpu", "(info)"))
            lines.append(row(f"{args.n} articles, -j 1 vs bare: peak RSS", mine, bare, "rss", "<= 1.2"))
            lines.append(row(f"{args.n} articles, -j 2 largest worker vs bare: peak RSS", two, bare, "rss", "<= 1.2"))
            print(*lines[-6:], sep="\n", flush=True)
        if "parallel" not in args.skip:
            big = write_corpus(args.data, tmp / "big", args.jobs_n)
            j2, j1 = alternate([factx_cmd(str(big), "-j", "2"), factx_cmd(str(big), "-j", "1")], args.repeats,
                               env=env)
            lines.append(row(f"{args.jobs_n} articles, -j 2 vs -j 1: speed-up (wall)", j2, j1, "wall", ">= 1.7",
                             invert=True))
            lines.append(row(f"{args.jobs_n} articles, -j 2 vs -j 1: CPU", j2, j1, "cpu", "(info)"))
            print(*lines[-2:], sep="\n", flush=True)
        if "cold" not in args.skip:
            path = next(write_corpus(args.data, tmp / "one", 1).glob("*.txt"))
            cold, bare = alternate([factx_cmd(str(path)), [sys.executable, "-c", BARE_ONE, model, str(path)]],
                                   max(3, args.repeats), env=env)
            lines.append(row("cold start, one article vs spacy.load + one parse: wall", cold, bare, "wall", "<= 1.1"))
            lines.append(row("cold start: CPU", cold, bare, "cpu", "(info)"))
            lines.append(row("cold start: peak RSS", cold, bare, "rss", "(info)"))
            print(*lines[-3:], sep="\n", flush=True)
        print(f"\n{load()} at end\n")
        print("\n".join(lines))
        if "components" not in args.skip:
            print(f"\nper component, {args.n} articles; {load()}", flush=True)
            print("\n".join(components(args.data, args.n, max(args.repeats, 3))))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
