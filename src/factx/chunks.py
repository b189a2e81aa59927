"""Parse texts with spaCy, in paragraph-aligned chunks when they are long, keeping offsets global."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator

from .models import Article

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

CHUNK_CHARS = 100_000
# Texts over CHUNK_CHARS are parsed in pieces of about PIECE_CHARS: the parser's peak memory grows with the
# piece, not the text (measured on this model: about 220 MB resident for a 20,000-character piece, 520 MB for
# 100,000).
PIECE_CHARS = 20_000


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


def parse(nlp: Language, text: str) -> Doc:
    """Parse one text into a single Doc, chunking long texts."""
    import numpy
    from spacy.tokens import Doc

    if len(text) <= CHUNK_CHARS:
        return nlp(text)
    docs = []
    for doc in nlp.pipe(split_chunks(text, size=PIECE_CHARS), batch_size=1):
        # The tok2vec output (96 floats a token) is not read after parsing; dropping it keeps a long text's memory
        # to the token annotations alone.
        doc.tensor = numpy.zeros((0,), dtype="float32")
        docs.append(doc)
    return Doc.from_docs(docs, ensure_whitespace=False)


def pipe(nlp: Language, articles: Iterable[Article | object], *, batch_size: int = 32
         ) -> Iterator[tuple[Article | object, Doc | None]]:
    """Yield ``(article, doc)`` in input order; anything that is not an Article passes through with ``None``."""
    buffer: list[Article | object] = []

    def flush() -> Iterator[tuple[Article | object, Doc | None]]:
        short = [(a.text, k) for k, a in enumerate(buffer)
                 if isinstance(a, Article) and len(a.text) <= CHUNK_CHARS]
        parsed = {k: doc for doc, k in nlp.pipe(short, as_tuples=True, batch_size=batch_size)}
        for k, item in enumerate(buffer):
            if not isinstance(item, Article):
                yield item, None
            elif k in parsed:
                yield item, parsed.pop(k)
            else:
                yield item, parse(nlp, item.text)
        buffer.clear()

    for item in articles:
        buffer.append(item)
        if len(buffer) >= batch_size:
            yield from flush()
    yield from flush()
