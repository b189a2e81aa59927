#!/usr/bin/env python3
"""Score factx event records on the seed article, WikiEvents, Gun Violence Archive articles, IndiaPoliceEvents,
and count violent or arrest events on peaceful economic news.

Usage::

    python bench/events.py [--sample N] [--seed S] [--errors OUT_DIR] [--rules FILE] [--peaceful N]
                           [--only seed,wikievents,gva,indiapolice,peaceful] [--india-docs N] [DATA_DIR]

DATA_DIR defaults to ``../shared/data`` next to the repository; the scorers are read from the
``eval`` folder beside it. The run:

- **seed**: ``event_score.py seed`` writes the reference article, factx extracts it with its
  publication date, and the scorer prints its table.
- **gva**: ``event_score.py gva --sample N --seed S`` writes the sampled articles with their
  ``.meta.json``; ``make_articles.py`` turns them into JSONL with the publication dates; the texts
  go through ``factx.extract_many`` and the scorer prints its table.
- **wikievents**: ``wikievents_score.py`` writes the WikiEvents dev documents, factx extracts them and the
  scorer prints trigger recall and precision by KAIROS type and the accuracy of event places.
- **peaceful**: the first N Reuters-21578 stories tagged only with economic topics; the share of them that
  get an event of a violent type or an arrest (a proxy: some of these stories do mention violence).
- **indiapolice**: every document of ``events-indiapolice`` goes through ``factx.extract_many`` with
  its date. Each event is placed in the labelled sentence that holds its trigger, and a sentence is
  predicted positive for a label when it holds a non-negated event of the mapped types (for KILL and
  FORCE, an event whose agent names the police: "police shot dead two", "killed in police firing").
  Precision, recall and F1 are printed per label (sentence level) and per document.

``--errors OUT_DIR`` keeps the predictions, the gva scorer's per-article details and the
indiapolice false positives and misses as JSONL.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / ".." / "shared" / "data"

# IndiaPoliceEvents labels answer "did the police ...?": the event types that say so, and whether
# the police must be named as the event's agent for the label.
INDIA_LABELS = {
    "KILL": ({"kill"}, True),
    "ARREST": ({"arrest", "detain"}, False),
    "FORCE": ({"kill", "injure", "shooting", "attack"}, True),
}
# Reference row: a kill event by anyone (the corpus is about riots, so most killings are not by police).
INDIA_REFERENCE = {"KILL (any agent)": ("KILL", {"kill"}, False)}
POLICE = re.compile(r"\b(police\w*|cops?|constables?|jawans?|security forces?|troops?|army|crpf|srp|rapid action "
                    r"force|paramilitary|sub-inspector|inspector|officers?|personnel)\b", re.I)


def _run(cmd: list[str], *, quiet: bool = False) -> str:
    res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    if not quiet:
        print(res.stdout, end="", flush=True)
    return res.stdout


def _extract(articles: Iterable[Any], out: Path, *, rules: tuple[str, ...]) -> tuple[list[dict], float]:
    """Run the library over articles and write the records as JSONL; return them and the elapsed seconds."""
    import factx
    from factx.read import Failure

    settings = factx.Settings(rules=rules)
    t0 = time.perf_counter()
    records = []
    with out.open("w", encoding="utf-8") as fp:
        for rec in factx.extract_many(articles, settings=settings):
            if isinstance(rec, Failure):
                print(f"warning: {rec.id} failed: {rec.error}", file=sys.stderr)
                continue
            d = rec.to_dict()
            records.append(d)
            fp.write(json.dumps(d, ensure_ascii=False) + "\n")
    return records, time.perf_counter() - t0


def _articles_jsonl(path: Path) -> list[Any]:
    from factx.read import make_article

    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        out.append(make_article(obj["text"], id=obj["id"], published=obj.get("published"),
                                published_origin="metadata" if obj.get("published") else None,
                                title=obj.get("title")))
    return out


def run_seed(eval_dir: Path, work: Path, *, rules: tuple[str, ...]) -> None:
    """Extract the seed article and print ``event_score.py seed``."""
    scorer = str(eval_dir / "event_score.py")
    dump = work / "seed_txt"
    _run([sys.executable, scorer, "seed", "--dump-text", str(dump)], quiet=True)
    meta = json.loads(next(dump.glob("*.meta.json")).read_text(encoding="utf-8"))
    from factx.read import make_article

    text = next(dump.glob("*.txt")).read_text(encoding="utf-8")
    article = make_article(text, id=f"{meta['id']}.txt", published=meta.get("published"), published_origin="option")
    pred = work / "seed.jsonl"
    _extract([article], pred, rules=rules)
    print("== seed", flush=True)
    _run([sys.executable, scorer, "seed", str(pred)])


def run_gva(eval_dir: Path, data_dir: Path, work: Path, *, sample: int, seed: int, errors: Path | None,
            rules: tuple[str, ...]) -> None:
    """Extract a gva sample with its publication dates and print ``event_score.py gva``."""
    scorer = str(eval_dir / "event_score.py")
    gva_data = data_dir / "events-gva"
    dump = work / "gva_txt"
    opts = ["--data", str(gva_data), "--sample", str(sample), "--seed", str(seed)]
    _run([sys.executable, scorer, "gva", *opts, "--dump-text", str(dump)], quiet=True)
    jsonl = work / "gva_articles.jsonl"
    _run([sys.executable, str(eval_dir / "make_articles.py"), str(dump), str(jsonl)], quiet=True)
    pred = (errors or work) / "gva_pred.jsonl"
    records, secs = _extract(_articles_jsonl(jsonl), pred, rules=rules)
    print(f"== gva: {len(records)} articles extracted in {secs:.0f} s", flush=True)
    cmd = [sys.executable, scorer, "gva", str(pred), *opts, "--quiet-warnings"]
    if errors is not None:
        cmd += ["--errors", str(errors / "gva_errors.jsonl")]
    _run(cmd)


def _read_gz(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fp:
        return [json.loads(line) for line in fp]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 100 * p, 100 * r, (200 * p * r / (p + r) if p + r else 0.0)


def india_predictions(record: dict, sentences: list[dict], doc_text: str) -> list[set[str]]:
    """Return, per labelled sentence, the labels its events give (KILL, ARREST, ... and reference rows)."""
    spans = []
    pos = 0
    for s in sentences:
        i = doc_text.find(s["sent_text"], pos)
        i = pos if i < 0 else i
        spans.append((i, i + len(s["sent_text"])))
        pos = i + len(s["sent_text"])
    out: list[set[str]] = [set() for _ in sentences]
    for ev in record["events"]:
        if ev.get("negated"):
            continue
        at = ev["trigger"]["start"]
        k = next((j for j, (a, b) in enumerate(spans) if a <= at < b), None)
        if k is None:
            continue
        by_police = bool(ev.get("agent") and POLICE.search(ev["agent"]["text"]))
        for label, (types, needs_police) in INDIA_LABELS.items():
            if ev["type"] in types and (by_police or not needs_police):
                out[k].add(label)
        for name, (_, types, needs_police) in INDIA_REFERENCE.items():
            if ev["type"] in types and (by_police or not needs_police):
                out[k].add(name)
    return out


def run_indiapolice(data_dir: Path, work: Path, *, errors: Path | None, limit: int | None,
                    rules: tuple[str, ...]) -> None:
    """Extract every IndiaPoliceEvents document and print sentence- and document-level P/R/F1 per label."""
    from factx.read import make_article

    folder = data_dir / "events-indiapolice"
    docs = _read_gz(folder / "docs.jsonl.gz")
    meta = {m["doc_id"]: m for m in _read_gz(folder / "metadata.jsonl.gz")}
    by_doc: dict[int, list[dict]] = {}
    for s in _read_gz(folder / "sents.jsonl.gz"):
        by_doc.setdefault(s["doc_id"], []).append(s)
    docs = docs[:limit] if limit else docs
    articles = [make_article(d["doc_text"], id=str(d["doc_id"]), published=meta[d["doc_id"]]["date"],
                             published_origin="metadata") for d in docs]
    pred = (errors or work) / "indiapolice_pred.jsonl"
    records, secs = _extract(articles, pred, rules=rules)
    print(f"== indiapolice: {len(records)} documents, "
          f"{sum(len(by_doc[d['doc_id']]) for d in docs)} labelled sentences, extracted in {secs:.0f} s", flush=True)
    rows = list(INDIA_LABELS) + list(INDIA_REFERENCE)
    sent_counts = {r: [0, 0, 0] for r in rows}
    doc_counts = {r: [0, 0, 0] for r in rows}
    details = []
    texts = {str(d["doc_id"]): d for d in docs}
    for rec in records:
        doc = texts[rec["source"]["id"]]
        sents = sorted(by_doc[doc["doc_id"]], key=lambda s: s["sent_id"])
        predicted = india_predictions(rec, sents, doc["doc_text"])
        for row in rows:
            gold_label = INDIA_REFERENCE[row][0] if row in INDIA_REFERENCE else row
            any_gold = any_pred = False
            for s, got in zip(sents, predicted):
                g, p = gold_label in s["sent_labels"], row in got
                any_gold |= g
                any_pred |= p
                if g or p:
                    sent_counts[row][0 if g and p else 1 if p else 2] += 1
                if (g != p) and row in INDIA_LABELS:
                    details.append({"doc_id": doc["doc_id"], "sent_id": s["sent_id"], "label": row,
                                    "error": "false_positive" if p else "miss", "text": s["sent_text"]})
            if any_gold or any_pred:
                doc_counts[row][0 if any_gold and any_pred else 1 if any_pred else 2] += 1
    print(f"{'label (sentence level)':<28}{'gold':>6}{'pred':>6}{'ok':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for counts, level in ((sent_counts, "sentence"), (doc_counts, "document")):
        if level == "document":
            print(f"{'label (document level)':<28}")
        for row in rows:
            tp, fp, fn = counts[row]
            p, r, f = _prf(tp, fp, fn)
            print(f"{row:<28}{tp + fn:>6}{tp + fp:>6}{tp:>6}{p:>8.2f}{r:>8.2f}{f:>8.2f}")
    if errors is not None:
        with (errors / "indiapolice_errors.jsonl").open("w", encoding="utf-8") as fp:
            for d in details:
                fp.write(json.dumps(d, ensure_ascii=False) + "\n")


def run_wikievents(eval_dir: Path, data_dir: Path, work: Path, *, errors: Path | None,
                   rules: tuple[str, ...]) -> None:
    """Extract the WikiEvents dev documents and print ``wikievents_score.py`` (triggers, precision, places)."""
    scorer = str(eval_dir / "wikievents_score.py")
    dump = work / "wikievents"
    _run([sys.executable, scorer, "--data", str(data_dir / "events-wikievents" / "dev.jsonl"), "--dump-text",
          str(dump)], quiet=True)
    pred = (errors or work) / "wikievents_pred.jsonl"
    records, secs = _extract(_articles_jsonl(dump / "articles.jsonl"), pred, rules=rules)
    print(f"== wikievents: {len(records)} documents extracted in {secs:.0f} s", flush=True)
    cmd = [sys.executable, scorer, str(pred), "--data", str(data_dir / "events-wikievents" / "dev.jsonl")]
    if errors is not None:
        cmd += ["--errors", str(errors / "wikievents_errors.jsonl")]
    _run(cmd)


# Reuters-21578 topics of economic news; an article with only these topics and no word of violence in its
# title is taken as peaceful (markets, trade, companies, farming, policy).
ECONOMIC_TOPICS = {"earn", "acq", "money-fx", "interest", "trade", "grain", "wheat", "corn", "sugar", "coffee",
                   "cocoa", "oilseed", "soybean", "gnp", "cpi", "bop", "money-supply", "reserves", "jobs", "ipi",
                   "livestock", "carcass", "dlr", "yen", "dmk", "gold", "silver", "copper", "iron-steel", "alum",
                   "veg-oil", "cotton", "rubber", "retail", "housing", "income", "lei", "wpi", "tea", "rice"}
VIOLENT_FAMILIES = {"violence", "explosion"}
VIOLENT_OR_ARREST = {"kill", "injure", "arrest", "detain"}


def run_peaceful(data_dir: Path, work: Path, *, limit: int, errors: Path | None, rules: tuple[str, ...]) -> None:
    """Print how many peaceful economic Reuters stories get an event of a violent or arrest type.

    A proxy, not an annotated set: the topics of Reuters-21578 say what a story is about, and a story
    tagged only with economic topics rarely tells of violence (some mention it in passing, which counts
    here as a false alarm).
    """
    from factx.events import load_rules
    from factx.read import make_article

    inventory = load_rules(rules)
    with gzip.open(data_dir / "corpus-reuters21578" / "reuters21578.jsonl.gz", "rt", encoding="utf-8") as fp:
        stories = [s for s in map(json.loads, fp) if s.get("topics") and set(s["topics"]) <= ECONOMIC_TOPICS]
    stories = sorted(stories, key=lambda s: s["id"])[:limit]
    articles = [make_article(s["text"], id=s["id"], published=s.get("date"), published_origin="metadata")
                for s in stories]
    pred = (errors or work) / "peaceful_pred.jsonl"
    records, secs = _extract(articles, pred, rules=rules)
    flagged = []
    for rec in records:
        bad = [e for e in rec["events"] if not e.get("negated") and (
            e["type"] in VIOLENT_OR_ARREST or (e["type"] in inventory.types
                                               and inventory.types[e["type"]].family in VIOLENT_FAMILIES))]
        if bad:
            flagged.append((rec["source"]["id"], [e["type"] for e in bad]))
    share = 100 * len(flagged) / max(1, len(records))
    print(f"== peaceful news: {len(records)} economic Reuters stories extracted in {secs:.0f} s")
    print(f"stories with an event of a violent or arrest type: {len(flagged)} ({share:.2f}%)")
    if errors is not None:
        with (errors / "peaceful_flagged.jsonl").open("w", encoding="utf-8") as fp:
            for sid, types in flagged:
                fp.write(json.dumps({"id": sid, "types": types}) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks and print their tables."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA), help="shared data folder (default: %(default)s)")
    ap.add_argument("--sample", type=int, default=1000, help="gva articles to score (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=1, help="gva sample seed (default: %(default)s)")
    ap.add_argument("--only", default="seed,wikievents,gva,indiapolice,peaceful",
                    help="comma-separated: seed, wikievents, gva, indiapolice, peaceful")
    ap.add_argument("--peaceful", type=int, default=2000, help="economic Reuters stories to read (default: %(default)s)")
    ap.add_argument("--india-docs", type=int, default=None, help="score only the first N indiapolice documents")
    ap.add_argument("--errors", default=None, help="folder for predictions and error details")
    ap.add_argument("--rules", action="append", default=[], help="extra rules file(s), as factx --rules")
    args = ap.parse_args(argv)
    data_dir = Path(args.data).resolve()
    eval_dir = data_dir.parent / "eval"
    errors = Path(args.errors) if args.errors else None
    if errors is not None:
        errors.mkdir(parents=True, exist_ok=True)
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    rules = tuple(str(Path(r).resolve()) for r in args.rules)
    with tempfile.TemporaryDirectory(prefix="factx-events-") as tmp:
        work = Path(tmp)
        if "seed" in only:
            run_seed(eval_dir, work, rules=rules)
        if "wikievents" in only:
            run_wikievents(eval_dir, data_dir, work, errors=errors, rules=rules)
        if "gva" in only:
            run_gva(eval_dir, data_dir, work, sample=args.sample, seed=args.seed, errors=errors, rules=rules)
        if "indiapolice" in only:
            run_indiapolice(data_dir, work, errors=errors, limit=args.india_docs, rules=rules)
        if "peaceful" in only:
            run_peaceful(data_dir, work, limit=args.peaceful, errors=errors, rules=rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
