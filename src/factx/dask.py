"""Run extraction on a Dask cluster (the optional extra ``factx[dask]``): one model per worker process.

Two ways in:

- ``extract_distributed(articles, scheduler="tcp://host:8786")`` streams articles from this machine to
  the cluster in batches and yields record dicts back, in input order, with a bounded number of batches
  in flight. ``factx extract DIR --scheduler tcp://host:8786`` uses it; the workers need factx and the
  model installed, not the input files.
- ``extract_bag(paths)`` builds a ``dask.bag.Bag`` of record dicts whose partitions read the files on
  the workers themselves (the paths must be visible there, e.g. on a shared file system), or maps an
  existing bag of articles.

Start workers with one thread each (``dask worker tcp://host:8786 --nthreads 1 --nworkers N``): spaCy
releases little of the GIL, and each worker process then holds exactly one model.

Dask is imported lazily, so ``import factx.dask`` works without the extra installed.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from .api import Settings, as_articles
from .batch import CHUNK, _batches, portable_failure, run_batch
from .models import Article
from .read import DEFAULT_MAX_CHARS, Failure, make_article

if TYPE_CHECKING:
    import dask.bag
    from distributed import Client

CONNECT_TIMEOUT = "20s"
INSTALL_HINT = "the Dask extra is not installed; install it with: pip install 'factx[dask]'"


def _require_dask():
    try:
        import dask.bag
        import distributed
    except ImportError:
        from .errors import FactxError

        raise FactxError(INSTALL_HINT) from None
    return dask.bag, distributed


def _connect(scheduler: Any) -> tuple[Any, bool]:
    """A client of the cluster at ``scheduler`` (an address or a connected ``Client``), and whether it is ours."""
    _, distributed = _require_dask()
    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    try:
        return distributed.Client(scheduler, set_as_default=False, timeout=CONNECT_TIMEOUT), True
    except (OSError, TimeoutError) as exc:
        from .errors import FactxError

        raise FactxError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def run_partition(items: Sequence[Article | Failure], settings: Settings, include_text: bool
                  ) -> list[dict[str, Any] | Failure]:
    """Extract one batch on a worker with that worker's model (loaded on first use, then cached)."""
    from .nlp import load_nlp

    out = run_batch(items, nlp=load_nlp(settings.model), settings=settings, include_text=include_text)
    return [portable_failure(r) if isinstance(r, Failure) else r for r in out]


def extract_distributed(items: Iterable[Article | Failure | str], *, scheduler: str | Client,
                        settings: Settings = Settings(), include_text: bool = False, ordered: bool = True,
                        chunk: int = CHUNK, window: int | None = None) -> Iterator[dict[str, Any] | Failure]:
    """Stream record dicts (and ``Failure`` items) for ``items``, extracted on the Dask cluster at ``scheduler``.

    Args:
        scheduler: a scheduler address such as ``tcp://10.0.0.5:8786``, or a connected ``Client``.
        ordered: keep the input order; ``False`` yields each batch as soon as it is done.
        chunk: articles per task.
        window: tasks in flight (default: three per worker thread), which bounds memory here.

    Example:
        >>> recs = list(extract_distributed(["Police arrested 5 people."], scheduler="tcp://127.0.0.1:8786"))  # doctest: +SKIP
    """
    _, distributed = _require_dask()
    client, own = _connect(scheduler)
    batches: dict[str, list] = {}  # future key -> its articles, to name them if the task itself fails
    futures: deque = deque()
    try:
        if window is None:
            threads = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values())
            window = 3 * max(threads, 1)
        finished = None if ordered else distributed.as_completed()

        def take() -> list[dict[str, Any] | Failure]:
            fut = futures.popleft() if finished is None else next(finished)
            if finished is not None:
                futures.remove(fut)
            batch = batches.pop(fut.key)
            try:
                return fut.result()
            except Exception as exc:  # a lost or killed worker: fail this batch's articles, go on
                return [item if isinstance(item, Failure) else portable_failure(Failure(item.id, exc))
                        for item in batch]

        for batch in _batches(as_articles(items), chunk):
            fut = client.submit(run_partition, batch, settings, include_text, pure=False)
            batches[fut.key] = batch
            futures.append(fut)
            if finished is not None:
                finished.add(fut)
            if len(futures) >= window:
                yield from take()
        while futures:
            yield from take()
    finally:
        if futures:
            client.cancel(list(futures))
        if own:
            client.close()


def _bag_items(items: Iterable[Any], settings: Settings, include_text: bool) -> list[dict[str, Any]]:
    articles = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            item = make_article(item["text"], id=str(item.get("id", i)), published=item.get("published"),
                                title=item.get("title"), fmt="jsonl")
        elif isinstance(item, str):
            item = make_article(item, id=str(i))
        articles.append(item)
    return _plain(run_partition(articles, settings, include_text))


