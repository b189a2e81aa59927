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


class DatabaseError(FactxError):
    """A database cannot be opened, read or written: not SQLite, another program's, locked, unreadable."""


class DatabaseExistsError(DatabaseError):
    """The database to create already exists."""


class RecordRejected(DatabaseError):
    """One record cannot be stored (its article id is already in the database); nothing of it was written."""


class PipelineError(FactxError, ValueError):
    """A spaCy pipeline lacks what the factx component needs (a parser, an entity recognizer, a lemmatizer)."""


class MissingExtraError(FactxError, ImportError):
    """An optional feature is used without its optional dependencies; the message names the extra to install."""
