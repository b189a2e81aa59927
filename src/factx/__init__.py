"""factx: facts from news articles as structured, machine-readable records."""

from __future__ import annotations

__version__ = "0.1.0"