def _bag_paths(paths: Iterable[str], settings: Settings, include_text: bool, read: dict[str, Any]
               ) -> list[dict[str, Any]]:
    from .read import iter_articles

    return _plain(run_partition(list(iter_articles(list(paths), **read)), settings, include_text))


def _plain(out: list[dict[str, Any] | Failure]) -> list[dict[str, Any]]:
    return [r.to_dict() if isinstance(r, Failure) else r for r in out]


def extract_bag(source: Sequence[str] | dask.bag.Bag, *, settings: Settings = Settings(), include_text: bool = False,
                glob: str = "*.txt", published: str | None = None, input_format: str | None = None,
                max_chars: int = DEFAULT_MAX_CHARS, partition_size: int = CHUNK) -> dask.bag.Bag:
    """Return a Dask bag of record dicts; a failed article gives its error record ``{"id", "error", "message"}``.

    ``source`` is a list of paths (files, folders, JSONL datasets; folders are listed here, files are
    read on the workers) or a bag of ``Article`` objects, texts, or ``{"id", "text", "published",
    "title"}`` dicts. Record dicts have a ``"schema"`` key; error records do not.

    Example:
        >>> bag = extract_bag(["corpus/"], glob="*.txt")  # doctest: +SKIP
        >>> bag.map(json.dumps).to_textfiles("out/*.jsonl")  # doctest: +SKIP
    """
    db, _ = _require_dask()
    if isinstance(source, db.Bag):
        return source.map_partitions(_bag_items, settings, include_text)
    if isinstance(source, str):
        source = [source]
    from .read import iter_paths

    files: list[str] = []
    failures: list[dict[str, Any]] = []
    for item in iter_paths(source, glob=glob):
        if isinstance(item, Failure):
            failures.append(item.to_dict())
        elif item == "-":
            raise ValueError("extract_bag reads files on the workers; stdin ('-') cannot be sent there")
        else:
            files.append(item)
    read = {"glob": glob, "published": published, "input_format": input_format, "max_chars": max_chars}
    bag = db.from_sequence(files, partition_size=max(1, partition_size)).map_partitions(
        _bag_paths, settings, include_text, read) if files else db.from_sequence([], npartitions=1)
    return db.concat([bag, db.from_sequence(failures, npartitions=1)]) if failures else bag


def group_distributed(units: list, *, scheduler: str | Client, rules=None, task_items: int = 20_000) -> list[list[int]]:
    """Group incident units (``factx.incidents.Unit``) with the pair scoring spread over a Dask cluster.

    The units are cut into partitions by blocking key (a region or a name) and date window, the windows
    overlapping by the days a match may reach, so that no two units that may be one incident fall only on
    different sides of a border. Workers score the candidate pairs of their partitions; this process joins
    the pairs into groups (the same merge as ``factx.incidents.group_units``), so the result is the local one.

    Args:
        scheduler: a scheduler address such as ``tcp://10.0.0.5:8786``, or a connected ``Client``.
        task_items: about how many partition entries one task scores.

    Returns:
        Lists of unit indexes, one per incident, as ``group_units`` gives them.
    """
    from .incidents import (duplicate_pairs, duplicate_scores, group_units, headline_weights, load_grouping_rules,
                            partitions, score_partitions)

    rules = rules or load_grouping_rules()
    client, own = _connect(scheduler)
    try:
        dups = duplicate_pairs(units, rules)
        idf = headline_weights(units)
        shared_idf = client.scatter([idf], broadcast=True)[0]  # a list: a dict would be scattered key by key
        futures = []
        for bucket in _buckets(sorted(partitions(units, rules).items(), key=lambda kv: repr(kv[0])), task_items):
            needed = {i for _key, items in bucket for i, _m in items}
            sub = {i: units[i] for i in needed}
            sub_dups = {p for p in dups if p[0] in needed and p[1] in needed}
            futures.append(client.submit(score_partitions, sub, bucket, rules, shared_idf, sub_dups, pure=False))
        pairs = [p for fut in futures for p in fut.result()]
        pairs += duplicate_scores(units, rules, idf, dups)
        return group_units(units, rules, pairs=pairs)
    finally:
        if own:
            client.close()


def _buckets(parts: list, size: int) -> Iterator[list]:
    """Consecutive partitions (neighbouring regions and windows) packed into tasks of about ``size`` entries."""
    bucket: list = []
    n = 0
    for key, items in parts:
        bucket.append((key, items))
        n += len(items)
        if n >= size:
            yield bucket
            bucket, n = [], 0
    if bucket:
        yield bucket
