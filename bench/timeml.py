#!/usr/bin/env python3
"""Score ``extract_dates`` on a TimeML folder with the shared TempEval-3 scorer and print its table.

Usage: python bench/timeml.py [TIMEML_DIR] [--errors ERRORS.jsonl] [--pred PRED.jsonl]
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
SHARED = ROOT / ".." / "shared"
DEFAULT_DIR = SHARED / "data" / "timeml" / "tbaq"
SCORER = SHARED / "eval" / "timex_score.py"


def main(argv: list[str] | None = None) -> int:
    """Dump the texts, tag them, write predictions and run the scorer."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("timeml_dir", nargs="?", default=str(DEFAULT_DIR))
    ap.add_argument("--errors", help="write the scorer's per-document error details here")
    ap.add_argument("--pred", help="keep the prediction JSONL here")
    ap.add_argument("--scorer", default=str(SCORER))
    args = ap.parse_args(argv)

    from factx.mentions.dates import extract_dates
    from factx.nlp import load_nlp

    with tempfile.TemporaryDirectory() as tmp:
        txt_dir = Path(tmp) / "txt"
        subprocess.run(
            [sys.executable, args.scorer, args.timeml_dir, "--dump-text", str(txt_dir)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        stems = sorted(p.stem for p in txt_dir.glob("*.txt"))
        texts = [(txt_dir / f"{s}.txt").read_text(encoding="utf-8") for s in stems]
        dcts = []
        for s in stems:
            dct = txt_dir / f"{s}.dct"
            dcts.append(dct.read_text(encoding="utf-8").strip() if dct.exists() else None)
        nlp = load_nlp()
        t0 = time.perf_counter()
        pred_path = Path(args.pred) if args.pred else Path(tmp) / "pred.jsonl"
        n = 0
        with pred_path.open("w", encoding="utf-8") as out:
            for stem, dct, doc in zip(stems, dcts, nlp.pipe(texts), strict=True):
                timexes = [
                    {"start": m.start, "end": m.end, "type": m.type, "value": m.value, "text": m.text}
                    for m in extract_dates(doc, published=dct)
                ]
                n += len(timexes)
                out.write(json.dumps({"doc": stem, "timexes": timexes}) + "\n")
        elapsed = time.perf_counter() - t0
        print(f"{len(stems)} documents, {n} timexes predicted in {elapsed:.1f}s", file=sys.stderr)
        cmd = [sys.executable, args.scorer, args.timeml_dir, str(pred_path)]
        if args.errors:
            cmd += ["--errors", args.errors]
        return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())
