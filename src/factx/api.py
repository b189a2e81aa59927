"""The library API: text or articles in, factx/1 records out.

    >>> import factx
    >>> rec = factx.extract("Police arrested 27 suspects in Sichuan on Friday.", published="2014-02-28")
    >>> rec.events[0].type, rec.events[0].count["value"]
    ('arrest', 27)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .models import Article, Event, Focus, PlaceMention, Record
from .read import Failure, make_article, source_sha256

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class Settings:
    """Options that change what is extracted (not how it is written)."""

    model: str | None = None
    countries: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    # Texts parsed together: the parser's and the recognizer's arrays grow with the batch, their speed hardly does
    # (300 Reuters stories through the lean pipeline: peak 232 MiB at 12, 257 at 16, 321 at 32; CPU within 1%).
    batch_size: int = 12

    def __post_init__(self) -> None:
        for c in self.countries:
            if not (isinstance(c, str) and len(c) == 2 and c.isalpha()):
                raise ValueError(f"country codes are ISO 3166-1 alpha-2 (e.g. CN), got {c!r}")
        if self.batch_size < 1:
            raise ValueError("batch_size must be at least 1")


def build_record(doc: Doc, article: Article, *, settings: Settings = Settings(),
                 nlp: Language | None = None) -> Record:
    """Run mentions, normalization and events over a parsed article and assemble its record.

    With ``nlp``, the title is read for events too (``part: "title"``): those of types the text does not tell.
    """
    from .events import build_events, load_rules, summarize_incidents

    dates, numbers, money, places, focus = _mentions(doc, article.published, settings)
    rules = load_rules(settings.rules)
    events = build_events(doc, numbers=numbers, money=money, dates=dates, places=places, focus=focus,
                          published=article.published, rules=rules)
    if nlp is not None and article.title and article.title.strip():
        from .events.headline import add_headline

        events = add_headline(events, _title_events(nlp, article, doc, places, focus, settings, rules), rules)
    warnings = []
    if article.published is None:
        warnings.append("no publication date: relative dates are left unresolved")
    return Record(
        source={"id": article.id, "sha256": source_sha256(article), "chars": len(article.text),
                "format": article.format, "encoding": article.encoding},
        published={"value": article.published, "origin": article.published_origin},
        title=article.title,
        numbers=numbers,
        money=money,
        dates=dates,
        places=places,
        focus=focus,
        events=events,
        incidents=summarize_incidents(events, rules),
        warnings=warnings,
        text=article.text,
    )


def _mentions(doc: Doc, published: str | None, settings: Settings) -> tuple[Any, ...]:
    from .mentions.dates import extract_dates
    from .mentions.places import extract_places
    from .mentions.quantities import extract_quantities

    dates = extract_dates(doc, published=published)
    numbers, money = extract_quantities(doc, dates=dates)
    places, focus = extract_places(doc, prefer_countries=settings.countries)
    return dates, numbers, money, places, focus


def _title_events(nlp: Language, article: Article, doc: Doc, places: list[PlaceMention], focus: Focus,
                  settings: Settings, rules: Any) -> list[Event]:
    """The headline's events, placed by the text's dateline or main city where the headline names no place."""
    from .events.headline import headline_events

    # A headline has no final stop; with one the parser reads it as the sentence it stands for (the offsets of
    # the title's own characters stay as they are).
    text = article.title.rstrip()
    title = nlp(text if text.endswith((".", "!", "?")) else text + ".")
    t_dates, t_numbers, t_money, t_places, _ = _mentions(title, article.published, settings)
    return headline_events(title, doc, numbers=t_numbers, money=t_money, dates=t_dates, places=t_places,
                           text_places=places, focus=focus, published=article.published, rules=rules,
                           length=len(text))


def _nlp(nlp: Language | None, settings: Settings) -> Language:
    if nlp is not None:
        return nlp
    from .nlp import load_nlp

    return load_nlp(settings.model)


def extract(text: str, *, published: str | None = None, title: str | None = None, id: str = "-",
            nlp: Language | None = None, settings: Settings = Settings()) -> Record:
    """Extract the facts of one article text; ``published`` (ISO date) anchors relative dates.

    Example:
        >>> extract("Two people were killed on Monday.", published="2024-05-08").dates[0].value
        '2024-05-06'
    """
    article = make_article(text, id=id, published=published, published_origin="option" if published else None,
                           title=title)
    return extract_article(article, nlp=nlp, settings=settings)


def extract_article(article: Article, *, nlp: Language | None = None, settings: Settings = Settings()) -> Record:
    """Extract the facts of one ``Article``."""
    from .chunks import is_long

    language = _nlp(nlp, settings)
    if is_long(article.text):
        return _extract_long(article, language, settings)
    return build_record(language(article.text), article, settings=settings, nlp=language)


def _extract_long(article: Article, nlp: Language, settings: Settings) -> Record:
    from dataclasses import replace

    from .chunks import iter_pieces, merge_records

    # Every piece carries the whole input's hash, so the merged record names the input, not its last piece.
    whole = replace(article, sha256=source_sha256(article))
    parts = ((offset, build_record(doc, replace(whole, text=doc.text), settings=settings))
             for offset, doc in iter_pieces(nlp, article.text))
    return merge_records(parts, article)


def as_articles(items: Iterable[Article | Failure | str]) -> Iterator[Article | Failure]:
    """Turn plain texts into articles numbered by position; articles and failures pass through."""
    for i, item in enumerate(items):
        yield make_article(item, id=str(i)) if isinstance(item, str) else item


def extract_many(items: Iterable[Article | Failure | str], *, nlp: Language | None = None,
                 settings: Settings = Settings()) -> Iterator[Record | Failure]:
    """Stream records for many articles (or plain texts), in input order; failures pass through.

    Example:
        >>> [r.source["id"] for r in extract_many(["A text.", "Another text."])]
        ['0', '1']
    """
    from .chunks import pipe

    language = _nlp(nlp, settings)
    for article, doc in pipe(language, as_articles(items), batch_size=settings.batch_size):
        if isinstance(article, Failure):
            yield article
            continue
        try:
            yield (build_record(doc, article, settings=settings, nlp=language) if doc is not None
                   else _extract_long(article, language, settings))
        except Exception as exc:  # one bad article must not stop a batch
            yield Failure(article.id, exc)
