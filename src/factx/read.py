"""Read articles from files, folders, stdin and JSONL datasets into ``Article`` records.

A bad input never stops a batch: ``iter_articles`` yields a ``Failure`` for it and goes on.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import itertools
import json
import os
import re
import stat
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .errors import InputError
from .models import Article

ARTICLE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".html": "html", ".htm": "html"}
DEFAULT_MAX_CHARS = 60_000_000


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be read; ``id`` names it, ``error`` says why."""

    id: str
    error: Exception

    def to_dict(self) -> dict[str, str]:
        """Return the failure as an error record (id, error class, message)."""
        return {"id": self.id, "error": type(self.error).__name__, "message": str(self.error)}


def sha256_hex(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, *, name: str, declared: str | None = None) -> tuple[str, str]:
    """Decode article bytes to text, returning ``(text, encoding)``; raise InputError if it is not text.

    A byte-order mark wins, then BOM-less UTF-16, then strict UTF-8, then ``declared`` (an HTML page's
    charset), then the best guess of charset-normalizer. Binary data (NUL bytes, many control
    characters) and UTF-8 cut inside its last character are refused.
    """
    if not data or data.isspace():
        raise InputError(f"{name}: empty input")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid {encoding} text ({exc.reason} at byte {exc.start})") from None
            return _checked_text(text, name=name), encoding
    utf16 = _utf16_order(data)
    if utf16 is not None:
        try:
            return _checked_text(data.decode(utf16), name=name), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file, not text")
    try:
        return _checked_text(data.decode("utf-8"), name=name), "utf-8"
    except UnicodeDecodeError as exc:
        # Valid multi-byte UTF-8 up to a cut in the last character: a truncated file, not a legacy encoding.
        if exc.reason == "unexpected end of data" and not data[:exc.start].isascii():
            raise InputError(f"{name}: truncated UTF-8 (the file ends inside a character at byte {exc.start})"
                             ) from None
    if declared:
        try:
            return _checked_text(data.decode(declared), name=name), codecs.lookup(declared).name
        except (UnicodeDecodeError, LookupError):
            pass
    from charset_normalizer import from_bytes
    from charset_normalizer.utils import is_multi_byte_encoding

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise InputError(f"{name}: cannot decode: not UTF-8 and no other text encoding fits")
    encoding = codecs.lookup(best.encoding).name
    if not is_multi_byte_encoding(encoding) and _ascii_share(data) >= 0.8 and _decodes(data, "cp1252"):
        # Mostly-ASCII text in a single-byte code page is scored almost at random among cp1250, cp775,
        # mac-roman...; for English news it is cp1252 (which decodes Latin-1 alike outside 0x80-0x9f).
        encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputError(f"{name}: cannot decode as {encoding}") from None
    return _checked_text(text, name=name), encoding


