"""Render saved factx output as the `factx show --html` page and screenshot it with headless Chromium.

Usage:
    python scripts/screenshot_show.py OUT.png RECORD_JSON [--width 1200] [--select 1] [--hover 3]

RECORD_JSON is factx output (one object, an array or JSON Lines) whose records carry the
article under a top-level "text" key. The browser is the system Chromium (Debian package
``chromium``, or ``FACTX_CHROMIUM``); no browser is downloaded and every non-file request
is refused.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from factx.errors import FactxError
from factx.show import render_html, records_from_json

# The browser is driven exactly as the tests drive it: one launcher, one offline page opener.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browser_helpers import chromium, chromium_path, open_offline  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Write OUT.png from RECORD_JSON; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="PNG file to write")
    parser.add_argument("records", type=Path, help="factx JSON output with the article text embedded")
    parser.add_argument("--width", type=int, default=1200, help="viewport width in CSS pixels (default 1200)")
    parser.add_argument("--select", type=int, default=1, help="event row to select, 1-based; 0 for none (default 1)")
    parser.add_argument("--hover", type=int, default=0, help="highlight to hover, 1-based; 0 hovers none (default 0)")
    parser.add_argument("--title", default="factx", help="page title")
    args = parser.parse_args(argv)

    try:
        records = list(records_from_json(args.records.read_text(encoding="utf-8"), name=str(args.records)))
    except (OSError, FactxError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    try:
        chromium_path()
    except RuntimeError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "show.html"
        page_path.write_text(render_html([(r, r["text"]) for r in records], title=args.title), encoding="utf-8")
        with chromium() as browser:
            page, _, _ = open_offline(browser, page_path, width=args.width, height=900)
            rows = page.locator("section.article").first.locator("tr.ev")
            if 0 < args.select <= rows.count():
                rows.nth(args.select - 1).click()
            marks = page.locator("section.article").first.locator("mark.fx[role=button]")
            if 0 < args.hover <= marks.count():
                marks.nth(args.hover - 1).hover()
            else:
                page.mouse.move(0, 0)
            page.wait_for_timeout(300)  # let the smooth scroll to the selected sentence settle
            page.evaluate("window.scrollTo(0, 0)")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out), full_page=True)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
