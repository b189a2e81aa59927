"""Records of factx's lean pipeline against the model's full pipeline, byte for byte, on Reuters-21578.

The lean pipeline (``factx.nlp.load_nlp()``) must give the facts of the model's own pipeline
(``load_nlp(full=True)``). This extracts the same articles with both, in this process, and compares:

- every record, serialized as ``factx extract`` writes a JSON line;
- every Doc's annotations: tag, part of speech, morphology, lemma, dependency label and head,
  sentence starts, entity type and IOB (so that a rule reading any of them later reads the same);
- with ``--long``, one text made of the first articles joined by blank lines, long enough to be
  parsed piece by piece (``chunks.py``).

``--sentences`` measures instead the case for parsing only some sentences: how many sentences (and
tokens) hold no number, no date or time and no trigger candidate of the rules in force (a lemma of
``Rules.trigger_lemmas()`` or an adjective trigger's form), and in how many texts the model's
``senter``, which would then have to set the sentence boundaries, disagrees with the parser.

Rerun it whenever the rule layer or the pipeline changes; ``--rules`` takes the same extra rules
files as ``factx extract --rules``. Exit status 1 when anything differs.

Usage:
    python bench/lean.py [--compare 1000] [--data FILE] [--rules FILE ...] [--long N] [--diff OUT]
    python bench/lean.py --sentences [--compare 1000] [--rules FILE ...]
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


NUMERIC = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL", "DATE", "TIME"})


def sentence_needs(texts: list[str], rules_files: tuple[str, ...]) -> list[str]:
    """Report lines: sentences with no number, date or trigger candidate, and senter against parser boundaries."""
    import spacy

    from factx.events import load_rules
    from factx.nlp import PARAGRAPHS, load_nlp, model_name

    rules = load_rules(rules_files)
    triggers, adjectives = rules.trigger_lemmas(), frozenset(rules.adj_index)
    nlp = load_nlp()
    sents = tokens = idle_sents = idle_tokens = 0
    parsed = []
    for doc in nlp.pipe(texts, batch_size=16):
        parsed.append([t.is_sent_start for t in doc])
        for sent in doc.sents:
            sents += 1
            tokens += len(sent)
            if not any(t.like_num or t.ent_type_ in NUMERIC or t.lemma_.lower() in triggers or t.lower_ in adjectives
                       for t in sent):
                idle_sents += 1
                idle_tokens += len(sent)
    senter = spacy.load(model_name(), exclude=["parser", "attribute_ruler", "lemmatizer", "ner"])
    senter.enable_pipe("senter")
    senter.add_pipe(PARAGRAPHS, before="senter")
    differ = 0
    for starts, doc in zip(parsed, senter.pipe(texts, batch_size=16)):
        other = [t.is_sent_start for t in doc]
        if starts[1:] != other[1:]:
            differ += 1
    return [f"sentences with no number, date or trigger candidate: {idle_sents} of {sents} "
            f"({idle_sents / sents:.1%}), holding {idle_tokens} of {tokens} tokens ({idle_tokens / tokens:.1%}); "
            f"{len(triggers)} trigger lemmas, {len(adjectives)} adjective triggers",
            f"texts whose senter sentences differ from the parser's: {differ} of {len(texts)}"]


def main(argv: list[str] | None = None) -> int:
    """Extract with both pipelines, print what differs, and return 1 if anything does."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compare", type=int, default=1000, metavar="N", help="articles to compare")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="reuters21578.jsonl.gz")
    ap.add_argument("--rules", action="append", default=[], help="extra rules file(s), as factx --rules")
    ap.add_argument("--long", type=int, default=150, metavar="N",
                    help="also compare one text joining the first N articles (0: none)")
    ap.add_argument("--diff", type=Path, help="write the differing record pairs here (JSONL)")
    ap.add_argument("--sentences", action="store_true",
                    help="measure which sentences could go unparsed, instead of comparing")
    args = ap.parse_args(argv)
    if args.sentences:
        texts = [a.text for a in articles(args.data, args.compare, 0)]
        print(f"{len(texts)} texts; {load()}", flush=True)
        print("\n".join(sentence_needs(texts, tuple(args.rules))))
        return 0

    from factx.api import Settings
    from factx.chunks import is_long
    from factx.nlp import load_nlp, one_blas_thread

    one_blas_thread()

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
