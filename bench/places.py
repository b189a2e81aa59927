#!/usr/bin/env python3
"""Score ``extract_places`` on GeoWebNews, TR-News and GeoVirus with ``shared/eval/toponym_score.py``.

Usage::

    python bench/places.py [DATA_DIR] [--corpus gwn,trnews,geovirus] [--errors OUT_DIR] [--country CN]
                           [--without-demonyms]

DATA_DIR defaults to ``../shared/data`` next to the repository.  For each corpus the
scorer writes the article texts, every text goes through ``nlp.pipe`` and
``extract_places``, the places are written as factx/1-shaped JSONL and the scorer
prints its tables.  ``--errors`` keeps the scorer's per-article error details.
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
DEFAULT_DATA = ROOT / ".." / "shared" / "data"
SCORER = ROOT / ".." / "shared" / "eval" / "toponym_score.py"
CORPORA = {
    "gwn": Path("geowebnews") / "GWN.xml",
    "trnews": Path("toponym-corpora") / "TR-News.xml",
    "geovirus": Path("toponym-corpora") / "GeoVirus.xml",
}


def run_corpus(
    name: str, gold: Path, work: Path, *, errors: Path | None, prefer: list[str], scorer: Path, without_demonyms: bool
) -> None:
    """Dump, extract and score one corpus, printing the scorer's report."""
    from factx.mentions.places import extract_places
    from factx.nlp import load_nlp

    texts_dir = work / f"{name}_txt"
    subprocess.run([sys.executable, str(scorer), str(gold), "--dump-text", str(texts_dir)], check=True,
                   stdout=subprocess.DEVNULL)
    paths = sorted(texts_dir.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    nlp = load_nlp()
    pred = work / f"{name}.jsonl"
    t0 = time.perf_counter()
    n_places = 0
    with pred.open("w", encoding="utf-8") as out:
        for path, doc in zip(paths, nlp.pipe(texts, batch_size=16)):
            places, focus = extract_places(doc, prefer_countries=prefer)
            n_places += len(places)
            record = {"source": {"id": path.name}, "places": [p.to_dict() for p in places], "focus": focus.to_dict()}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    elapsed = time.perf_counter() - t0
    print(f"== {name}: {len(paths)} articles, {n_places} places, {elapsed:.1f} s (nlp + places)", flush=True)
    cmd = [sys.executable, str(scorer), str(gold), str(pred)]
    if errors is not None:
        errors.mkdir(parents=True, exist_ok=True)
        cmd += ["--errors", str(errors / f"{name}_errors.jsonl")]
        (errors / f"{name}.jsonl").write_text(pred.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(cmd, check=True)
    if without_demonyms:
        # TR-News and GeoVirus annotate nationality words differently from GeoWebNews; this
        # shows the same run with the kind "demonym" places dropped, as a consumer may do.
        lean = work / f"{name}_no_demonyms.jsonl"
        with pred.open(encoding="utf-8") as src, lean.open("w", encoding="utf-8") as out:
            for line in src:
                record = json.loads(line)
                record["places"] = [p for p in record["places"] if p["kind"] != "demonym"]
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"-- {name} without demonym places:", flush=True)
        result = subprocess.run([sys.executable, str(scorer), str(gold), str(lean)], check=True,
                                capture_output=True, text=True)
        keep = ("exact span", "overlap span", "recognition", "acc@161km", "resolution on")
        lines = result.stdout.splitlines()
        for i, line in enumerate(lines):
            if line.strip().startswith(keep):
                print(line)
                if line.strip().startswith("acc@161km") and i + 1 < len(lines):
                    print(lines[i + 1])


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", default=",".join(CORPORA), help="comma-separated: " + ",".join(CORPORA))
    parser.add_argument("--errors", type=Path, default=None, help="folder for predictions and error details")
    parser.add_argument("--country", action="append", default=[], help="preferred country (ISO alpha-2)")
    parser.add_argument("--scorer", type=Path, default=SCORER)
    parser.add_argument("--without-demonyms", action="store_true",
                        help="also score each corpus with the demonym places dropped")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    from factx.normalize.gazetteer import load_gazetteer

    load_gazetteer()
    print(f"gazetteer load: {time.perf_counter() - t0:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.corpus.split(","):
            run_corpus(name, args.data_dir / CORPORA[name], Path(tmp), errors=args.errors,
                       prefer=args.country, scorer=args.scorer, without_demonyms=args.without_demonyms)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
