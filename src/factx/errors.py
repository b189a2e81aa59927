"""Errors raised by the library; the CLI turns them into one-line messages."""

from __future__ import annotations


class FactxError(Exception):
    """Base class of every error factx raises on purpose."""


class InputError(FactxError):
    """An article could not be read: missing, empty, binary, undecodable, malformed."""


class RulesError(FactxError):
    """A rules or pattern file is invalid; the message names the file and line."""


class ModelNotFoundError(FactxError):
    """The spaCy model is not installed."""
