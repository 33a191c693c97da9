"""Decode article files into text and encode published text back, faithfully.

An article is read as bytes and decoded strictly: a byte-order mark (also with
an explicit ``--encoding utf-8``) and CRLF or CR-only (old Mac) line ends are
remembered so that the published file has them again, and input that is not
text (binary data, UTF-16 without a byte-order mark, an unexpected encoding) or
shows nothing (white space, zero-width characters) is refused with an error
that says how to fix it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from translate.config import check_encoding
from translate.errors import ConfigError, InputError
from translate.patterns import BLANK

_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


#: Codecs whose text may start with a byte-order mark (U+FEFF) that is not part of the text.
_UNICODE_CODECS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
_EMPTY = "is empty: there is nothing to translate"


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


def _bomless_utf16_32(data: bytes) -> str | None:
    """The codec of text that looks like UTF-16 or UTF-32 without a byte-order mark, else ``None``.

    English text in these encodings has a NUL byte beside almost every
    character (``H\\0e\\0`` in UTF-16LE): NULs in most 2- or 4-byte units
    at every position but the one that holds the character, rarely there, and
    the bytes decode.
    """
    sample = data[:4096]
    for width, codec in ((4, "utf-32-le"), (4, "utf-32-be"), (2, "utf-16-le"), (2, "utf-16-be")):
        units = len(sample) // width
        if units < 2:
            continue
        text_byte = 0 if codec.endswith("le") else width - 1
        nul_counts = [sample[offset::width].count(0) for offset in range(width)]
        if nul_counts[text_byte] <= units // 16 and all(count >= units * 3 // 4 for offset, count in enumerate(nul_counts) if offset != text_byte):
            try:
                data[: len(data) - len(data) % width].decode(codec)
            except UnicodeDecodeError:
                continue
            return codec
    return None


def _check_not_binary(data: bytes, path: str) -> None:
    nul = data.find(b"\0")
    if nul != -1:
        codec = _bomless_utf16_32(data)
        if codec is not None:
            name = codec.upper().replace("-LE", "LE").replace("-BE", "BE")
            raise InputError(
                f"looks like {name[:6]} text without a byte-order mark",
                path=path,
                line=1,
                hint=f"pass --encoding {codec}, or convert it: iconv -f {name} -t UTF-8",
            )
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
        raise InputError(_EMPTY, path=path, hint="check the file name")
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
        if text.startswith("\ufeff") and codecs.lookup(encoding).name in _UNICODE_CODECS:
            bom, text = True, text[1:]
    if BLANK.fullmatch(text):
        raise InputError(_EMPTY, path=path, hint="it holds only white space or invisible characters; check the file name")
    newline = "\n"
    crlf = text.count("\r\n")
    if crlf and crlf == text.count("\n"):
        newline, text = "\r\n", text.replace("\r\n", "\n")
    elif "\r" in text and "\n" not in text:
        newline, text = "\r", text.replace("\r", "\n")
    return Decoded(text=text, encoding=encoding, bom=bom, newline=newline)


def encode(text: str, *, encoding: str = "utf-8", bom: bool = False, newline: str = "\n") -> bytes:
    """Encode ``text`` as a file read with these properties was encoded."""
    if newline != "\n":
        text = text.replace("\n", newline)
    data = text.encode(encoding)
    return "\ufeff".encode(encoding) + data if bom else data
