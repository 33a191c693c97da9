"""Reading and writing the XML of exchange files.

Files from elsewhere are parsed with defusedxml: a ``<!DOCTYPE>`` naming a
DTD is allowed (TMX files carry one) but never loaded, and entity
declarations and external references are refused. Parsing keeps the line of every element for error messages. Files are
written with the standard library's ElementTree, indented, in UTF-8.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from translate.exchange.units import ExchangeError

XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
XML_SPACE = f"{{{XML_NS}}}space"


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:  # type: ignore[override]
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


@dataclass
class Document:
    """A parsed XML file: its root, and the line of each element."""

    path: str
    root: ET.Element
    _lines: dict[int, int] = field(repr=False, default_factory=dict)

    def line(self, element: ET.Element) -> int | None:
        """The line ``element`` starts on."""
        return self._lines.get(id(element))

    def error(self, element: ET.Element | None, message: str, hint: str | None = None) -> ExchangeError:
        """An error about ``element`` of this file."""
        return ExchangeError(message, path=self.path, line=self.line(element) if element is not None else None, hint=hint)


def parse(data: bytes, path: Path | str) -> Document:
    """Parse an XML file safely.

    Raises:
        ExchangeError: not well-formed XML, or it declares or refers to entities (with the line).
    """
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as error:
        line = error.position[0] if error.position else None
        raise ExchangeError(f"is not well-formed XML: {error}", path=path, line=line, hint="fix the file, or export it again from its tool") from error
    except DefusedXmlException as error:
        raise ExchangeError(
            f"declares entities or refers to external ones, which are refused: {error}",
            path=path,
            line=parser.parser.CurrentLineNumber,
            hint="remove the entity declarations from its <!DOCTYPE>",
        ) from error
    return Document(str(path), root, builder.lines)


def read(path: Path) -> Document:
    """Read and parse an XML file.

    Raises:
        ExchangeError: it cannot be read or parsed.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExchangeError(f"cannot be read: {error.strerror or error}", path=path) from error
    return parse(data, path)


def text_of(element: ET.Element | None) -> str:
    """All the text inside an element (inline markup of other tools reduced to its text)."""
    return "" if element is None else "".join(element.itertext())


def serialize(root: ET.Element, default_namespace: str, prefixes: dict[str, str] | None = None) -> bytes:
    """The bytes of a document: XML declaration, UTF-8, two-space indentation.

    Args:
        default_namespace: the namespace written without a prefix.
        prefixes: other namespaces and their prefixes (``{"mda": uri}``).
    """
    for prefix, uri in (prefixes or {}).items():
        ET.register_namespace(prefix, uri)
    root = copy.deepcopy(root)
    if default_namespace:
        # ElementTree's default_namespace refuses unqualified attributes: write
        # the default namespace's elements by their local names under an xmlns.
        qualified = f"{{{default_namespace}}}"
        for element in root.iter():
            if element.tag.startswith(qualified):
                element.tag = element.tag[len(qualified) :]
        root.set("xmlns", default_namespace)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
