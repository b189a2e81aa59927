"""Drive Debian's Chromium headless through Playwright, with no browser download and no network."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

# Background services would try the network; the page under test must not need it.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_path() -> str:
    """Return the Chromium executable: ``FACTX_CHROMIUM``, else ``chromium`` on PATH."""
    path = os.environ.get("FACTX_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium not found: install Debian's package with `apt-get install -y chromium`")
    return path


@contextmanager
def chromium() -> Iterator[object]:
    """Yield a launched headless Playwright ``Browser`` running the system Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def open_offline(browser, path: Path, *, width: int = 1100, height: int = 900):
    """Open a local file in a new page that fails every non-file request; return (page, requests, errors)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    requests: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    def route(r):
        requests.append(r.request.url)
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri())
    return page, requests, errors
