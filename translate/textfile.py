"""Decode article files into text and encode published text back, faithfully.

An article is read as bytes and decoded strictly: a byte-order mark and CRLF
line ends are remembered so that the published file has them again, and input
that is not text (binary data, an unexpected encoding) is refused with an error
that says how to fix it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from translate.config import check_encoding
from translate.errors import ConfigError, InputError

_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


@dataclass(frozen=True)
class Decoded:
    """Text of a file and what is needed to write it back the same way."""

    text: str
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"


def _line_and_column(data: bytes, position: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, position) + 1
    column = position - (data.rfind(b"\n", 0, position) + 1) + 1
    return line, column


def _check_not_binary(data: bytes, path: str) -> None:
    nul = data.find(b"\0")
    if nul != -1:
        line, _ = _line_and_column(data, nul)
        raise InputError(
            "is a binary file, not a text article",
            path=path,
            line=line,
            hint="pass a .txt, .md or .html article saved as UTF-8 text",
        )


def decode(data: bytes, path: str | Path, encoding: str | None = None) -> Decoded:
    """Decode the bytes of an article.

    Args:
        data: the file's bytes.
        path: the file's name, for error messages.
        encoding: a Python codec name; ``None`` means UTF-8 with or without BOM.

    Raises:
        InputError: the file is empty, binary, or not in the expected encoding.
    """
    path = str(path)
    if not data.strip():
        raise InputError("is empty: there is nothing to translate", path=path, hint="check the file name")
    bom = False
    if encoding is None:
        for mark, name in _UTF16_32_BOMS:
            if data.startswith(mark):
                raise InputError(
                    f"is {name} text",
                    path=path,
                    line=1,
                    hint=f"convert it to UTF-8 (iconv -f {name} -t UTF-8) or pass --encoding {name.lower()}",
                )
        _check_not_binary(data, path)
        if data.startswith(codecs.BOM_UTF8):
            bom, data = True, data[len(codecs.BOM_UTF8) :]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line, column = _line_and_column(data, error.start)
            raise InputError(
                f"is not valid UTF-8 (byte 0x{data[error.start]:02X} at column {column})",
                path=path,
                line=line,
                hint="re-save it as UTF-8, or pass --encoding latin-1 (or cp1252) if that is what it is",
            ) from error
        encoding = "utf-8"
    else:
        try:
            check_encoding(encoding)
        except ConfigError as error:
            raise InputError(error.message, path=path, hint=error.hint) from error
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            line, column = _line_and_column(data, error.start)
            raise InputError(f"cannot be decoded as {encoding} (column {column})", path=path, line=line, hint="check --encoding") from error
        except UnicodeError as error:  # a codec that fails without a position
            raise InputError(f"cannot be decoded as {encoding}: {error}", path=path, hint="check --encoding") from error
        if "\0" in text:
            raise InputError("is a binary file, not a text article", path=path, hint="check --encoding and the file")
    if not text.strip():
        raise InputError("holds only white space: there is nothing to translate", path=path, hint="check the file name")
    newline = "\n"
    crlf = text.count("\r\n")
    if crlf and crlf == text.count("\n"):
        newline, text = "\r\n", text.replace("\r\n", "\n")
    return Decoded(text=text, encoding=encoding, bom=bom, newline=newline)


def encode(text: str, *, encoding: str = "utf-8", bom: bool = False, newline: str = "\n") -> bytes:
    """Encode ``text`` as a file read with these properties was encoded."""
    if newline != "\n":
        text = text.replace("\n", newline)
    data = text.encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data
