"""The text and token attributes of a parsed Doc as plain lists, read in one pass.

Every ``doc[i]`` builds a new Token object and ``Doc.text`` joins all tokens on each access, so
the finders read what they scan token by token from one ``TokenTable`` per call instead.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


# A Doc's text never changes (retokenizing merges and splits tokens, not characters): it is joined once
# per Doc and shared by the finders that run over it.
_TEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class TokenTable:
    """The article text and per-token attributes, each list indexed by token position."""

    text: str
    texts: list[str]
    lowers: list[str]
    idx: list[int]  # character offset of each token
    ent: list[int]  # entity type id; 0 outside entities
    pos: list[int]  # universal part-of-speech id (``spacy.symbols``)
    punct: list[int]  # 1 for punctuation
    alpha: list[int]  # 1 for alphabetic tokens

    def span_text(self, start: int, end: int) -> str:
        """Return the text of tokens ``start:end`` (``end > start``), as ``doc[start:end].text`` would."""
        return self.text[self.idx[start] : self.idx[end - 1] + len(self.texts[end - 1])]

    def end_char(self, i: int) -> int:
        """Return the character offset just after token ``i``."""
        return self.idx[i] + len(self.texts[i])


def token_table(doc: Doc) -> TokenTable:
    """Read the text and the token attributes the finders use from ``doc``, in one pass."""
    from spacy.attrs import ENT_TYPE, IDX, IS_ALPHA, IS_PUNCT, LOWER, ORTH, POS

    if not len(doc):
        return TokenTable(doc.text, [], [], [], [], [], [], [])
    strings = doc.vocab.strings
    orth, lower, idx, ent, pos, punct, alpha = (
        doc.to_array([ORTH, LOWER, IDX, ENT_TYPE, POS, IS_PUNCT, IS_ALPHA]).T.tolist()
    )
    return TokenTable(doc_text(doc), [strings[h] for h in orth], [strings[h] for h in lower], idx, ent, pos, punct,
                      alpha)


def doc_text(doc: Doc) -> str:
    """Return ``doc.text``, joined once per Doc from its token attributes rather than from Token objects."""
    from spacy.attrs import ORTH, SPACY

    text = _TEXTS.get(doc)
    if text is None:
        if not len(doc):
            return doc.text
        strings = doc.vocab.strings
        orth, space = doc.to_array([ORTH, SPACY]).T.tolist()
        # What Doc.text returns, without building a Token object per token.
        text = _TEXTS[doc] = "".join([strings[h] + " " if sp else strings[h] for h, sp in zip(orth, space)])
    return text
