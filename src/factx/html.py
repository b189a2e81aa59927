"""HTML pages: the article's main text, title and publication date, via trafilatura and htmldate."""

from __future__ import annotations

from .errors import InputError
from .models import Article


def article_from_html(html: str, *, id: str, published: str | None = None, encoding: str | None = None,
                      max_chars: int) -> Article:
    """Extract an ``Article`` from a web page; offsets then refer to the extracted text."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=False)
    except Exception as exc:  # trafilatura raises many lxml/parser errors on broken markup
        raise InputError(f"{id}: cannot parse HTML ({exc.__class__.__name__})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError(f"{id}: no article text found in the HTML page")
    if len(text) > max_chars:
        raise InputError(f"{id}: too long ({len(text):,} characters; the limit is {max_chars:,}, see --max-chars)")
    from .read import make_article, normalize_published

    try:
        page_date = normalize_published(getattr(doc, "date", None))
    except InputError:  # a page's own date that is not ISO is dropped, not the article
        page_date = None
    title = (getattr(doc, "title", None) or "").strip() or None
    if published:
        return make_article(text, id=id, published=published, published_origin="option",
                            title=title, fmt="html", encoding=encoding)
    return make_article(text, id=id, published=page_date or None, title=title, fmt="html", encoding=encoding)