def _ascii_share(data: bytes) -> float:
    sample = data[:100_000]
    return sum(1 for b in sample if b < 0x80) / max(len(sample), 1)


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _checked_text(text: str, *, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: empty input")
    if "\x00" in text[:8192] or _control_ratio(text) > 0.05:
        raise InputError(f"{name}: binary file, not text")
    return text


def _utf16_order(data: bytes) -> str | None:
    """Return 'utf-16-le' or 'utf-16-be' when the bytes look like BOM-less UTF-16 text, else None."""
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return None
    half = len(sample) // 2
    zeros_odd = sample[1::2].count(0) / half
    zeros_even = sample[0::2].count(0) / half
    # Latin-script UTF-16 has a zero in every other byte; binary data has zeros on both sides.
    if zeros_odd > 0.3 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.3 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    return bad / len(sample)


_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
_MONTH_RE = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_PUBLISHED_RES = [
    re.compile(r"^\s*(?:Published|Posted|Updated|Date|Dateline)\s*(?:on|:)?\s*(?:\w+day,?\s+)?" + _MONTH_RE
               + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d\d)", re.I | re.M),
    re.compile(r"^\s*(?:Published|Posted|Updated|Date)\s*(?:on|:)?\s*(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)",
               re.I | re.M),
    re.compile(r"^\s*(?:Published|Posted|Updated|Date)\s*(?:on|:)?\s*(?:\w+day,?\s+)?(?P<day>\d{1,2})\s+" + _MONTH_RE
               + r",?\s+(?P<year>(?:19|20)\d\d)", re.I | re.M),
    # A dateline: "BEIJING, Feb. 28, 2014 (Xinhua) --" or "Feb 28, 2014 --" at the start of a line.
    re.compile(r"^[A-Z][A-Za-z .'-]{0,40}?,?\s*" + _MONTH_RE + r"\s+(?P<day>\d{1,2}),\s+(?P<year>(?:19|20)\d\d)\s*(?:\([^)]{0,40}\)\s*)?(?:--|—|–|-)",
               re.M),
]


def infer_published(text: str) -> str | None:
    """Find a publication date in a "Published ..." line or a dateline near the top or bottom; ISO date or None."""
    head, tail = text[:1500], text[-600:]
    for part in (head, tail):
        for rx in _PUBLISHED_RES:
            m = rx.search(part)
            if not m:
                continue
            groups = m.groupdict()
            if groups.get("mnum"):
                month = int(groups["mnum"])
            else:
                word = groups["month"].lower().rstrip(".")
                month = next(v for k, v in _MONTHS.items() if k.startswith(word[:3]))
            try:
                return dt.date(int(groups["year"]), month, int(groups["day"])).isoformat()
            except ValueError:
                continue
    return None


def normalize_published(value: str | dt.date | None, *, name: str = "published") -> str | None:
    """Check an ISO date or datetime and return it as an ISO string (date, or date and time)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes") if value.second == 0 else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        if len(text) <= 10:
            return dt.date.fromisoformat(text).isoformat()
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{name}: not an ISO date or datetime: {text!r}") from None
    return parsed.replace(tzinfo=None).isoformat(timespec="minutes" if parsed.second == 0 else "seconds")


def make_article(text: str, *, id: str, published: str | None = None, published_origin: str | None = None,
                 title: str | None = None, fmt: str = "text", encoding: str | None = "utf-8") -> Article:
    """Build an ``Article``, inferring the publication date from the text when none is given."""
    published = normalize_published(published, name=f"{id}: published")
    origin = published_origin or ("metadata" if published else "none")
    if published is None:
        published = infer_published(text)
        origin = "inferred" if published else "none"
    return Article(id=id, text=text, published=published, published_origin=origin, title=title,
                   format=fmt, encoding=encoding)


def display_path(path: str | os.PathLike[str]) -> str:
    """Return a path as a printable one-line string: invalid UTF-8 bytes as \\xNN, control characters escaped."""
    text = os.fsdecode(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def open_regular(path: Path, *, max_bytes: int | None = None) -> BinaryIO:
    """Open a regular file (of at most ``max_bytes``) for binary reading; anything else raises InputError."""
    shown = display_path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(f"{shown}: {_os_reason(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{shown}: is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{shown}: {_kind(st.st_mode)}, not a regular file")
    if max_bytes is not None and st.st_size > max_bytes:
        raise InputError(f"{shown}: too large ({st.st_size:,} bytes; --max-chars allows at most {max_bytes:,})")
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the stat, opening it must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"{shown}: {_os_reason(exc)}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(f"{shown}: not a regular file")
    return os.fdopen(fd, "rb")


def read_bytes(path: Path, *, max_bytes: int) -> bytes:
    """Read a regular file's bytes, refusing special files and files over ``max_bytes``."""
    shown = display_path(path)
    with open_regular(path, max_bytes=max_bytes) as fh:
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"{shown}: {_os_reason(exc)}") from None
    if len(data) > max_bytes:
        raise InputError(f"{shown}: too large (over {max_bytes:,} bytes; see --max-chars)")
    return data


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


