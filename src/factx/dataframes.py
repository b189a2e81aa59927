"""factx records as pandas DataFrames: one per table, with the columns of the SQLite tables.

pandas is an optional dependency (``pip install 'factx[frames]'``).

    >>> dfs = factx.frames(factx.extract_many(texts))                               # doctest: +SKIP
    >>> dfs["events"].groupby(["type", "place_country"]).size()                     # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from .errors import MissingExtraError
from .tables import children, incident_rows, record_rows

if TYPE_CHECKING:
    import pandas as pd

# pandas' nullable types, so that a column keeps its type when some of its cells are empty (and when all are).
DTYPES = {"TEXT": "string", "INTEGER": "Int64", "NUMERIC": "Float64", "REAL": "Float64", "BOOLEAN": "boolean",
          "JSON": "string"}


def frames(records: Iterable[Any], *, incidents: Iterable[dict[str, Any]] | None = None,
           include_text: bool = False) -> dict[str, pd.DataFrame]:
    """Return a DataFrame per table for factx/1 records (``Record`` objects or their dicts).

    Args:
        records: the records, e.g. ``factx.extract_many(texts)`` or the parsed lines of a JSONL output.
        incidents: factx-incident/1 objects; given, the result also has ``incidents``, ``incident_counts`` and
            ``incident_mentions``.
        include_text: keep a ``Record``'s article text in ``articles.text``.

    Returns:
        ``{"articles": df, "numbers": df, "money": df, "dates": df, "places": df, "events": df,
        "article_incidents": df, ...}``, with the column names and values of the SQLite tables: JSON text
        for lists and objects, nullable pandas types for the others.

    Raises:
        MissingExtraError: pandas is not installed.

    Example:
        >>> dfs = frames([factx.extract("Police arrested 27 people in Lyon.")])    # doctest: +SKIP
        >>> dfs["events"][["type", "count_value", "place_country"]].values.tolist()  # doctest: +SKIP
        [['arrest', 27.0, 'FR']]
    """
    try:
        import pandas as pd
    except ImportError:
        raise MissingExtraError("factx.frames needs pandas: pip install 'factx[frames]'") from None
    tables = list(children("articles")) + (list(children("incidents")) if incidents is not None else [])
    rows: dict[str, list[tuple]] = {t.name: [] for t in tables}
    for record in records:
        for name, got in record_rows(record, include_text=include_text).items():
            rows[name].extend(got)
    for incident in incidents or ():
        for name, got in incident_rows(incident).items():
            rows[name].extend(got)
    return {t.name: pd.DataFrame.from_records(rows[t.name], columns=list(t.column_names))
            .astype({c.name: DTYPES[c.type] for c in t.columns}) for t in tables}
