"""One exception hierarchy for the whole library.

Every error carries the file (and line, where one is known) it is about and a
short hint saying how to fix it, so that the command line can print it as one
line: ``path:line: message (hint)``.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Characters that would break the one-line form of a message: control
#: characters, line separators and lone surrogates (bytes of a file name that are not UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with line breaks, control characters and undecodable bytes written as escapes (``\\n``, ``\\xe9``)."""
    return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1].replace("\\udc", "\\x"), text)


class TranslateError(Exception):
    """Base class of every error the library raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def as_json(self) -> dict[str, str | int | None]:
        """The error as plain data, as every ``--json`` report gives it: file, line, message, hint, and the one-line text."""
        return {"file": self.path, "line": self.line, "message": self.message, "hint": self.hint, "text": str(self)}

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = printable(self.path) + (f":{self.line}" if self.line is not None else "") + ": "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class InputError(TranslateError):
    """An article cannot be read: bad encoding, binary data, malformed markup."""


class CatalogError(TranslateError):
    """A .po or .pot file cannot be read or is inconsistent."""


class ConflictError(CatalogError):
    """A catalog changed on disk while it was being updated and could not be merged."""


class BeingEditedError(CatalogError):
    """A catalog is being saved by another program (or looks half-saved): it was left alone this time."""


class OwnershipError(CatalogError):
    """A catalog belongs to another article (two articles with the same catalog name)."""


class WriteError(TranslateError):
    """A file cannot be written: a read-only or missing folder, a full disk. The old file is left as it was."""


class PublishError(TranslateError):
    """A localized article cannot be produced (for example untranslated text with --untranslated=fail)."""


class UnsafeTranslation(PublishError):
    """A translation is refused: it brings markup its source has not where escaping cannot make it text.

    The error names the catalog and the line of the entry; it is an error to
    fix in the catalog, never a publish rule holding an article back.
    """


class FailedCheckError(PublishError):
    """A translation to publish fails an error-level check, and publishing is strict."""


class ConfigError(TranslateError):
    """A configuration value or command-line option is invalid."""