def html_charset(data: bytes) -> str | None:
    """Return the charset an HTML page declares in a ``<meta>`` tag near its top, if Python knows it."""
    m = _CHARSET_RE.search(data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def _max_bytes(max_chars: int) -> int:
    # A character takes at most four bytes in UTF-8 and UTF-16, plus a byte-order mark.
    return max_chars * 4 + 4


def _check_size(text: str, *, name: str, max_chars: int) -> None:
    if len(text) > max_chars:
        raise InputError(f"{name}: too long ({len(text):,} characters; the limit is {max_chars:,}, see --max-chars)")


def articles_from_bytes(data: bytes, *, name: str, fmt: str = "text", published: str | None = None,
                        max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Article | Failure]:
    """Turn the bytes of one input (plain text, HTML, JSON or JSONL) into articles or failures."""
    try:
        text, encoding = decode_bytes(data, name=name, declared=html_charset(data) if fmt == "html" else None)
    except InputError as exc:
        yield Failure(name, exc)
        return
    if fmt == "jsonl":
        yield from _articles_from_jsonl(text.splitlines(), name=name, published=published, max_chars=max_chars)
        return
    if fmt == "json":
        yield from _articles_from_json(text, name=name, published=published, max_chars=max_chars)
        return
    try:
        if fmt == "html":
            from .html import article_from_html

            yield article_from_html(text, id=name, published=published, encoding=encoding, max_chars=max_chars)
            return
        _check_size(text, name=name, max_chars=max_chars)
        origin = "option" if published else None
        yield make_article(text, id=name, published=published, published_origin=origin, encoding=encoding)
    except InputError as exc:
        yield Failure(name, exc)


def _article_from_obj(obj: object, *, name: str, published: str | None, max_chars: int) -> Article:
    if not isinstance(obj, dict):
        raise InputError(f"{name}: expected a JSON object with a 'text' field")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{name}: missing or empty 'text' field")
    _check_size(text, name=name, max_chars=max_chars)
    art_id = str(obj.get("id") if obj.get("id") is not None else name)
    title = obj.get("title") if isinstance(obj.get("title"), str) else None
    if published:
        return make_article(text, id=art_id, published=published, published_origin="option", title=title, fmt="jsonl")
    return make_article(text, id=art_id, published=obj.get("published") or None, title=title, fmt="jsonl")


def _articles_from_jsonl(lines: Iterable[str | InputError], *, name: str, published: str | None,
                         max_chars: int) -> Iterator[Article | Failure]:
    for lineno, line in enumerate(lines, start=1):
        where = f"{name}:{lineno}"
        if isinstance(line, InputError):
            yield Failure(where, line)
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(where, InputError(f"{where}: invalid JSON ({exc.msg})"))
            continue
        try:
            yield _article_from_obj(obj, name=where, published=published, max_chars=max_chars)
        except InputError as exc:
            yield Failure(str(obj.get("id")) if isinstance(obj, dict) and obj.get("id") else where, exc)


def _articles_from_json(text: str, *, name: str, published: str | None, max_chars: int) -> Iterator[Article | Failure]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Failure(name, InputError(f"{name}: invalid JSON ({exc.msg} at line {exc.lineno})"))
        return
    items = obj if isinstance(obj, list) else [obj]
    for i, item in enumerate(items):
        where = name if len(items) == 1 else f"{name}[{i}]"
        try:
            yield _article_from_obj(item, name=where, published=published, max_chars=max_chars)
        except InputError as exc:
            yield Failure(where, exc)


def detect_format(path: str, data: bytes | None = None) -> str:
    """Guess the input format from the file name, then from the first bytes."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in ARTICLE_SUFFIXES:
        return ARTICLE_SUFFIXES[suffix]
    if data is not None:
        head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<body" in data[:20000].lower()):
            return "html"
    return "text"


def iter_paths(paths: Iterable[str], *, glob: str = "*.txt") -> Iterator[str | Failure]:
    """Expand files and folders (recursively, matching ``glob``) into file paths; '-' passes through.

    Inside a folder, symbolic links are followed only to regular files within that folder; loops,
    links that leave the folder, unreadable sub-folders and special files become a ``Failure``.
    """
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        shown = display_path(p)
        if path.is_dir():
            found = False
            for child in _walk(path, glob):
                found = True
                yield child
            if not found:
                yield Failure(shown, InputError(f"{shown}: no files matching {glob!r} in this folder"))
        elif path.exists() or path.is_symlink():
            yield p
        else:
            yield Failure(shown, InputError(f"{shown}: no such file or directory"))


def _walk(root: Path, glob: str) -> Iterator[str | Failure]:
    # followlinks=False so a walk can neither loop nor leave the folder; linked files are checked one by one.
    real_root = os.path.realpath(root)
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=errors.append):
        yield from _walk_errors(errors)
        dirnames.sort()
        for dname in dirnames:
            full = Path(dirpath) / dname
            if full.is_symlink():
                shown = display_path(full)
                yield Failure(shown, InputError(f"{shown}: symbolic link to a folder, not followed"))
        for fname in sorted(filenames):
            full = Path(dirpath) / fname
            if not full.match(glob) and not Path(fname).match(glob):
                continue
            shown = display_path(full)
            try:
                st = full.stat()
            except OSError as exc:
                yield Failure(shown, InputError(f"{shown}: {_os_reason(exc)}"))
                continue
            if not stat.S_ISREG(st.st_mode):
                yield Failure(shown, InputError(f"{shown}: {_kind(st.st_mode)}, not a regular file, skipped"))
                continue
            if full.is_symlink() and not _inside(os.path.realpath(full), real_root):
                yield Failure(shown, InputError(f"{shown}: symbolic link to a file outside {display_path(root)}, "
                                                "not followed"))
                continue
            yield str(full)
    yield from _walk_errors(errors)


def _walk_errors(errors: list[OSError]) -> Iterator[Failure]:
    while errors:
        exc = errors.pop(0)
        shown = display_path(exc.filename) if exc.filename else "?"
        yield Failure(shown, InputError(f"{shown}: cannot list folder ({_os_reason(exc)})"))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def iter_articles(paths: Iterable[str], *, glob: str = "*.txt", published: str | None = None,
                  input_format: str | None = None, max_chars: int = DEFAULT_MAX_CHARS,
                  stdin: BinaryIO | None = None) -> Iterator[Article | Failure]:
    """Yield one ``Article`` per article in ``paths`` (files, folders, '-', JSONL datasets), or a ``Failure``.

    Example:
        >>> [a.id for a in iter_articles(["samples/china-baby-trafficking.txt"])]
        ['samples/china-baby-trafficking.txt']
    """
    max_bytes = _max_bytes(max_chars)
    for item in iter_paths(paths, glob=glob):
        if isinstance(item, Failure):
            yield item
            continue
        name = "-" if item == "-" else display_path(item)
        if (input_format or (detect_format(item) if item != "-" else None)) == "jsonl":
            yield from _stream_jsonl(item, name=name, stdin=stdin, published=published, max_chars=max_chars)
            continue
        if item == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield Failure(name, InputError(f"{name}: too large (over {max_bytes:,} bytes)"))
                continue
        else:
            try:
                data = read_bytes(Path(item), max_bytes=max_bytes)
            except InputError as exc:
                yield Failure(name, exc)
                continue
        fmt = input_format or detect_format(item if item != "-" else "", data)
        for art in articles_from_bytes(data, name=name, fmt=fmt, published=published, max_chars=max_chars):
            if isinstance(art, Article) and fmt in ("text", "html"):
                art = replace(art, sha256=sha256_hex(data))
            yield art


def _stream_jsonl(item: str, *, name: str, stdin: BinaryIO | None, published: str | None,
                  max_chars: int) -> Iterator[Article | Failure]:
    # A dataset is read a line at a time, so its size is not limited, only each article's.
    try:
        fh = (stdin if stdin is not None else sys.stdin.buffer) if item == "-" else open_regular(Path(item))
    except InputError as exc:
        yield Failure(name, exc)
        return
    try:
        if hasattr(fh, "peek") and fh.peek(2)[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            # UTF-16 lines cannot be cut at b"\n": read it whole like any other file, within the same limit.
            max_bytes = _max_bytes(max_chars)
            data = fh.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield Failure(name, InputError(f"{name}: too large (over {max_bytes:,} bytes; see --max-chars)"))
                return
            yield from articles_from_bytes(data, name=name, fmt="jsonl", published=published, max_chars=max_chars)
            return
        yield from _articles_from_jsonl(_jsonl_lines(fh, name=name, max_chars=max_chars), name=name,
                                        published=published, max_chars=max_chars)
    except OSError as exc:
        yield Failure(name, InputError(f"{name}: {_os_reason(exc)}"))
    finally:
        if item != "-":
            fh.close()


def _jsonl_lines(fh: BinaryIO, *, name: str, max_chars: int) -> Iterator[str | InputError]:
    limit = max_chars * 6 + 4096  # a JSON-escaped character takes up to six bytes
    for lineno in itertools.count():
        line = fh.readline(limit + 1)
        if not line:
            return
        where = f"{name}:{lineno + 1}"
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield InputError(f"{where}: line too long (over {limit:,} bytes; see --max-chars)")
            continue
        if lineno == 0 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                yield decode_bytes(line, name=where)[0]
            except InputError as exc:
                yield exc


def source_sha256(article: Article) -> str:
    """Return the SHA-256 of the article's input bytes when known, else of its UTF-8 text."""
    return article.sha256 or sha256_hex(article.text.encode("utf-8"))
