"""factx as a spaCy pipeline component: ``nlp.add_pipe("factx")`` on an English pipeline with a parser and NER.

The package registers its factories through the ``spacy_factories`` entry points, so a pipeline finds
them by name once factx is installed, with no import:

    >>> nlp = spacy.load("en_core_web_sm")                              # doctest: +SKIP
    >>> nlp.add_pipe("factx", config={"published": "2014-02-28"})       # doctest: +SKIP
    >>> doc = nlp("Police arrested 27 suspects in Sichuan on Friday.")  # doctest: +SKIP
    >>> doc._.facts["events"][0]["count"]["value"]                      # doctest: +SKIP
    27
    >>> [(span.text, span.label_) for span in doc.spans["factx"]]      # doctest: +SKIP
    [('27', 'NUMBER'), ('Friday', 'DATE'), ('Sichuan', 'PLACE'), ('arrested', 'EVENT')]

``doc._.facts`` is the factx/1 record of the text, ``doc.spans["factx"]`` holds one span per number,
money amount, date, place and event trigger, and ``span._.factx_fact`` is the fact behind a span.
``factx_paragraphs``, placed before the parser, starts a sentence after every blank line as the
``factx`` command's own pipeline does.
"""

from __future__ import annotations

import warnings
from typing import Any, Iterator, List, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

from .api import Settings, build_record
from .errors import PipelineError
from .nlp import PARAGRAPHS, blank_line_starts, paragraph_starts
from .read import make_article, normalize_published

SPANS_KEY = "factx"
# The record's fact lists and the label of their spans; an event's span is its trigger word.
LABELS = {"numbers": "NUMBER", "money": "MONEY", "dates": "DATE", "places": "PLACE", "events": "EVENT"}
# The annotations the rule layer reads, and what gives them in a spaCy pipeline.
NEEDS = {"token.dep": "a parser", "doc.ents": "an entity recognizer (ner)", "token.lemma": "a lemmatizer"}
ANNOTATIONS = {"token.dep": "DEP", "doc.ents": "ENT_IOB", "token.lemma": "LEMMA"}
# displacy.render(doc, style="span", options=DISPLACY_OPTIONS): the colours of `factx show`.
DISPLACY_OPTIONS = {"spans_key": SPANS_KEY, "colors": {"NUMBER": "#cce0ff", "MONEY": "#c6f0d4", "DATE": "#ead8ff",
                                                       "PLACE": "#ffdcbc", "EVENT": "#e5e7eb"}}


def _fact(span: Span) -> dict[str, Any] | None:
    """The fact of ``doc._.facts`` behind a span of ``doc.spans["factx"]`` (its ``id_`` is the reference)."""
    facts = span.doc._.facts
    ref = span.id_
    if not facts or "[" not in ref:
        return None
    name, index = ref[:-1].split("[")
    items = facts.get(name) or []
    return items[int(index)] if int(index) < len(items) else None


# Registered once, globally, as spaCy advises; another package's attribute of the same name is left alone.
if not Doc.has_extension("facts"):
    Doc.set_extension("facts", default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)
if not Span.has_extension("factx_fact"):
    Span.set_extension("factx_fact", getter=_fact)


def missing_annotations(nlp: Language) -> list[str]:
    """What the pipeline lacks for factx (from what its components say they assign), as ``NEEDS`` words."""
    assigned = {attr for name in nlp.pipe_names for attr in nlp.get_pipe_meta(name).assigns}
    return [what for attr, what in NEEDS.items() if attr not in assigned]


def _need_message(missing: list[str], has: str) -> str:
    return (f"the factx component needs {', '.join(missing[:-1]) + ' and ' if len(missing) > 1 else ''}{missing[-1]} "
            f"before it, as in en_core_web_sm; {has}")


class FactxComponent:
    """Set ``doc._.facts`` (the factx/1 record) and ``doc.spans["factx"]`` on each Doc."""

    def __init__(self, nlp: Language, name: str = "factx", *, countries: List[str] = (), rules: List[str] = (),
                 published: Optional[str] = None) -> None:
        missing = missing_annotations(nlp)
        if missing:
            raise PipelineError(_need_message(missing, f"this pipeline has: {', '.join(nlp.pipe_names) or 'nothing'}"))
        self.name = name
        self.settings = Settings(countries=tuple(c.strip().upper() for c in countries), rules=tuple(rules))
        self.published = normalize_published(published, name=f"{name} config 'published'")
        self._warned = False
        from .events import load_rules

        load_rules(self.settings.rules)  # a bad rules file fails here, naming the file, not on the first Doc

    def __call__(self, doc: Doc) -> Doc:
        """Extract the facts of one Doc."""
        if len(doc):
            missing = [NEEDS[attr] for attr, ann in ANNOTATIONS.items() if not doc.has_annotation(ann)]
            if missing:
                raise PipelineError(_need_message(missing, "this Doc was not annotated with them"))
        published = normalize_published(doc._.published, name="doc._.published") or self.published
        article = make_article(doc.text, id="-", published=published, published_origin="option" if published else None)
        facts = build_record(doc, article, settings=self.settings).to_dict()
        doc._.facts = facts
        doc.spans[SPANS_KEY] = list(_spans(doc, facts))
        if not self._warned and _blank_lines_inside_sentences(doc):
            self._warned = True
            warnings.warn(f"factx: a blank line of this text does not start a sentence, so a headline may run into "
                          f"the body; add nlp.add_pipe({PARAGRAPHS!r}, before='parser') for the facts the factx "
                          f"command gives", UserWarning, stacklevel=2)
        return doc


def _spans(doc: Doc, facts: dict[str, Any]) -> Iterator[Span]:
    for name, label in LABELS.items():
        for i, fact in enumerate(facts.get(name) or ()):
            where = fact.get("trigger") if name == "events" else fact
            span = doc.char_span(where["start"], where["end"], label=label, alignment_mode="expand",
                                 span_id=f"{name}[{i}]")
            if span is not None:
                yield span


def _blank_lines_inside_sentences(doc: Doc) -> bool:
    """True when a token after a blank line does not start a sentence (no ``factx_paragraphs`` before the parser)."""
    return any(not doc[i].is_sent_start for i in blank_line_starts(doc))


@Language.factory("factx", assigns=["doc._.facts", "doc.spans"], requires=list(NEEDS),
                  default_config={"countries": [], "rules": [], "published": None})
def make_factx(nlp: Language, name: str, countries: List[str], rules: List[str],
               published: Optional[str]) -> FactxComponent:
    """Make the ``factx`` component; ``countries``, ``rules`` and ``published`` are as for ``factx extract``."""
    return FactxComponent(nlp, name, countries=countries, rules=rules, published=published)


@Language.factory(PARAGRAPHS, assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str):
    """Make the ``factx_paragraphs`` component: a blank line starts a sentence (place it before the parser)."""
    return paragraph_starts
