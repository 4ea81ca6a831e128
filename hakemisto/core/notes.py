"""Notes that carry data: a neutral English sentence plus a ``code`` and ``params``.

A library note (why a search found nothing, why a crawled page was skipped, what ``check`` found)
is a ``str`` so logs, JSON and the report renderers keep working unchanged; ``code`` and ``params``
let each front end say it in its own words: the CLI names its flags, the web page speaks Finnish
or Swedish. No library text names a CLI flag (tests/test_library_words.py checks this).
"""

from __future__ import annotations

from typing import Any


class Note(str):
    """One line of advice or explanation: the neutral text plus the data it was made from."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, text: str, **params: Any) -> Note:
        note = super().__new__(cls, text)
        note.code = code
        note.params = params
        return note

    def __reduce__(self) -> tuple[Any, ...]:
        return (_make_note, (self.code, str(self), self.params))

    def as_dict(self) -> dict[str, Any]:
        """The human text and the structured fields, for JSON answers."""
        return {"code": self.code, "text": str(self), "params": self.params}


def _make_note(code: str, text: str, params: dict[str, Any]) -> Note:
    return Note(code, text, **params)


def note_dicts(notes: Any) -> list[dict[str, Any]]:
    """``as_dict`` of each note; a plain string becomes ``{"code": "", "text": …, "params": {}}``."""
    return [n.as_dict() if isinstance(n, Note) else {"code": "", "text": str(n), "params": {}} for n in notes]
