"""factx: facts from news articles as structured, machine-readable records.

    >>> import factx
    >>> record = factx.extract("Police arrested 27 suspects in Sichuan on Friday.", published="2014-02-28")
    >>> record.to_dict()["events"][0]["type"]
    'arrest'
"""

from __future__ import annotations

from .api import Settings, build_record, extract, extract_article, extract_many
from .dataframes import frames
from .errors import FactxError, InputError, ModelNotFoundError, RulesError
from .models import Article, DateMention, Event, Focus, MoneyMention, NumberMention, PlaceMention, Record

__version__ = "0.1.0"

__all__ = [
    "Article", "DateMention", "Event", "FactxError", "Focus", "InputError", "ModelNotFoundError", "MoneyMention",
    "NumberMention", "PlaceMention", "Record", "RulesError", "Settings", "build_record", "extract",
    "extract_article", "extract_many", "frames", "__version__",
]
