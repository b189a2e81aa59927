from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "china-baby-trafficking.txt"


@pytest.fixture(scope="session")
def nlp():
    """The real English model, loaded once for the whole test session."""
    from factx.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def deny_open(monkeypatch):
    """Make ``os.open`` refuse paths ending with a suffix, as for an unreadable file (tests run as root)."""

    def deny(suffix: str) -> None:
        real_open = os.open

        def guarded(path, *args, **kwargs):
            if os.fspath(path).endswith(suffix):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", guarded)

    return deny
