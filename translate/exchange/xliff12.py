"""XLIFF 1.2: write and read catalogs, following the OASIS representation guide for gettext PO.

This is the layout Translate Toolkit's ``po2xliff`` writes and ``xliff2po``
reads, so most CAT tools and the toolkit see the same entries, comments and
references as a gettext editor (docs/exchange.md):

- ``approved="yes"`` and ``<target state="signed-off">`` for reviewed entries;
  ``state="needs-review-translation"`` for fuzzy ones, with
  ``state-qualifier="mt-suggestion"`` on untouched machine output and
  ``"fuzzy-match"`` on a translation kept when the English changed; no
  ``<target>`` for new ones. Read back: ``approved="yes"``, or no ``approved``
  and a ``signed-off`` or ``final`` state, is reviewed; any other target is fuzzy.
- ``<note from="developer">`` for ``#.`` comments, ``<note from="po-translator">``
  for the translator comment (whole: machine provenance lines included, as
  in the catalog).
- a ``context-group purpose="location"`` per ``#:`` reference (``sourcefile``,
  ``linenumber``); one ``purpose="information"`` with msgctxt
  (``x-po-msgctxt``), the previous msgid (``x-po-previous-msgid``), flags
  (``x-po-flag``) and the digest of the exported translation
  (``x-exported-sha256``). Groups carry no ``name``: the strict schema wants
  names unique in a whole ``<file>``, which the guide's ``po-reference`` and
  ``po-entry`` are not.

Files say ``datatype="plaintext"``: with ``"po"`` Translate Toolkit reads
comments and references only from the guide's named groups, which the strict
schema does not allow more than once per file. The strict 1.2 schema has no
place for other metadata (``<prop-group>`` is
deprecated there), so nothing else is written.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from translate import __version__
from translate.exchange.provenance import comment_text, split_notes
from translate.exchange.units import Bundle, CatalogUnits, Reference, Unit, UnitState
from translate.exchange.xmlio import XML_SPACE, Document, serialize, text_of

NS = "urn:oasis:names:tc:xliff:document:1.2"
_FUZZY = "needs-review-translation"
_REVIEWED_STATES = ("signed-off", "final")
_MACHINE_QUALIFIERS = ("mt-suggestion", "leveraged-mt")


def _x(name: str) -> str:
    return f"{{{NS}}}{name}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _x(tag), attrs)
    if text is not None:
        element.text = text
    return element


def _context_group(parent: ET.Element, purpose: str, contexts: list[tuple[str, str]]) -> None:
    """A context group; unnamed, as the strict schema wants group names unique in a whole ``<file>``."""
    if contexts:
        group = _sub(parent, "context-group", purpose=purpose)
        for kind, text in contexts:
            _sub(group, "context", text, **{"context-type": kind})


def _unit_element(unit: Unit) -> ET.Element:
    attrs = {"id": unit.id, XML_SPACE: "preserve"}
    if unit.state is UnitState.REVIEWED:
        attrs["approved"] = "yes"
    elif unit.state is not UnitState.NEW:
        attrs["approved"] = "no"
    element = ET.Element(_x("trans-unit"), attrs)
    _sub(element, "source", unit.source)
    if unit.state is UnitState.REVIEWED:
        _sub(element, "target", unit.target, state="signed-off")
    elif unit.state is UnitState.MACHINE:
        _sub(element, "target", unit.target, state=_FUZZY, **{"state-qualifier": "mt-suggestion"})
    elif unit.state is UnitState.NEEDS_REVIEW:
        qualifier = {"state-qualifier": "fuzzy-match"} if unit.previous_source is not None else {}
        _sub(element, "target", unit.target, state=_FUZZY, **qualifier)
    for reference in unit.references:
        contexts = [("sourcefile", reference.file)] + ([("linenumber", reference.line)] if reference.line else [])
        _context_group(element, "location", contexts)
    entry: list[tuple[str, str]] = []
    if unit.context is not None:
        entry.append(("x-po-msgctxt", unit.context))
    if unit.previous_source is not None:
        entry.append(("x-po-previous-msgid", unit.previous_source))
    entry += [("x-po-flag", flag) for flag in unit.flags]
    if unit.exported_digest is not None:
        entry.append(("x-exported-sha256", unit.exported_digest))
    _context_group(element, "information", entry)
    if unit.extracted:
        _sub(element, "note", "\n".join(unit.extracted), **{"from": "developer"})
    translator = comment_text(unit.comments, unit.provenance)
    if translator:
        _sub(element, "note", translator, **{"from": "po-translator"})
    return element


def render(bundle: Bundle) -> bytes:
    """An XLIFF 1.2 document holding every catalog of ``bundle``."""
    root = ET.Element(_x("xliff"), {"version": "1.2"})
    for catalog in bundle.files:
        attrs = {"original": catalog.original, "source-language": bundle.source_lang, "target-language": bundle.target_lang, "datatype": "plaintext"}
        file = _sub(root, "file", **attrs)
        header = _sub(file, "header")
        _sub(header, "tool", **{"tool-id": "newsroom-translate", "tool-name": "translate", "tool-version": __version__})
        body = _sub(file, "body")
        for unit in catalog.units:
            body.append(_unit_element(unit))
    return serialize(root, NS)


def _contexts(unit: ET.Element) -> tuple[list[tuple[str, str]], list[Reference]]:
    """The contexts of a unit's information groups, and its references."""
    information: list[tuple[str, str]] = []
    references: list[Reference] = []
    for group in unit.findall(_x("context-group")):
        pairs = [(context.get("context-type", ""), context.text or "") for context in group.findall(_x("context"))]
        if group.get("purpose") == "location":
            found = dict(pairs)
            if found.get("sourcefile"):
                references.append(Reference(found["sourcefile"], found.get("linenumber", "")))
        else:
            information += pairs
    return information, references


