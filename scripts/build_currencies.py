"""Build ``src/factx/data/currencies.json`` from pycountry (ISO 4217 codes) and babel (English names, symbols).

Usage::

    python scripts/build_currencies.py [OUT]

The table lists every active ISO 4217 currency that babel names in English, with its
singular and plural English names (lower case) and its English-locale symbols when they
differ from the code.  Hand-kept aliases ("yuan", "US$", "Rs") live apart in
``currency_aliases.json`` and are merged at load time.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import babel
import pycountry
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import get_currency_name

OUT = Path(__file__).resolve().parents[1] / "src" / "factx" / "data" / "currencies.json"
# Precious metals, funds and test codes are not money in news text.
SKIP_PREFIX = "X"
KEEP_X = {"XAF", "XOF", "XCD", "XPF"}
# Signs shared by several currencies; the hand-kept aliases decide what they mean.
AMBIGUOUS = {"$", "¥", "£", "kr", "kr.", "₨", "Rs", "৳", "﷼", "ر.س.\u200f", "￥", "¤"}


def _local_symbols() -> dict[str, set[str]]:
    """Symbols each currency has in the main locale of a territory that uses it ("GEL" -> "₾")."""
    out: dict[str, set[str]] = {}
    for territory, spans in sorted(get_global("territory_currencies").items()):
        try:
            loc = Locale.parse(f"und_{territory}")
        except (UnknownLocaleError, ValueError):
            continue
        for code, *_ in spans:
            sym = "".join(ch for ch in loc.currency_symbols.get(code) or "" if unicodedata.category(ch)[0] not in "CZ")
            # Only symbols no one could read as a word or as another currency's sign.
            if sym and not re.search(r"[A-Za-z]", sym) and sym not in AMBIGUOUS:
                out.setdefault(code, set()).add(sym)
    return out


def build() -> dict:
    """Return the currency table as plain JSON data."""
    locale = Locale("en")
    local = _local_symbols()
    taken: dict[str, str] = {}
    table: dict[str, dict] = {}
    for cur in sorted(pycountry.currencies, key=lambda c: c.alpha_3):
        code = cur.alpha_3
        if code.startswith(SKIP_PREFIX) and code not in KEEP_X:
            continue
        if code not in locale.currencies:
            continue
        names = {
            get_currency_name(code, count=1, locale="en").lower(),
            get_currency_name(code, count=2, locale="en").lower(),
            locale.currencies[code].lower(),
        }
        symbols = set()
        sym = locale.currency_symbols.get(code)
        if sym and sym != code:
            symbols.add(sym)
        for sym in sorted(local.get(code, ())):
            if taken.setdefault(sym, code) == code and sym not in {
                    s for c, s in locale.currency_symbols.items() if c != code}:
                symbols.add(sym)
        table[code] = {
            "name": locale.currencies[code],
            "names": sorted(n for n in names if n and "(" not in n),
            "symbols": sorted(symbols),
        }
    return {
        "source": f"pycountry {pycountry.__version__ if hasattr(pycountry, '__version__') else ''} ISO 4217 codes; "
        f"babel {babel.__version__} CLDR English names and symbols",
        "currencies": table,
    }


def main(argv: list[str]) -> int:
    """Write the table to ``argv[0]`` or the package data file."""
    out = Path(argv[0]) if argv else OUT
    data = build()
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(data['currencies'])} currencies to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
