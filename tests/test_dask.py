"""The Dask path: a LocalCluster of 2 worker processes gives exactly the local run's output."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from factx.batch import run_batch
from factx.cli import cli
from factx.read import Failure, iter_articles, make_article

# The test command installs the factx[dask] extra, so these tests always run.
import distributed  # noqa: E402, F401  (fails here, not in a fixture, when the extra is missing)

TEXTS = [
    "Police arrested 14 people in Lyon on Monday, officials said.",
    "The company paid $3 million in fines last week.",
    "Floods killed 27 people in Kenya on March 3, the Red Cross said.",
    "Protesters gathered in Lima on Friday.",
    "About 200 workers went on strike in Osaka on Tuesday.",
    "The court fined the bank 2.5 million euros.",
    "Gunmen kidnapped three engineers near Port Harcourt on Sunday.",
]


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc, \
            Client(lc) as client:
        yield lc, client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for i, text in enumerate(TEXTS):
        (folder / f"{i:02d}.txt").write_text(text, encoding="utf-8")
    (folder / "99-empty.txt").write_text("  ")
    return folder


def local(nlp, corpus) -> list[dict]:
    return [r.to_dict() if isinstance(r, Failure) else r
            for r in run_batch(iter_articles([str(corpus)], published="2024-05-10"), nlp=nlp)]


def test_distributed_equals_local_run(nlp, cluster, corpus):
    from factx.dask import extract_distributed

    expected = local(nlp, corpus)
    assert len(expected) == len(TEXTS) + 1 and expected[-1]["error"] == "InputError"
    got = list(extract_distributed(iter_articles([str(corpus)], published="2024-05-10"), scheduler=cluster[1],
                                   chunk=2, window=2))
    assert [r.to_dict() if isinstance(r, Failure) else r for r in got] == expected
    workers = cluster[1].run(lambda: __import__("factx.nlp").nlp.load_nlp.cache_info().currsize)
    assert sorted(workers.values()) == [1, 1]  # each worker process holds exactly one model


def test_bag_equals_local_run(nlp, cluster, corpus):
    import dask.bag as db

    from factx.dask import extract_bag

    expected = local(nlp, corpus)
    bag = extract_bag([str(corpus)], published="2024-05-10", partition_size=3)
    assert bag.compute(scheduler=cluster[1].get) == expected
    texts = db.from_sequence([{"id": str(i), "text": t, "published": "2024-05-10"} for i, t in enumerate(TEXTS)],
                             partition_size=2)
    records = extract_bag(texts).compute(scheduler=cluster[1].get)
    articles = [make_article(t, id=str(i), published="2024-05-10", fmt="jsonl") for i, t in enumerate(TEXTS)]
    assert records == run_batch(articles, nlp=nlp)


def test_cli_scheduler_equals_local_run(nlp, cluster, corpus, tmp_path):
    runner = CliRunner()
    base = ["extract", str(corpus), "--published", "2024-05-10"]
    here = runner.invoke(cli, base + ["-j", "1", "-o", str(tmp_path / "local.jsonl")])
    there = runner.invoke(cli, base + ["--scheduler", cluster[0].scheduler_address,
                                       "-o", str(tmp_path / "dask.jsonl"), "--errors", str(tmp_path / "err.jsonl")])
    assert here.exit_code == there.exit_code == 1
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert [json.loads(x)["error"] for x in (tmp_path / "err.jsonl").read_text().splitlines()] == ["InputError"]
