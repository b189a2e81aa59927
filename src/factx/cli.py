"""The ``factx`` command line: options in, library calls, records out. No extraction logic lives here."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import contextmanager
from importlib import resources
from typing import Iterator, TextIO

import click

from . import __version__
from .errors import FactxError

FORMATS = ("json", "jsonl", "csv")
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
    fd, tmp = tempfile.mkstemp(prefix=".factx-", suffix=".part", dir=directory)
    ok = False
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        ok = True
    finally:
        if ok:
            os.replace(tmp, target)
        else:
            try:
                os.unlink(tmp)
            except OSError:
                pass


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


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Write here instead of stdout (atomically: a temporary file, renamed when done).")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="json: one object (default for one article); jsonl: one line per article (default "
                   "for several); csv: one row per event.")
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
@click.option("--max-chars", type=click.IntRange(min=1), default=5_000_000, show_default=True,
              help="Reject articles longer than this.")
@click.option("--errors", "errors_path", default=None, metavar="FILE",
              help="Also write one JSON line per failed article (id, error, message).")
@click.option("--strict", is_flag=True, help="Stop at the first article that fails.")
@click.option("--include-text", is_flag=True, help="Add the article text to each record (for `factx show`).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stderr but errors.")
def extract(paths: tuple[str, ...], output: str, fmt: str | None, pretty: bool, published: str | None,
            glob: str, input_format: str | None, countries: tuple[str, ...], rules: tuple[str, ...],
            model: str | None, max_chars: int, errors_path: str | None, strict: bool, include_text: bool,
            quiet: bool) -> None:
    """Extract facts from articles: files, folders (recursive), '-' for stdin, or JSONL datasets.

    One article gives one JSON object; several articles give JSON Lines, one object per article.

    \b
    Examples:
      factx extract samples/china-baby-trafficking.txt --published 2014-02-28 --pretty
      cat article.txt | factx extract - --published 2024-05-01
      factx extract corpus/ --glob '*.txt' -o facts.jsonl
      factx extract articles.jsonl --format csv -o events.csv
    """
    from .api import Settings
    from .read import Failure, iter_articles

    single = len(paths) == 1 and not os.path.isdir(paths[0]) and (
        input_format not in ("jsonl",) and not paths[0].lower().endswith((".jsonl", ".ndjson")))
    fmt = fmt or ("json" if single else "jsonl")
    if fmt == "json" and not single:
        raise click.UsageError("--format json holds one article; use jsonl or csv for several inputs")
    try:
        settings = Settings(model=model, countries=countries, rules=tuple(rules))
        _check_rules(settings)
    except (ValueError, FactxError) as exc:
        raise click.ClickException(str(exc)) from None

    articles = iter_articles(paths, glob=glob, published=published, input_format=input_format,
                             max_chars=max_chars)
    failures = 0
    err_fh = open(errors_path, "w", encoding="utf-8") if errors_path else None
    try:
        with open_output(output) as fh:
            from .write import RecordWriter

            writer = RecordWriter(fh, fmt=fmt, pretty=pretty)
            for item in _records(articles, settings):
                if isinstance(item, Failure):
                    failures += 1
                    click.echo(f"Error: {_message(item)}", err=True)
                    if err_fh:
                        err_fh.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
                        err_fh.flush()
                    if strict or single:
                        raise _Stop()
                    continue
                writer.write(item.to_dict(include_text=include_text))
    except _Stop:
        sys.exit(1)
    except FactxError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if err_fh:
            err_fh.close()
    if failures:
        if not quiet:
            click.echo(f"{failures} article(s) failed", err=True)
        sys.exit(1)


class _Stop(Exception):
    """Raised to leave the output loop after a failure that ends the run."""


def _message(failure) -> str:
    msg = str(failure.error)
    if not isinstance(failure.error, FactxError):
        msg = f"{failure.id}: {type(failure.error).__name__}: {msg}"
    return msg.splitlines()[0] if msg else failure.id


def _check_rules(settings) -> None:
    from .events import load_rules

    load_rules(settings.rules)


def _records(articles, settings):
    from .api import extract_many

    yield from extract_many(articles, settings=settings)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the factx/1 record.

    \b
    Example:
      factx schema > factx-1.schema.json
    """
    click.echo(resources.files("factx").joinpath("data/schema.json").read_text(encoding="utf-8"), nl=False)


def main() -> None:
    """Entry point for ``python -m factx``."""
    cli(prog_name="factx")
