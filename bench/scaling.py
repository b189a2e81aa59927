"""Time and peak memory of `factx extract DIR` at 1k, 2k and 4k Reuters-21578 articles.

Linear time shows as a flat time per article; bounded memory as a flat peak RSS (of the largest
process: a worker when -j > 1). Each size is a fresh subprocess; the machine's load is printed.

Usage:
    python bench/scaling.py [--data FILE] [--sizes 1000 2000 4000] [-j N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import DEFAULT_DATA, factx_cmd, load, measure, write_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    """Run each size once and print time per article and peak memory against the smallest size."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="reuters21578.jsonl.gz")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000])
    ap.add_argument("-j", "--jobs", type=int, default=None, help="factx -j (default: factx's, the core count)")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="factx-scaling-"))
    lines = ["| articles | wall | ms/article | vs smallest | CPU | peak RSS | vs smallest | load |",
             "|---|---|---|---|---|---|---|---|"]
    first = None
    try:
        for n in sorted(args.sizes):
            folder = write_corpus(args.data, tmp / str(n), n)
            extra = ["-j", str(args.jobs)] if args.jobs else []
            run = measure(factx_cmd(str(folder), *extra))
            per = run.wall / n * 1000
            first = first or (per, run.rss)
            lines.append(f"| {n} | {run.wall:.1f} s | {per:.1f} | {per / first[0]:.2f} | {run.cpu:.1f} s | "
                         f"{run.rss:.0f} MiB | {run.rss / first[1]:.2f} | {load()} |")
            print(lines[-1], flush=True)
            shutil.rmtree(folder, ignore_errors=True)
        print()
        print("\n".join(lines))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
