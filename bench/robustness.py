"""Run factx over raw news corpora and count crashes, offset errors and schema errors (all must be zero).

Usage::

    python bench/robustness.py [DATA_DIR] [--limit N] [--corpus NAME ...] [--no-schema] [--errors OUT.jsonl]

DATA_DIR defaults to ``../shared/data`` next to the repository. The corpora:

- ``reuters``: ``corpus-reuters21578/reuters21578.jsonl.gz`` (19,035 wire stories of 1987);
- ``gva``: ``events-gva/docs.jsonl.gz`` (5,852 US local-news web articles);
- ``geowebnews``: ``geowebnews/brat/*.txt`` (200 news pages, read as files).

Each article goes through the reader as bytes (``articles_from_bytes``: decoding, date inference),
then the library (``extract_many``). For every record the script checks that each value carrying
``start``/``end`` satisfies ``text == article[start:end]`` (numbers, money, dates, places and the
events' trigger, count, agent, source, place, date and money) and validates the record against
``src/factx/data/schema.json``. ``--limit N`` takes the first N articles of each corpus; without it
the full run over ~25,000 articles takes hours on a small machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
import traceback
from importlib import resources
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
CORPORA = ("reuters", "gva", "geowebnews")


def _jsonl_gz(path: Path, *, date_key: str) -> Iterator[tuple[str, bytes, str | None]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            yield obj["id"], obj["text"].encode("utf-8"), obj.get(date_key)


def _brat(folder: Path) -> Iterator[tuple[str, bytes, str | None]]:
    for path in sorted(folder.glob("*.txt"), key=lambda p: (len(p.stem), p.stem)):
        yield f"geowebnews/{path.name}", path.read_bytes(), None


def corpus(name: str, data: Path) -> Iterator[tuple[str, bytes, str | None]]:
    """Yield ``(id, bytes, published)`` for the articles of one corpus."""
    if name == "reuters":
        return _jsonl_gz(data / "corpus-reuters21578" / "reuters21578.jsonl.gz", date_key="date")
    if name == "gva":
        return _jsonl_gz(data / "events-gva" / "docs.jsonl.gz", date_key="date")
    if name == "geowebnews":
        return _brat(data / "geowebnews" / "brat")
    raise ValueError(name)


def spans(obj, path: str = "") -> Iterator[tuple[str, dict]]:
    """Yield ``(path, value)`` for every nested dict with integer ``start``/``end``."""
    if isinstance(obj, dict):
        if isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int):
            yield path, obj
        for key, value in obj.items():
            if key != "source" or path:
                yield from spans(value, f"{path}.{key}" if path else key)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from spans(value, f"{path}[{i}]")


def offset_errors(rec: dict, text: str) -> tuple[int, list[str]]:
    """Return the number of spans checked and a description of each one that breaks the invariant."""
    checked, bad = 0, []
    for where, span in spans(rec):
        checked += 1
        start, end = span["start"], span["end"]
        if not 0 <= start <= end <= len(text):
            bad.append(f"{where}: [{start}, {end}) outside 0..{len(text)}")
        elif "text" in span and span["text"] != text[start:end]:
            bad.append(f"{where}: {span['text']!r} != article[{start}:{end}] {text[start:end]!r}")
    return checked, bad


def run(name: str, data: Path, *, limit: int | None, nlp, validator, errors_fh) -> dict:
    """Process one corpus and return its counts."""
    from factx.api import extract_article, extract_many
    from factx.errors import FactxError
    from factx.models import Article, Record
    from factx.read import Failure, articles_from_bytes

    counts = {"corpus": name, "articles": 0, "records": 0, "rejected": 0, "exceptions": 0, "spans": 0,
              "offset_errors": 0, "schema_errors": 0, "chars": 0}
    texts: dict[str, str] = {}

    def report(kind: str, art_id: str, detail: str) -> None:
        if errors_fh:
            errors_fh.write(json.dumps({"corpus": name, "id": art_id, "kind": kind, "detail": detail},
                                       ensure_ascii=False) + "\n")

    def articles() -> Iterator[Article | Failure]:
        for i, (art_id, data_bytes, published) in enumerate(corpus(name, data)):
            if limit is not None and i >= limit:
                return
            counts["articles"] += 1
            for item in articles_from_bytes(data_bytes, name=art_id, published=published):
                if isinstance(item, Article):
                    texts[item.id] = item.text
                    counts["chars"] += len(item.text)
                yield item

    def check(item, art_id: str) -> None:
        if isinstance(item, Failure):
            if isinstance(item.error, FactxError):
                counts["rejected"] += 1
                report("rejected", art_id, str(item.error))
            else:
                counts["exceptions"] += 1
                report("exception", art_id, f"{type(item.error).__name__}: {item.error}")
            return
        assert isinstance(item, Record)
        counts["records"] += 1
        rec = item.to_dict()
        n, bad = offset_errors(rec, texts.pop(item.source["id"], item.text))
        counts["spans"] += n
        counts["offset_errors"] += len(bad)
        for b in bad:
            report("offset", item.source["id"], b)
        if validator is not None:
            for err in validator.iter_errors(rec):
                counts["schema_errors"] += 1
                report("schema", item.source["id"], f"{'/'.join(map(str, err.path))}: {err.message}")

    stream = articles()
    pending: list[Article | Failure] = []
    while True:
        pending = [a for _, a in zip(range(32), stream)]
        if not pending:
            break
        try:
            for item in extract_many(pending, nlp=nlp):
                check(item, item.id if isinstance(item, Failure) else item.source["id"])
        except Exception:  # a crash inside the batch machinery: find the article by running them one by one
            for art in pending:
                if isinstance(art, Failure):
                    continue
                try:
                    check(extract_article(art, nlp=nlp), art.id)
                except Exception as exc:
                    counts["exceptions"] += 1
                    report("exception", art.id, "".join(traceback.format_exception_only(exc)).strip())
    return counts


def main(argv: list[str] | None = None) -> int:
    """Run the robustness bench and print one line of counts per corpus; exit 1 if anything broke."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", type=Path, default=DATA, help="the shared data folder")
    ap.add_argument("--limit", type=int, default=None, metavar="N", help="first N articles of each corpus")
    ap.add_argument("--corpus", action="append", choices=CORPORA, help="only these corpora (repeatable)")
    ap.add_argument("--no-schema", action="store_true", help="skip JSON Schema validation")
    ap.add_argument("--errors", type=Path, default=None, metavar="OUT.jsonl", help="write each problem found")
    args = ap.parse_args(argv)

    import jsonschema

    from factx.nlp import load_nlp

    validator = None
    if not args.no_schema:
        schema = json.loads(resources.files("factx").joinpath("data/schema.json").read_text(encoding="utf-8"))
        validator = jsonschema.validators.validator_for(schema)(schema)
    nlp = load_nlp()
    errors_fh = open(args.errors, "w", encoding="utf-8") if args.errors else None
    cols = ("corpus", "articles", "records", "rejected", "exceptions", "spans", "offset_errors", "schema_errors")
    print(" | ".join(f"{c:>13}" for c in cols) + " |       chars/s")
    total = {c: 0 for c in cols[1:]}
    try:
        for name in args.corpus or CORPORA:
            t0 = time.perf_counter()
            counts = run(name, args.data, limit=args.limit, nlp=nlp, validator=validator, errors_fh=errors_fh)
            rate = counts["chars"] / max(time.perf_counter() - t0, 1e-9)
            print(" | ".join(f"{counts[c]:>13}" for c in cols) + f" | {rate:>13,.0f}", flush=True)
            for c in cols[1:]:
                total[c] += counts[c]
    finally:
        if errors_fh:
            errors_fh.close()
    print(" | ".join(f"{v:>13}" for v in ["total", *total.values()]) + " |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB; limit {args.limit if args.limit is not None else 'none'} per corpus")
    broken = total["exceptions"] + total["offset_errors"] + total["schema_errors"]
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
