"""Parse texts with spaCy; long texts go piece by piece and their records are merged with global offsets."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import fields, is_dataclass, replace
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .models import FACT_LISTS, Article, Focus, Record

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

CHUNK_CHARS = 100_000
# Texts over CHUNK_CHARS are parsed in pieces of about PIECE_CHARS, and each piece's Doc is dropped once its
# facts are read: the parser's peak memory grows with the piece, not the text (measured on this model: about
# 220 MB resident for a 20,000-character piece, 520 MB for 100,000).
PIECE_CHARS = 20_000
_REF = re.compile(r"^(numbers|money|dates|places)\[(\d+)\]$")
_ID = re.compile(r"^([ei])(\d+)$")  # event and incident ids: e3, i2


def split_chunks(text: str, *, size: int = CHUNK_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most about ``size`` characters at paragraph, then sentence, then space ends.

    The pieces concatenate back to ``text`` exactly, so offsets stay global.
    """
    pieces = []
    pos = 0
    while len(text) - pos > size:
        window = text[pos:pos + size]
        cut = window.rfind("\n")
        if cut < size // 2:
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < size // 2:
            cut = window.rfind(" ")
        if cut < size // 2:
            cut = size - 1
        pieces.append(text[pos:pos + cut + 1])
        pos += cut + 1
    pieces.append(text[pos:])
    return pieces


def is_long(text: str) -> bool:
    """Say whether ``text`` is parsed piece by piece."""
    return len(text) > CHUNK_CHARS


def iter_pieces(nlp: Language, text: str) -> Iterator[tuple[int, Doc]]:
    """Yield ``(offset, doc)`` for the pieces of ``text``, one Doc alive at a time."""
    offset = 0
    for piece in split_chunks(text, size=PIECE_CHARS):
        yield offset, nlp(piece)
        offset += len(piece)


def shift(value: Any, delta: int, bases: dict[str, int]) -> Any:
    """Return ``value`` with every offset moved by ``delta`` and every list reference, event id and incident id renumbered."""
    if is_dataclass(value):
        changes = {f.name: shift(getattr(value, f.name), delta, bases) for f in fields(value)
                   if f.name not in ("text", "start", "end")}
        if isinstance(getattr(value, "start", None), int):
            changes.update(start=value.start + delta, end=value.end + delta)
        if isinstance(getattr(value, "equivalent_of", None), int):
            changes["equivalent_of"] = value.equivalent_of + bases["money"]
        return replace(value, **changes)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in ("start", "end") and isinstance(item, int):
                out[key] = item + delta
            elif key == "text":
                out[key] = item  # the words of the article, never an id
            elif key == "ref" and isinstance(item, str) and (m := _REF.match(item)):
                out[key] = f"{m.group(1)}[{int(m.group(2)) + bases[m.group(1)]}]"
            else:
                out[key] = shift(item, delta, bases)
        return out
    if isinstance(value, list):
        return [shift(v, delta, bases) for v in value]
    if isinstance(value, str) and (m := _ID.match(value)):
        return f"{m.group(1)}{int(m.group(2)) + bases['events' if m.group(1) == 'e' else 'incidents']}"
    return value


def merge_records(parts: Iterable[tuple[int, Record]], article: Article) -> Record:
    """Merge the records of an article's pieces (each with its offset) into one record for the whole text."""
    lists: dict[str, list] = {name: [] for name in FACT_LISTS}
    weights: Counter[tuple[str | None, str | None, str | None]] = Counter()
    pieces = 0
    first = None
    for offset, rec in parts:
        pieces += 1
        first = first or rec
        bases = {name: len(items) for name, items in lists.items()}
        for name, items in lists.items():
            items.extend(shift(getattr(rec, name), offset, bases))
        # A piece's focus counts as much as the places that chose it.
        weights[(rec.focus.country, rec.focus.admin1, rec.focus.name)] += len(rec.places)
    assert first is not None, "a text has at least one piece"
    country = max((k for k in weights if k[0]), key=lambda k: weights[k], default=(None, None, None))
    focus = Focus(*country) if country[0] else Focus()
    warnings = [*first.warnings,
                f"long text read in {pieces} pieces: events and place context do not cross piece boundaries"]
    return replace(first, source={**first.source, "chars": len(article.text)}, focus=focus, warnings=warnings,
                   text=article.text, **lists)


def pipe(nlp: Language, articles: Iterable[Article | object], *, batch_size: int = 12
         ) -> Iterator[tuple[Article | object, Doc | None]]:
    """Yield ``(article, doc)`` in input order; a long article (see ``is_long``) and anything that is not an
    Article come with ``None``."""
    buffer: list[Article | object] = []

    def flush() -> Iterator[tuple[Article | object, Doc | None]]:
        short = [(a.text, k) for k, a in enumerate(buffer) if isinstance(a, Article) and not is_long(a.text)]
        parsed = {k: doc for doc, k in nlp.pipe(short, as_tuples=True, batch_size=batch_size)}
        for k, item in enumerate(buffer):
            yield item, parsed.pop(k, None)
        buffer.clear()

    for item in articles:
        buffer.append(item)
        if len(buffer) >= batch_size:
            yield from flush()
    yield from flush()
