#!/usr/bin/env python3
"""Write ``docs/event-types.md``: a short introduction and the table that ``factx types`` prints."""

from __future__ import annotations

from pathlib import Path

from factx.events import describe_types, load_rules
from factx.write import types_markdown

PAGE = Path(__file__).resolve().parents[1] / "docs" / "event-types.md"
INTRO = """\
# factx event types

The event inventory of factx with the classes of three event data sets, so that factx output can be
joined with them: ACLED (event type / sub-event type), CAMEO (root code) and KAIROS (event type).
"counts" names what an event's `count` counts (people, buildings, vehicles, jobs…); types without it
are counted only as events. Triggers come from `src/factx/data/events.json` and, for some types,
from WordNet (`src/factx/data/events_lexicon.json`, built by `scripts/build_event_lexicon.py`).
`factx types --format json` gives every trigger word. This page is written by
`python scripts/build_types_page.py` from the output of `factx types`.

"""


def main() -> None:
    """Write the page."""
    PAGE.write_text(INTRO + types_markdown(describe_types(load_rules())), encoding="utf-8")
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    main()
