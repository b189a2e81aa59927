"""Score factx numbers and money on NewsQuant and the Recognizers-Text unit sets.

Usage::

    python bench/quantities.py [NEWSQUANT_DIR] [--errors OUT.jsonl] [--keep DIR]

NEWSQUANT_DIR defaults to ``../shared/data/newsquant`` next to the repository.  For each
gold file the script dumps the sentences with the shared scorer, runs the library on
them (``load_nlp`` + ``nlp.pipe`` + ``extract_quantities``), writes factx/1-shaped JSONL
and prints the scorer's table.  Ordinals are never reported by the library, so nothing
is filtered here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "newsquant"
SCORER = ROOT / ".." / "shared" / "eval" / "quantity_score.py"
SETS = ("NewsQuant.json", "recognizers-text/currency-model.json", "recognizers-text/dimension-model.json",
        "recognizers-text/temperature-model.json", "recognizers-text/age-model.json")


def _date_finder(use: bool = True):
    """The dates layer when it is importable, else None (dates=() is passed)."""
    if not use:
        return None
    try:
        from factx.mentions.dates import extract_dates  # type: ignore[import-not-found]
    except ImportError:
        return None
    return extract_dates


def run_set(gold: Path, workdir: Path, *, errors: Path | None = None, use_dates: bool = True) -> str:
    """Dump, extract, score one gold file; return the scorer's report."""
    from factx.mentions.quantities import extract_quantities
    from factx.nlp import load_nlp

    txt = workdir / "txt"
    subprocess.run([sys.executable, str(SCORER), str(gold), "--dump-text", str(txt)], check=True,
                   stdout=subprocess.DEVNULL)
    files = sorted(txt.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    nlp = load_nlp()
    find_dates = _date_finder(use_dates)
    pred = workdir / "pred.jsonl"
    t0 = time.perf_counter()
    with pred.open("w", encoding="utf-8") as fh:
        for f, doc in zip(files, nlp.pipe(texts), strict=True):
            dates = find_dates(doc, published=None) if find_dates is not None else ()
            numbers, money = extract_quantities(doc, dates=dates)
            rec = {"schema": "factx/1", "source": {"id": f.name}, "numbers": [n.to_dict() for n in numbers],
                   "money": [m.to_dict() for m in money]}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    elapsed = time.perf_counter() - t0
    cmd = [sys.executable, str(SCORER), str(gold), str(pred), "--quiet-warnings"]
    if errors is not None:
        cmd += ["--errors", str(errors)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    dates_note = "dates layer" if find_dates is not None else "dates=()"
    return f"{out.rstrip()}\n({len(files)} sentences, {elapsed:.1f}s, {dates_note})"


def main(argv: list[str] | None = None) -> int:
    """Run every set found under the data directory and print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", default=str(DATA), help="the newsquant data directory")
    ap.add_argument("--errors", metavar="OUT", help="write NewsQuant pairing details (JSONL) to OUT")
    ap.add_argument("--only-newsquant", action="store_true", help="skip the Recognizers-Text sets")
    ap.add_argument("--no-dates", action="store_true", help="pass dates=() even when the dates layer exists")
    args = ap.parse_args(argv)
    data = Path(args.data)
    sets = SETS[:1] if args.only_newsquant else SETS
    for name in sets:
        gold = data / name
        if not gold.exists():
            print(f"{name}: not found under {data}, skipped", file=sys.stderr)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            err = Path(args.errors) if args.errors and name == SETS[0] else None
            print(f"== {name}")
            print(run_set(gold, Path(tmp), errors=err, use_dates=not args.no_dates))
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
