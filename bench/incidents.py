"""Time and peak memory of `factx incidents` at 10k, 100k and 1M event records.

The records are synthetic, made from real ones: the factx/1 records of the GVA articles (extracted once
with `factx extract`) are copied again and again, each copy under a new source id, with its dates moved by
a hundred days a copy and its places moved to another region, so that the copies are other happenings
in other blocks, as a growing news archive would be. Each size runs in its own process (the grouping from
a JSONL file, as the command does), and its peak RSS is read from the kernel when it ends.

    python bench/incidents.py --facts facts.jsonl                # 10k, 100k, 1M event records
    python bench/incidents.py --facts facts.jsonl --sizes 10000 100000

The facts file is made with
    python ../shared/eval/incident_score.py --dump-text /tmp/gi/all --pool all
    factx extract /tmp/gi/all/articles.jsonl -o facts.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GVA = ROOT.parent / "shared" / "data" / "events-gva" / "docs.jsonl.gz"
DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def shift_value(value, days: int):
    """A TIMEX3 value (or ISO date) moved by ``days``; other values as they are."""
    if not isinstance(value, str):
        return value
    m = DAY.match(value)
    if not m:
        return value
    try:
        d = dt.date(int(m[1]), int(m[2]), int(m[3])) + dt.timedelta(days=days)
    except ValueError:
        return value
    return d.isoformat() + value[10:]


def copy_record(rec: dict, k: int) -> dict:
    """The k-th copy of a record: a new source id, dates moved by 100*k days, places in region k."""
    out = json.loads(json.dumps(rec))
    out["source"]["id"] = f"{rec['source']['id']}~{k}"
    days = 100 * k  # beyond every window in which two reports may join

    def move(obj):
        if isinstance(obj, dict):
            for key in ("value",):
                if key in obj and isinstance(obj[key], str):
                    obj[key] = shift_value(obj[key], days)
            if isinstance(obj.get("admin1"), str):
                obj["admin1"] = f"{obj['admin1']}~{k % 500}"
            if isinstance(obj.get("country"), str) and k:
                obj["country"] = f"{obj['country']}{k // 500}" if k >= 500 else obj["country"]
            for v in obj.values():
                move(v)
        elif isinstance(obj, list):
            for v in obj:
                move(v)

    move(out)
    out.pop("text", None)
    return out


def make_input(facts: Path, events: int, path: Path) -> int:
    """Write copies of the real records until they hold ``events`` event records; return the number of records."""
    base = [json.loads(line) for line in facts.open(encoding="utf-8") if line.strip()]
    base = [r for r in base if r.get("events")]
    n_events = n_records = 0
    k = 0
    with path.open("w", encoding="utf-8") as fh:
        while n_events < events:
            for rec in base:
                if n_events >= events:
                    break
                fh.write(json.dumps(copy_record(rec, k), ensure_ascii=False) + "\n")
                n_events += len(rec["events"])
                n_records += 1
            k += 1
    return n_records


def run_one(path: Path, out: Path) -> dict:
    """Group one input in a child process; return its wall time, the grouping time (reading and grouping,
    after the event inventory is loaded), and its peak RSS."""
    code = ("import sys, time; from factx.incidents import IncidentGrouper, iter_records, write_incidents\n"
            "g = IncidentGrouper(); t = time.perf_counter()\n"
            "for r in iter_records([sys.argv[1]]): g.add(r)\n"
            "inc = g.incidents()\n"
            "with open(sys.argv[2], 'w') as fh: n = write_incidents(inc, fh)\n"
            "print(time.perf_counter() - t, n, len(g.units))")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), str(out)], stdout=subprocess.PIPE, env=env,
                            text=True)
    stdout = proc.stdout.read()
    # wait4 gives this child's own resource use (its peak RSS), not the largest of all children so far.
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"the grouping of {path} failed (status {status})")
    inner, incidents, units = stdout.split()
    return {"wall_s": wall, "group_s": float(inner), "incidents": int(incidents), "units": int(units),
            "peak_mib": usage.ru_maxrss / 1024}


def extract_gva(gva: Path, n: int, out: Path) -> Path:
    """Extract the first ``n`` GVA articles (by id) into factx/1 JSONL; return its path."""
    import gzip

    sys.path.insert(0, str(ROOT / "src"))
    from factx import extract_many
    from factx.models import Article

    with gzip.open(gva, "rt", encoding="utf-8") as fh:
        docs = sorted((json.loads(line) for line in fh if line.strip()), key=lambda d: d["id"])[:n]
    articles = [Article(id=d["id"], text=d["text"], published=(d.get("date") or None), title=d.get("title"))
                for d in docs]
    with out.open("w", encoding="utf-8") as fh:
        for rec in extract_many(articles):
            if hasattr(rec, "to_dict"):
                fh.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")
    return out


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print one row per size."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--facts", type=Path, default=None,
                    help="factx/1 JSONL of real articles (default: extract --articles GVA articles now)")
    ap.add_argument("--gva", type=Path, default=GVA, help="the GVA articles (docs.jsonl.gz) to extract from")
    ap.add_argument("--articles", type=int, default=300, help="how many GVA articles to extract without --facts")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000], help="event records")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="factx-bench-") as tmp:
        facts = args.facts or extract_gva(args.gva, args.articles, Path(tmp) / "facts.jsonl")
        for size in args.sizes:
            src = Path(tmp) / f"in-{size}.jsonl"
            records = make_input(facts, size, src)
            row = run_one(src, Path(tmp) / f"out-{size}.jsonl")
            row.update(events=size, records=records, input_mib=src.stat().st_size / 2**20)
            rows.append(row)
            src.unlink()
            print(f"{size:>9,} events {records:>8,} records {row['units']:>8,} article incidents "
                  f"{row['incidents']:>8,} incidents  wall {row['wall_s']:8.1f} s  grouping {row['group_s']:8.1f} s  "
                  f"peak {row['peak_mib']:7.0f} MiB  ({row['input_mib']:.0f} MiB input)", flush=True)
    for a, b in zip(rows, rows[1:]):
        per_a, per_b = a["group_s"] / a["events"], b["group_s"] / b["events"]
        print(f"time per event record, {b['events']:,} vs {a['events']:,}: {per_b / per_a:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
