"""Records of factx's lean pipeline against the model's full pipeline, byte for byte, on Reuters-21578.

The lean pipeline (``factx.nlp.load_nlp()``) must give the facts of the model's own pipeline
(``load_nlp(full=True)``). This extracts the same articles with both, in this process, and compares:

- every record, serialized as ``factx extract`` writes a JSON line;
- every Doc's annotations: tag, part of speech, morphology, lemma, dependency label and head,
  sentence starts, entity type and IOB (so that a rule reading any of them later reads the same);
- with ``--long``, one text made of the first articles joined by blank lines, long enough to be
  parsed piece by piece (``chunks.py``).

Rerun it whenever the rule layer or the pipeline changes; ``--rules`` takes the same extra rules
files as ``factx extract --rules``. Exit status 1 when anything differs.

Usage:
    python bench/lean.py [--compare 1000] [--data FILE] [--rules FILE ...] [--long N] [--diff OUT]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import DEFAULT_DATA, load  # noqa: E402

ANNOTATIONS = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "SENT_START", "ENT_TYPE", "ENT_IOB")


def articles(data: Path, n: int, long_n: int) -> list:
    """The first ``n`` articles of the corpus, then (with ``long_n``) one text joining the first ``long_n``."""
    from factx.read import make_article

    with gzip.open(data, "rt", encoding="utf-8") as fh:
        recs = [json.loads(line) for line in islice(fh, max(n, long_n))]
    out = [make_article(r["text"], id=str(r["id"]), published=r.get("date"),
                        published_origin="metadata" if r.get("date") else None, title=r.get("title"))
           for r in recs[:n]]
    if long_n:
        text = "\n\n".join(r["text"] for r in recs[:long_n])
        out.append(make_article(text, id=f"joined-{long_n}", published=recs[0].get("date"),
                                published_origin="metadata"))
    return out


def record_lines(items: list, nlp, settings) -> tuple[list[str], float]:
    """One JSON line per article, as ``factx extract`` writes it, and the CPU seconds it took."""
    from factx.api import extract_many
    from factx.write import dumps

    start = time.process_time()
    lines = [dumps(rec.to_dict()) if hasattr(rec, "to_dict") else repr(rec)
             for rec in extract_many(items, nlp=nlp, settings=settings)]
    return lines, time.process_time() - start


def annotation_differences(texts: list[str], full, lean) -> dict[str, int]:
    """For each annotation, the number of tokens whose value differs between the two pipelines."""
    import numpy
    from spacy import attrs

    ids = [getattr(attrs, a) for a in ANNOTATIONS]
    out = dict.fromkeys(ANNOTATIONS, 0)
    out["docs"] = 0
    for a, b in zip(full.pipe(texts, batch_size=32), lean.pipe(texts, batch_size=32)):
        x, y = a.to_array(ids), b.to_array(ids)
        if x.shape != y.shape:
            out["docs"] += 1
            continue
        if not numpy.array_equal(x, y):
            out["docs"] += 1
            for name, count in zip(ANNOTATIONS, (x != y).sum(axis=0).tolist()):
                out[name] += count
    return out


def main(argv: list[str] | None = None) -> int:
    """Extract with both pipelines, print what differs, and return 1 if anything does."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compare", type=int, default=1000, metavar="N", help="articles to compare")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="reuters21578.jsonl.gz")
    ap.add_argument("--rules", action="append", default=[], help="extra rules file(s), as factx --rules")
    ap.add_argument("--long", type=int, default=150, metavar="N",
                    help="also compare one text joining the first N articles (0: none)")
    ap.add_argument("--diff", type=Path, help="write the differing record pairs here (JSONL)")
    args = ap.parse_args(argv)

    from factx.api import Settings
    from factx.chunks import is_long
    from factx.nlp import load_nlp

    settings = Settings(rules=tuple(args.rules))
    items = articles(args.data, args.compare, args.long)
    if args.long and not is_long(items[-1].text):
        print(f"note: the joined text ({len(items[-1].text)} characters) is not long enough to be cut in pieces")
    print(f"{len(items)} texts; {load()}", flush=True)
    full, lean = load_nlp(full=True), load_nlp()
    print("full pipeline:", ", ".join(full.pipe_names))
    print("lean pipeline:", ", ".join(lean.pipe_names), flush=True)
    old, t_full = record_lines(items, full, settings)
    new, t_lean = record_lines(items, lean, settings)
    differing = [(a, b) for a, b in zip(old, new) if a != b]
    print(f"records: {len(old) - len(differing)} of {len(old)} identical byte for byte "
          f"(CPU {t_full:.1f} s full, {t_lean:.1f} s lean)")
    if differing and args.diff:
        with args.diff.open("w", encoding="utf-8") as fh:
            for a, b in differing:
                fh.write(json.dumps({"full": json.loads(a), "lean": json.loads(b)}, ensure_ascii=False) + "\n")
        print(f"differing pairs written to {args.diff}")
    short = [a.text for a in items if not is_long(a.text)]
    diff = annotation_differences(short, full, lean)
    print(f"annotations: {len(short) - diff['docs']} of {len(short)} Docs identical; tokens differing: "
          + ", ".join(f"{k} {diff[k]}" for k in ANNOTATIONS))
    return 1 if differing or diff["docs"] else 0


if __name__ == "__main__":
    sys.exit(main())