def _state(unit: ET.Element, target: ET.Element | None, text: str) -> UnitState:
    if not text or target is None:
        return UnitState.NEW
    approved = unit.get("approved")
    if approved == "yes" or (approved is None and target.get("state") in _REVIEWED_STATES):
        return UnitState.REVIEWED
    return UnitState.MACHINE if target.get("state-qualifier") in _MACHINE_QUALIFIERS else UnitState.NEEDS_REVIEW


def _read_unit(doc: Document, element: ET.Element) -> Unit:
    target_element = element.find(_x("target"))
    target = text_of(target_element)
    information, references = _contexts(element)
    values = dict(information)
    notes = [(note.get("from", ""), note.text or "") for note in element.findall(_x("note"))]
    translator = "\n".join(text for origin, text in notes if origin != "developer")
    extracted = "\n".join(text for origin, text in notes if origin == "developer")
    comments, provenance = split_notes(translator)
    return Unit(
        id=element.get("id", ""),
        source=text_of(element.find(_x("source"))),
        target=target,
        state=_state(element, target_element, target),
        context=values.get("x-po-msgctxt"),
        comments=comments,
        provenance=provenance,
        extracted=tuple(extracted.splitlines()),
        references=tuple(references),
        flags=tuple(text for kind, text in information if kind == "x-po-flag"),
        previous_source=values.get("x-po-previous-msgid"),
        exported_digest=values.get("x-exported-sha256"),
        line=doc.line(element),
    )


def _translatable(element: ET.Element) -> bool:
    return element.get("translate", "yes") != "no" and "gettext-domain-header" not in (element.get("restype") or "")


def parse(doc: Document) -> Bundle:
    """The catalogs of an XLIFF 1.x document (one per ``<file>``; the gettext header unit is skipped).

    Raises:
        ExchangeError: not XLIFF 1.x, or its files disagree on the languages.
    """
    root = doc.root
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if not ns.startswith("urn:oasis:names:tc:xliff:document:1."):
        raise doc.error(root, "is not an XLIFF 1.x document", "export it as XLIFF 1.2 or 2.0")
    files = []
    languages = set()
    for file in root.findall(f"{{{ns}}}file"):
        languages.add((file.get("source-language", ""), file.get("target-language", "")))
        units = tuple(_read_unit(doc, unit) for unit in _units(file, ns) if _translatable(unit))
        files.append(CatalogUnits(file.get("original", ""), units, doc.line(file)))
    if len(languages) > 1:
        raise doc.error(root, f"its files are in different languages ({', '.join(sorted('>'.join(pair) for pair in languages))})", "import one language at a time")
    source, target = languages.pop() if languages else ("", "")
    return Bundle(source, target, tuple(files))


def _units(file: ET.Element, ns: str) -> list[ET.Element]:
    """The trans-units of a file (in groups too), read as 1.2 whatever the 1.x namespace."""
    units = list(file.iter(f"{{{ns}}}trans-unit"))
    if ns != NS:
        for unit in units:
            for element in unit.iter():
                if element.tag.startswith(f"{{{ns}}}"):
                    element.tag = _x(element.tag[len(ns) + 2 :])
    return units
