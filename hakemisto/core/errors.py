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
    """Another writer holds the index lock: ``holder`` (who), ``waited`` (seconds) and ``lock_path``
    let the CLI say how to wait for it in its own words."""

    exit_code = 3

    def __init__(self, message: str, *, index_dir: object = None, holder: str = "", waited: float = 0.0,
                 lock_path: object = None) -> None:
        super().__init__(message)
        self.index_dir, self.holder, self.waited, self.lock_path = index_dir, holder, waited, lock_path


class IndexWriteError(HakemistoError):
    """The index could not be written (a full disk, a read-only file system); it is left as it was."""


class InputError(HakemistoError):
    """A path or file that cannot be read."""


class ModelMissingError(HakemistoError):
    """The Finnish spaCy pipeline or voikko is not installed."""


# --- errors that carry their data: each shell (CLI, web) says them in its own words -------------------


class InvalidValue(UsageError):
    """A value the library does not accept, with what it was for (``kind``), the ``value`` and the
    valid ``choices``. The message names no command-line flag: the CLI and the web word it
    themselves from ``code`` and ``params``."""

    def __init__(self, kind: str, value: object, choices: tuple = (), message: str | None = None, *,
                 code: str | None = None, **params: object) -> None:
        self.kind, self.value, self.choices = kind, value, tuple(choices)
        if message is None:
            message = f"unknown {kind} {value!r}" + (f"; choose one of: {', '.join(map(str, choices))}" if choices else "")
        super().__init__(message)
        self.code = code or f"bad_{kind}"
        self.params = {"value": value, **params}


class UnknownRegion(InvalidValue):
    """A county name that matches no county: ``choices`` are the known counties, ``hint`` the closest."""

    def __init__(self, value: str, known: tuple[str, ...], hint: str | None = None) -> None:
        more = f"; did you mean '{hint}'?" if hint else "."
        super().__init__("region", value, known, f"unknown region '{value}'{more} Known regions: {', '.join(known)}.",
                         code="unknown_region", hint=hint or "", known=", ".join(known))
        self.hint = hint


class DocumentNotFound(UsageError):
    """No stored document has this id."""

    code = "no_document"

    def __init__(self, doc_id: str, index_dir: object) -> None:
        self.doc_id, self.index_dir = doc_id, index_dir
        self.params = {"value": doc_id}
        super().__init__(f"no document with id '{doc_id}' in {index_dir}")


class NoPageSplits(InputError):
    """A directory that is neither a gold directory with its documents nor a page-set root."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"{path}: not a page-set root with dev/ and heldout/ (each holding gold/ and docs/)")


class ExportInvalid(UsageError):
    """Export lines that do not fit their template; ``problems`` lists them."""

    def __init__(self, directory: object, problems: tuple[str, ...]) -> None:
        self.directory, self.problems = directory, problems
        super().__init__(f"{directory}: {len(problems)} bulk lines do not fit the template, first: {problems[0]}")


class SourcesFileError(InputError):
    """A sources file that cannot be read or parsed: ``path`` and what is wrong (``problem``)."""

    def __init__(self, path: object, problem: str, code: str) -> None:
        self.path, self.problem, self.code = path, problem, code
        super().__init__(f"{path}: {problem}")
