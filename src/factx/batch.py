"""Extract many articles in parallel: worker processes that each load the model once.

Each worker runs the whole pipeline (parse and rule layer) and sends back plain record dicts, so
spaCy ``Doc`` objects never cross a process boundary. The parent reads the input lazily and keeps
only a bounded window of batches in flight, so memory stays flat whatever the corpus size.

    >>> from factx.batch import extract_records
    >>> [r["source"]["id"] for r in extract_records(["A text.", "Another text."], jobs=1)]
    ['0', '1']
"""

from __future__ import annotations

import os
import pickle
import signal
from collections import deque
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .api import Settings, as_articles
from .models import Article
from .read import Failure

if TYPE_CHECKING:
    from spacy.language import Language

CHUNK = 16  # articles per task: big enough for nlp.pipe batching, small enough to balance the load
PREFETCH = 2  # tasks queued per worker, so a worker never waits for the parent
POLL_SECONDS = 0.2  # how often the parent checks that its workers are alive


class WorkerError(RuntimeError):
    """A worker process died (killed, out of memory, crashed) while it held an article."""


class RemoteError(Exception):
    """An exception raised in a worker that could not be sent back as itself; ``kind`` is its class name."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message

    def __reduce__(self):
        return type(self), (self.kind, self.message)


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run_batch(items: Iterable[Article | Failure | str], *, nlp: Language | None = None,
              settings: Settings = Settings(), include_text: bool = False) -> list[dict[str, Any] | Failure]:
    """Extract a batch in this process and return record dicts (and failures) in input order."""
    return list(_dicts(items, nlp=nlp, settings=settings, include_text=include_text))


def _dicts(items: Iterable[Article | Failure | str], *, nlp: Language | None, settings: Settings,
           include_text: bool) -> Iterator[dict[str, Any] | Failure]:
    from .api import extract_many

    for item in extract_many(items, nlp=nlp, settings=settings):
        if isinstance(item, Failure):
            yield item
            continue
        try:
            yield item.to_dict(include_text=include_text)
        except Exception as exc:  # one bad record must not stop a batch
            yield Failure(item.source["id"], exc)


def portable_failure(failure: Failure) -> Failure:
    """Return ``failure`` with an error that survives pickling (else a ``RemoteError`` saying the same)."""
    try:
        pickle.loads(pickle.dumps(failure.error))
        return failure
    except Exception:
        return Failure(failure.id, RemoteError(type(failure.error).__name__, str(failure.error)))


def extract_records(items: Iterable[Article | Failure | str], *, jobs: int = 1, settings: Settings = Settings(),
                    include_text: bool = False, ordered: bool = True, chunk: int = CHUNK,
                    prefetch: int = PREFETCH) -> Iterator[dict[str, Any] | Failure]:
    """Stream record dicts (and ``Failure`` items) for ``items``, using ``jobs`` worker processes.

    Args:
        items: articles, read failures (passed through) or plain texts (ids "0", "1", ...).
        jobs: worker processes; 1 (or an input of a single batch) runs in this process.
        ordered: keep the input order; ``False`` yields each batch as soon as it is done.
        chunk: articles per task sent to a worker.
        prefetch: tasks queued per worker.

    Yields:
        One ``Record.to_dict()`` per article, or a ``Failure`` for an article that failed.

    Example:
        >>> next(extract_records(["Police arrested 5 people."], jobs=2))["events"][0]["type"]
        'arrest'
    """
    if jobs < 1 or chunk < 1 or prefetch < 1:
        raise ValueError("jobs, chunk and prefetch must be at least 1")
    stream = as_articles(items)
    head = list(islice(stream, chunk + 1))
    if jobs == 1 or len(head) <= chunk:
        # A single batch is done sooner here than by starting workers that each load the model.
        from .nlp import load_nlp

        yield from _dicts(_chain(head, stream), nlp=load_nlp(settings.model), settings=settings,
                          include_text=include_text)
        return
    pool = _Pool(jobs, settings=settings, include_text=include_text)
    try:
        yield from pool.run(_batches(_chain(head, stream), chunk), ordered=ordered, prefetch=prefetch)
    finally:
        pool.close()


def _chain(head: list, rest: Iterator) -> Iterator:
    yield from head
    yield from rest


def _batches(items: Iterator, size: int) -> Iterator[list]:
    while True:
        batch = list(islice(items, size))
        if not batch:
            return
        yield batch


def _worker(wid: int, tasks, results, settings: Settings, include_text: bool) -> None:
    # The parent handles Ctrl-C and stops the workers itself; a worker must not die half-way through a send.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # One BLAS thread per worker: the workers already use every core.
    from .nlp import one_blas_thread

    one_blas_thread()
    try:
        from .nlp import load_nlp

        nlp = load_nlp(settings.model)
    except BaseException as exc:
        results.send(("fatal", None, portable_failure(Failure("model", exc)).error))
        return
    while True:
        try:
            task = tasks.get()
        except (EOFError, OSError):  # the parent is gone
            return
        if task is None:
            return
        seq, batch = task
        try:
            out = run_batch(batch, nlp=nlp, settings=settings, include_text=include_text)
            out = [portable_failure(r) if isinstance(r, Failure) else r for r in out]
        except BaseException as exc:
            out = [portable_failure(Failure(a.id, exc)) for a in batch]
        try:
            results.send(("done", seq, out))
        except (BrokenPipeError, OSError):
            return


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


class _Pool:
    """Worker processes, each with its own task queue and result pipe.

    Nothing is shared between workers, so a worker that is killed cannot leave a lock held, and the
    parent knows which batches it held.
    """

    def __init__(self, jobs: int, *, settings: Settings, include_text: bool) -> None:
        import multiprocessing as mp

        # spawn starts each worker as a fresh interpreter: no threads or locks copied from the parent, the same
        # on every platform, and the workers stay children of this process (their resource use is counted here).
        self.ctx = mp.get_context("spawn")
        self.settings = settings
        self.include_text = include_text
        self.workers: dict[int, tuple[Any, Any, Any]] = {}  # wid -> (process, task queue, result reader)
        self.held: dict[int, deque[int]] = {}
        self.next_wid = 0
        for _ in range(jobs):
            self._start()

    def _start(self) -> None:
        wid = self.next_wid
        self.next_wid += 1
        tasks = self.ctx.Queue()
        reader, writer = self.ctx.Pipe(duplex=False)
        proc = self.ctx.Process(target=_worker, args=(wid, tasks, writer, self.settings, self.include_text),
                                name=f"factx-worker-{wid}", daemon=True)
        with _sigint_ignored():  # inherited across exec: the worker is deaf to Ctrl-C from its first instruction
            proc.start()
        writer.close()  # the worker holds the only write end, so its death reads as end of file here
        self.workers[wid] = (proc, tasks, reader)
        self.held[wid] = deque()

    def run(self, batches: Iterator[list], *, ordered: bool, prefetch: int) -> Iterator[dict[str, Any] | Failure]:
        """Send batches to the workers and yield their results (in input order when ``ordered``)."""
        window = len(self.workers) * (prefetch + 1)
        pending: dict[int, list] = {}  # seq -> batch, until its result is in
        done: dict[int, list] = {}  # seq -> results waiting for an earlier batch (ordered mode)
        next_seq = next_out = 0
        exhausted = False
        while True:
            while not exhausted and next_seq - next_out < window:
                wid = min(self.held, key=lambda w: len(self.held[w]))
                if len(self.held[wid]) >= prefetch:
                    break
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                pending[next_seq] = batch
                self.held[wid].append(next_seq)
                self.workers[wid][1].put((next_seq, batch))
                next_seq += 1
            if not pending and not done and exhausted:
                return
            for seq, out in self._collect(pending):
                if not ordered:
                    next_out += 1
                    yield from out
                    continue
                done[seq] = out
                while next_out in done:
                    yield from done.pop(next_out)
                    next_out += 1

    def _collect(self, pending: dict[int, list]) -> Iterator[tuple[int, list]]:
        from multiprocessing.connection import wait

        readers = {reader: wid for wid, (_, _, reader) in self.workers.items()}
        ready = wait(list(readers), timeout=POLL_SECONDS)
        for reader in ready:
            wid = readers[reader]
            try:
                kind, seq, out = reader.recv()
            except (EOFError, OSError):
                yield from self._replace(wid, pending)
                continue
            if kind == "fatal":
                raise out
            if seq in self.held[wid]:
                self.held[wid].remove(seq)
            if pending.pop(seq, None) is not None:
                yield seq, out
        if not ready:
            for wid, (proc, _, _) in list(self.workers.items()):
                if not proc.is_alive():
                    yield from self._replace(wid, pending)

    def _replace(self, wid: int, pending: dict[int, list]) -> Iterator[tuple[int, list]]:
        """Fail the batches a dead worker held and start another worker in its place."""
        proc, tasks, reader = self.workers.pop(wid)
        lost = self.held.pop(wid)
        proc.join(timeout=1)
        tasks.cancel_join_thread()
        reader.close()
        error = WorkerError(f"worker process died (exit code {proc.exitcode}) while extracting this article")
        self._start()
        for seq in lost:
            batch = pending.pop(seq, None)
            if batch is not None:
                yield seq, [item if isinstance(item, Failure) else Failure(item.id, error) for item in batch]

    def close(self) -> None:
        """Stop the workers at once (they hold no output: the parent writes everything)."""
        for proc, tasks, _ in self.workers.values():
            tasks.cancel_join_thread()
            if proc.is_alive():
                proc.terminate()
        for proc, _, reader in self.workers.values():
            proc.join(timeout=2)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=1)
            reader.close()
        self.workers.clear()


def resume_ids(path: str | os.PathLike[str]) -> set[str]:
    """Return the ``source.id`` of every whole record line in a JSONL output, first cutting off a partial last line.

    An interrupted run can leave its last line half written; it is dropped so that the article is
    extracted again and appended whole. A missing file gives an empty set.

    Raises:
        InputError: a whole line of the file is not a factx record.
    """
    import json

    from .errors import InputError

    try:
        fh = open(path, "r+b")
    except FileNotFoundError:
        return set()
    with fh:
        data = fh.read()
        cut = data.rfind(b"\n") + 1
        if cut < len(data):
            fh.truncate(cut)
    ids: set[str] = set()
    for lineno, line in enumerate(data[:cut].splitlines(), start=1):
        if not line.strip():
            continue
        try:
            ids.add(str(json.loads(line)["source"]["id"]))
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{os.fspath(path)}:{lineno}: not a factx record line; cannot resume into this file") from None
    return ids
