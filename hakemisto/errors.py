"""Errors a user can act on. Each message names the file or value and says what to do."""

from __future__ import annotations


class HakemistoError(Exception):
    """Base class: the CLI turns these into one line on stderr and exit code 1."""

    exit_code = 1


class UsageError(HakemistoError):
    """A bad option value (unknown region, unknown funder id…).

    ``code`` and ``params`` (optional) let the web page say the same in Finnish or Swedish.
    """

    exit_code = 2
    code: str = ""
    params: dict = {}  # noqa: RUF012 - replaced per instance, never mutated


class IndexMissingError(HakemistoError):
    """The index directory has no index yet."""


class IndexLockedError(HakemistoError):
    """Another writer holds the index lock."""

    exit_code = 3


class IndexWriteError(HakemistoError):
    """The index could not be written (a full disk, a read-only file system); it is left as it was."""


class InputError(HakemistoError):
    """A path or file that cannot be read."""


class ModelMissingError(HakemistoError):
    """The Finnish spaCy pipeline or voikko is not installed."""


class NetworkError(HakemistoError):
    """A source could not be reached."""
