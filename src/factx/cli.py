"""The ``factx`` command line: options in, library calls, records out. No extraction logic lives here."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from contextlib import closing, contextmanager
from importlib import resources
from typing import Iterator, TextIO

import click

from . import __version__
from .errors import DatabaseExistsError, FactxError, RecordRejected
from .read import DEFAULT_MAX_CHARS, Failure

FORMATS = ("json", "jsonl", "csv", "sqlite")
INPUT_FORMATS = ("text", "html", "jsonl", "json")


def _countries(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for item in value:
        for code in item.split(","):
            code = code.strip().upper()
            if not code:
                continue
            if len(code) != 2 or not code.isalpha():
                raise click.BadParameter(f"{code!r} is not an ISO 3166-1 alpha-2 code such as CN or US")
            out.append(code)
    return tuple(out)


def _published(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from .read import normalize_published

    try:
        return normalize_published(value, name="--published")
    except FactxError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[-1]) from None


@contextmanager
def open_output(path: str) -> Iterator[TextIO]:
    """Open ``path`` for writing atomically (temporary file, then rename); '-' is stdout."""
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = os.path.abspath(path)
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        raise click.BadParameter(f"folder {directory!r} does not exist", param_hint="'-o' / '--output'")
    if os.path.isdir(target):
        raise click.BadParameter(f"{path!r} is a folder", param_hint="'-o' / '--output'")
    fd, tmp = tempfile.mkstemp(prefix=".factx-", suffix=".part", dir=directory)
    ok = False
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
            # mkstemp makes the file private (0600); give the result the mode a plain open() would have.
            os.chmod(tmp, _output_mode(target))
        ok = True
    finally:
        if ok:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                os.unlink(tmp)
                raise click.FileError(path, hint=exc.strerror or str(exc)) from None
        else:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _output_mode(target: str) -> int:
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="factx")
def cli() -> None:
    """Extract numbers, money, dates, places and event records from news articles.

    \b
    Examples:
      factx extract article.txt --published 2014-02-28
      factx extract corpus/ -o facts.jsonl
      factx schema > factx-1.schema.json
    """
    # Before anything imports numpy: the parse runs on one core (-j N for more).
    from .nlp import one_blas_thread

    one_blas_thread()


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Write here instead of stdout (atomically: a temporary file, renamed when done); "
                   "FILE.db, .sqlite or .sqlite3 is a SQLite database, written a transaction per batch.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="json: one object (default for one article); jsonl: one line per article (default "
                   "for several); csv: one row per event; sqlite: a database, one table per fact list.")
@click.option("--pretty", is_flag=True, help="Indent JSON output.")
@click.option("--published", callback=_published, metavar="DATE",
              help="Publication date (ISO date or datetime) that relative dates resolve against.")
@click.option("--glob", "glob", default="*.txt", show_default=True, help="File pattern inside folders.")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default=None,
              help="Override detection by file extension and content.")
@click.option("--country", "countries", multiple=True, callback=_countries, metavar="CC",
              help="Prefer places in these countries (ISO 3166-1 alpha-2; repeat or comma-separate).")
@click.option("--rules", "rules", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="Extra event rules (TOML, YAML or JSON) laid over the built-in ones.")
@click.option("--model", default=None, metavar="NAME", help="spaCy model (default: $FACTX_MODEL or en_core_web_sm).")
@click.option("--max-chars", type=click.IntRange(min=1), default=DEFAULT_MAX_CHARS, show_default=True,
              help="Reject articles longer than this.")
@click.option("--errors", "errors_path", default=None, metavar="FILE",
              help="Also write one JSON line per failed article (id, error, message).")
@click.option("--strict", is_flag=True, help="Stop at the first article that fails.")
@click.option("--include-text", is_flag=True, help="Add the article text to each record (for `factx show`).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stderr but errors.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes, each loading the model once (default: the number of cores).")
@click.option("--unordered", is_flag=True, help="Write records as they are done instead of in input order.")
@click.option("--resume", is_flag=True,
              help="With -o FILE (jsonl or sqlite): skip articles whose id is already in FILE and append the "
                   "rest; rerun the same command after an interruption to complete the output.")
@click.option("--overwrite", is_flag=True,
              help="Replace an existing database (-o FILE.db); JSON, JSONL and CSV files are always replaced.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on a Dask cluster (tcp://host:8786); needs the factx[dask] extra.")
@click.option("--incidents", "incidents_path", default=None, metavar="FILE",
              help="Also group the records of this run into incidents across articles (factx-incident/1 JSONL); "
                   "with -o FILE.db they are stored in the database too.")
def extract(paths: tuple[str, ...], output: str, fmt: str | None, pretty: bool, published: str | None,
            glob: str, input_format: str | None, countries: tuple[str, ...], rules: tuple[str, ...],
            model: str | None, max_chars: int, errors_path: str | None, strict: bool, include_text: bool,
            quiet: bool, jobs: int | None, unordered: bool, resume: bool, overwrite: bool,
            scheduler: str | None, incidents_path: str | None) -> None:
    """Extract facts from articles: files, folders (recursive), '-' for stdin, or JSONL datasets.

    One article gives one JSON object; several articles give JSON Lines, one object per article,
    extracted in parallel (-j) and written in input order.

    \b
    Examples:
      factx extract samples/china-baby-trafficking.txt --published 2014-02-28 --pretty
      cat article.txt | factx extract - --published 2024-05-01
      factx extract corpus/ --glob '*.txt' -o facts.jsonl
      factx extract corpus/ -j 4 -o facts.jsonl --resume
      factx extract articles.jsonl --format csv -o events.csv
      factx extract corpus/ -o facts.db --resume
      factx extract corpus/ --scheduler tcp://10.0.0.5:8786 -o facts.jsonl
      factx extract corpus/ --incidents incidents.jsonl -o facts.jsonl
    """
    from .api import Settings
    from .read import iter_articles

    single = len(paths) == 1 and not os.path.isdir(paths[0]) and (
        input_format not in ("jsonl",) and not paths[0].lower().endswith((".jsonl", ".ndjson")))
    fmt = fmt or ("sqlite" if output != "-" and _is_database(output) else "json" if single else "jsonl")
    if fmt == "json" and not single:
        raise click.UsageError("--format json holds one article; use jsonl, csv or sqlite for several inputs")
    if fmt == "sqlite" and output == "-":
        raise click.UsageError("--format sqlite needs -o FILE")
    if resume and (output == "-" or fmt not in ("jsonl", "sqlite")):
        raise click.UsageError("--resume needs -o FILE with jsonl or sqlite output")
    if resume and overwrite:
        raise click.UsageError("use --resume or --overwrite, not both")
    if (resume or fmt == "sqlite") and os.path.isdir(output):
        raise click.BadParameter(f"{output!r} is a folder", param_hint="'-o' / '--output'")
    if fmt == "sqlite" and not os.path.isdir(os.path.dirname(os.path.abspath(output))):
        raise click.BadParameter(f"folder {os.path.dirname(os.path.abspath(output))!r} does not exist",
                                 param_hint="'-o' / '--output'")
    if incidents_path is not None and incidents_path in ("-", output):
        raise click.UsageError("--incidents needs a file of its own, not stdout or the -o file")
    try:
        settings = Settings(model=model, countries=countries, rules=tuple(rules))
        _check_rules(settings)
    except (ValueError, FactxError) as exc:
        raise click.ClickException(str(exc)) from None

    articles = iter_articles(paths, glob=glob, published=published, input_format=input_format,
                             max_chars=max_chars)
    progress = _progress(paths, glob=glob, input_format=input_format, quiet=quiet, single=single)
    state = {"failed": 0}
    err_fh = None
    try:
        with _deferred_interrupts() as critical:
            with _output_writer(output, fmt=fmt, resume=resume, overwrite=overwrite, pretty=pretty,
                                include_text=include_text) as (writer, done):
                grouper = _grouper(output if resume and done else None, fmt=fmt) if incidents_path else None
                err_fh = open(errors_path, "a" if resume else "w", encoding="utf-8") if errors_path else None
                items = _skip_done(articles, done, progress) if done else articles
                # closing() stops the workers as soon as the loop is left, by an error or an interrupt.
                stream = _records(items, settings, jobs=1 if single else (jobs or _default_jobs()),
                                  ordered=not unordered, scheduler=scheduler, include_text=include_text)
                with closing(stream):
                    for item in stream:
                        with critical:
                            if not isinstance(item, Failure):
                                item = _write(writer, item)
                                if grouper is not None and not isinstance(item, Failure):
                                    grouper.add(item if isinstance(item, dict) else item.to_dict())
                            if isinstance(item, Failure):
                                state["failed"] += 1
                                _say(progress, f"Error: {_message(item)}")
                                if err_fh:
                                    err_fh.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
                                    err_fh.flush()
                        if progress is not None:
                            progress.set_postfix(failed=state["failed"], refresh=False)
                            progress.update(1)
                        if isinstance(item, Failure) and (strict or single):
                            raise _Stop()
                if grouper is not None:
                    found = _write_incidents(grouper, incidents_path, quiet=quiet, scheduler=scheduler)
                    if fmt == "sqlite":
                        writer.write_incidents(found)
    except _Stop:
        sys.exit(1)
    except KeyboardInterrupt:
        _close_progress(progress)
        if resume:
            click.echo(f"Interrupted: {output} holds whole records only; rerun the same command to complete it",
                       err=True)
        elif fmt == "sqlite":
            click.echo(f"Interrupted: {output} holds whole records only; add --resume to complete it", err=True)
        else:
            click.echo("Interrupted", err=True)
        sys.exit(130)
    except DatabaseExistsError:
        raise click.ClickException(f"{output} already exists: add --resume to complete it with the articles it "
                                   "lacks, or --overwrite to replace it") from None
    except FactxError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        _close_progress(progress)
        if err_fh:
            err_fh.close()
    if state["failed"]:
        if not quiet:
            click.echo(f"{state['failed']} article(s) failed", err=True)
        sys.exit(1)


class _Stop(Exception):
    """Raised to leave the output loop after a failure that ends the run."""


def _message(failure) -> str:
    msg = str(failure.error)
    if not isinstance(failure.error, FactxError):
        msg = f"{failure.id}: {type(failure.error).__name__}: {msg}"
    return msg.splitlines()[0] if msg else failure.id


def _check_rules(settings) -> None:
    """Validate extra rules files before any article is read; the built-in rules are checked by the tests."""
    if not settings.rules:
        # Loading the rules imports spaCy: a parent process that hands every article to workers need not.
        return
    from .events import load_rules

    load_rules(settings.rules)


def _default_jobs() -> int:
    from .batch import default_jobs

    return default_jobs()


def _records(articles, settings, *, jobs: int = 1, ordered: bool = True, scheduler: str | None = None,
             include_text: bool = False):
    """Yield records (or their dicts) and failures from this process, the local worker pool or a Dask cluster."""
    if jobs == 1 and not scheduler:
        # In this process, records go to the writer as they are: a long article is written fact by fact.
        from .api import extract_many
        from .nlp import load_nlp

        yield from extract_many(articles, nlp=load_nlp(settings.model), settings=settings)
        return
    if scheduler:
        from .dask import extract_distributed

        yield from extract_distributed(articles, scheduler=scheduler, settings=settings, ordered=ordered,
                                       include_text=include_text)
        return
    from .batch import extract_records

    yield from extract_records(articles, jobs=jobs, settings=settings, ordered=ordered, include_text=include_text)


def _grouper(resumed: str | None, *, fmt: str = "jsonl"):
    """A grouper of incidents across articles, holding the records already in a resumed output file."""
    from .incidents import IncidentGrouper

    grouper = IncidentGrouper()
    if resumed:
        for rec in _stored_records([resumed], sqlite=fmt == "sqlite"):
            grouper.add(rec)
    return grouper


def _stored_records(paths, *, sqlite: bool | None = None):
    """The factx/1 records saved in JSONL files, folders of them, '-' or factx databases."""
    from .incidents import iter_records

    for path in paths:
        if sqlite if sqlite is not None else (path != "-" and os.path.isfile(path) and _is_database(path)):
            from .sqlite import iter_records as db_records

            yield from db_records(path)
        else:
            yield from iter_records([path])


def _write_incidents(grouper, path: str, *, quiet: bool, scheduler: str | None = None) -> list[dict]:
    """Group and write the incidents atomically, with a summary on stderr unless quiet; return them."""
    from .incidents import write_incidents

    if scheduler:
        from .dask import group_distributed

        incidents = grouper.incidents(group=lambda units: group_distributed(units, scheduler=scheduler,
                                                                            rules=grouper.rules))
    else:
        incidents = grouper.incidents()
    with open_output(path) as fh:
        n = write_incidents(incidents, fh)
    if not quiet:
        note = f"; {grouper.left_out} passing mention(s) of no incident of their own left out" if grouper.left_out else ""
        click.echo(f"{n} incident(s) from {len(grouper.units)} article incident(s) of {grouper.records} record(s)"
                   f"{note}", err=True)
    return incidents


def _is_database(path: str) -> bool:
    from .sqlite import is_database_path

    return is_database_path(path)


@contextmanager
def _output_writer(output: str, *, fmt: str, resume: bool, overwrite: bool, pretty: bool,
                   include_text: bool) -> Iterator[tuple]:
    """Open the output and yield (a writer with ``write(record)``, the ids already in it when resuming)."""
    if fmt == "sqlite":
        from .sqlite import SqliteWriter

        with SqliteWriter(output, mode="append" if resume else "overwrite" if overwrite else "new",
                          include_text=include_text) as db:
            yield db, db.done_ids() if resume else set()
        return
    from .batch import resume_ids
    from .write import RecordWriter

    done = resume_ids(output) if resume else set()
    with (append_output(output) if resume else open_output(output)) as fh:
        yield RecordWriter(fh, fmt=fmt, pretty=pretty, include_text=include_text), done


def _write(writer, record):
    """Write one record; return it, or a ``Failure`` when the output refuses it (an article id stored already)."""
    try:
        writer.write(record)
    except RecordRejected as exc:
        source = record["source"] if isinstance(record, dict) else record.source
        return Failure(source["id"], exc)
    return record


def _skip_done(articles, done: set[str], progress):
    """Leave out articles already in the output (counted as done on the progress bar)."""
    from .models import Article

    for item in articles:
        if isinstance(item, Article) and item.id in done:
            if progress is not None:
                progress.update(1)
            continue
        yield item


@contextmanager
def append_output(path: str) -> Iterator[TextIO]:
    """Open ``path`` for appending whole lines (``--resume``); the caller has already cut any partial last line."""
    target = os.path.abspath(path)
    if not os.path.isdir(os.path.dirname(target)):
        raise click.BadParameter(f"folder {os.path.dirname(target)!r} does not exist", param_hint="'-o' / '--output'")
    with open(target, "a", encoding="utf-8", newline="") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


class _Critical:
    """Context manager for a write that a signal must not cut in half: the interrupt waits until it ends."""

    def __init__(self) -> None:
        self.depth = 0
        self.pending = False

    def __enter__(self) -> None:
        self.depth += 1

    def __exit__(self, *exc) -> None:
        self.depth -= 1
        if not self.depth and self.pending:
            self.pending = False
            raise KeyboardInterrupt

    def handler(self, signum, frame) -> None:
        if self.depth:
            self.pending = True
        else:
            raise KeyboardInterrupt


@contextmanager
def _deferred_interrupts() -> Iterator[_Critical]:
    """Turn Ctrl-C and SIGTERM into KeyboardInterrupt, deferred while a record is being written."""
    import signal
    import threading

    critical = _Critical()
    if threading.current_thread() is not threading.main_thread():
        yield critical
        return
    old = {sig: signal.signal(sig, critical.handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield critical
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _progress(paths: tuple[str, ...], *, glob: str, input_format: str | None, quiet: bool, single: bool):
    """A progress bar on stderr when it is a terminal (and not --quiet), else None."""
    if quiet or single or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=_count_inputs(paths, glob=glob, input_format=input_format), unit=" articles",
                file=sys.stderr, dynamic_ncols=True, smoothing=0.1, postfix={"failed": 0})


def _count_inputs(paths: tuple[str, ...], *, glob: str, input_format: str | None) -> int | None:
    """Count the articles to come (files, and lines of JSONL datasets) for the ETA; None if unknown (stdin)."""
    from .read import iter_paths

    total = 0
    for item in iter_paths(paths, glob=glob):
        if item == "-":
            return None
        # Only a regular file is opened to count lines: a FIFO would block here and lose its data.
        if (isinstance(item, str) and os.path.isfile(item)
                and (input_format == "jsonl" or item.lower().endswith((".jsonl", ".ndjson")))):
            try:
                with open(item, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def _say(progress, message: str) -> None:
    if progress is not None:
        progress.write(message, file=sys.stderr)
    else:
        click.echo(message, err=True)


def _close_progress(progress) -> None:
    if progress is not None:
        progress.close()


def _looks_like_records(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[") and b'"factx/1"' in data[:4096]


def _show_pairs(paths: tuple[str, ...], *, published: str | None, glob: str, countries: tuple[str, ...]):
    """Yield (record dict, article text) from saved factx output or from articles extracted now."""
    from .api import Settings, extract_many
    from .read import Failure, iter_articles
    from .show import records_from_json

    for path in paths:
        data = None
        if path == "-":
            data = sys.stdin.buffer.read()
        elif os.path.isfile(path) and not path.lower().endswith((".txt", ".html", ".htm")):
            with open(path, "rb") as fh:
                data = fh.read()
        if data is not None and _looks_like_records(data):
            for rec in records_from_json(data.decode("utf-8", errors="replace"), name=path):
                yield rec, rec["text"]
            continue
        if data is not None:
            import io

            articles = iter_articles(["-"], published=published, stdin=io.BytesIO(data)) if path == "-" else \
                iter_articles([path], published=published, glob=glob)
        else:
            articles = iter_articles([path], published=published, glob=glob)
        for item in extract_many(articles, settings=Settings(countries=countries)):
            if isinstance(item, Failure):
                click.echo(f"Error: {_message(item)}", err=True)
                continue
            yield item.to_dict(include_text=True), item.text


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--html", "as_html", is_flag=True, help="Write one self-contained HTML page instead of terminal text.")
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE", help="Write here instead of stdout.")
@click.option("--no-color", is_flag=True, help="Plain text, no colours (the default when stdout is not a terminal).")
@click.option("--width", type=click.IntRange(min=40), default=None, help="Terminal width (default: the terminal's).")
@click.option("--no-facts", is_flag=True, help="Leave out the table of facts under the text.")
@click.option("--published", callback=_published, metavar="DATE", help="Publication date for articles extracted now.")
@click.option("--glob", "glob", default="*.txt", show_default=True, help="File pattern inside folders.")
@click.option("--country", "countries", multiple=True, callback=_countries, metavar="CC",
              help="Prefer places in these countries.")
def show(paths: tuple[str, ...], as_html: bool, output: str, no_color: bool, width: int | None, no_facts: bool,
         published: str | None, glob: str, countries: tuple[str, ...]) -> None:
    """Show articles with their facts highlighted and a table of events.

    PATH is an article (text, HTML, folder, JSONL) to extract now, or saved output of
    `factx extract --include-text` ('-' reads stdin).

    \b
    Examples:
      factx show samples/china-baby-trafficking.txt --published 2014-02-28
      factx show corpus/ --html -o report.html
      factx extract a.txt --include-text | factx show -
    """
    from .show import render_html, render_terminal

    try:
        pairs = list(_show_pairs(paths, published=published, glob=glob, countries=countries))
        if not pairs:
            raise click.ClickException("nothing to show")
        if as_html:
            page = render_html(pairs, title="factx" if len(pairs) > 1 else (pairs[0][0].get("title") or "factx"))
            with open_output(output) as fh:
                fh.write(page)
            return
        to_tty = output == "-" and sys.stdout.isatty()
        color = to_tty and not no_color
        cols = width or (shutil.get_terminal_size().columns if to_tty else 80)
        text = render_terminal(pairs, width=cols, color=color, facts=not no_facts)
        with open_output(output) as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    except FactxError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Write here instead of stdout (atomically: nothing is written when the input is bad).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Group on a Dask cluster (tcp://host:8786), partitioned by region and date window.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stderr but errors.")
def incidents(paths: tuple[str, ...], output: str, scheduler: str | None, quiet: bool) -> None:
    """Group the events of many articles into incidents: one factx-incident/1 JSON line per incident.

    PATH is saved output of `factx extract` (JSON Lines, a folder of .jsonl/.json files, a factx
    database, or '-').
    One shooting told by five articles is one incident, with its figures reconciled.

    \b
    Examples:
      factx incidents facts.jsonl -o incidents.jsonl
      factx extract corpus/ -o facts.jsonl && factx incidents facts.jsonl > incidents.jsonl
      factx incidents facts/ --scheduler tcp://10.0.0.5:8786 -o incidents.jsonl
    """
    from .incidents import IncidentGrouper

    try:
        grouper = IncidentGrouper()
        for rec in _stored_records(paths):
            grouper.add(rec)
        _write_incidents(grouper, output, quiet=quiet, scheduler=scheduler)
    except FactxError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.option("--incident", is_flag=True, help="The schema of factx-incident/1 (`factx incidents`) instead.")
def schema(incident: bool) -> None:
    """Print the JSON Schema of the factx/1 record (or, with --incident, of factx-incident/1).

    \b
    Examples:
      factx schema > factx-1.schema.json
      factx schema --incident > factx-incident-1.schema.json
    """
    name = "data/incident_schema.json" if incident else "data/schema.json"
    click.echo(resources.files("factx").joinpath(name).read_text(encoding="utf-8"), nl=False)


@cli.command("types")
@click.option("-f", "--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="A Markdown table, or JSON with every trigger word.")
@click.option("--rules", "rules", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="Extra event rules (TOML, YAML or JSON) laid over the built-in ones.")
def types_(fmt: str, rules: tuple[str, ...]) -> None:
    """Print the event types: family, ACLED, CAMEO and KAIROS classes, what is counted, and triggers.

    \b
    Examples:
      factx types
      factx types --format json | jq '.[] | select(.family == "disaster") | .type'
    """
    from .events import describe_types, load_rules
    from .write import dumps, types_markdown

    try:
        table = describe_types(load_rules(tuple(rules)))
    except FactxError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(dumps(table, pretty=True) if fmt == "json" else types_markdown(table), nl=fmt == "json")


def main() -> None:
    """Entry point for ``python -m factx``."""
    cli(prog_name="factx")
