"""XLIFF 2.0: write and read catalogs as ``<file>``/``<unit>``/``<segment>``.

Mapping (docs/exchange.md):

- state: new ↔ ``initial`` (no ``<target>``); machine output and other fuzzy
  entries ↔ ``translated`` with ``subState="translate:machine"`` or
  ``"translate:needs-review"``; reviewed ↔ ``reviewed``. Read back,
  ``reviewed`` and ``final`` are reviewed; ``translated``, and ``initial``
  with a target, are fuzzy.
- notes: translator comments ``<note category="translator">``, ``#.``
  comments ``category="developer"``, ``#:`` references ``category="location"``.
- metadata module (``mda``): group ``gettext`` (msgctxt, previous msgid,
  flags, the digest of the exported translation) and group ``provenance``
  (one ``<mda:meta>`` per provenance line, its kind as ``type``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from translate.exchange.units import Bundle, CatalogUnits, Reference, Unit, UnitState
from translate.exchange.xmlio import XML_SPACE, Document, serialize, text_of
from translate.exchange.provenance import ProvenanceLine

NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
SUBSTATE_PREFIX = "translate"

_WRITE = {
    UnitState.NEW: ("initial", None),
    UnitState.MACHINE: ("translated", f"{SUBSTATE_PREFIX}:machine"),
    UnitState.NEEDS_REVIEW: ("translated", f"{SUBSTATE_PREFIX}:needs-review"),
    UnitState.REVIEWED: ("reviewed", None),
}


def _x(name: str) -> str:
    return f"{{{NS}}}{name}"


def _m(name: str) -> str:
    return f"{{{MDA}}}{name}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _metadata(unit: Unit) -> ET.Element | None:
    gettext: list[tuple[str, str]] = []
    if unit.context is not None:
        gettext.append(("msgctxt", unit.context))
    if unit.previous_source is not None:
        gettext.append(("previous-msgid", unit.previous_source))
    gettext += [("flag", flag) for flag in unit.flags]
    if unit.exported_digest is not None:
        gettext.append(("exported-sha256", unit.exported_digest))
    groups = [("gettext", gettext), ("provenance", [(p.kind, p.value) for p in unit.provenance])]
    if not any(items for _, items in groups):
        return None
    metadata = ET.Element(_m("metadata"))
    for category, items in groups:
        if items:
            group = _sub(metadata, _m("metaGroup"), category=category)
            for kind, value in items:
                _sub(group, _m("meta"), value, type=kind)
    return metadata


def _unit_element(unit: Unit) -> ET.Element:
    element = ET.Element(_x("unit"), {"id": unit.id, XML_SPACE: "preserve"})
    metadata = _metadata(unit)
    if metadata is not None:
        element.append(metadata)
    notes = [("translator", "\n".join(unit.comments))] if unit.comments else []
    notes += [("developer", "\n".join(unit.extracted))] if unit.extracted else []
    notes += [("location", str(reference)) for reference in unit.references]
    if notes:
        container = _sub(element, _x("notes"))
        for category, text in notes:
            _sub(container, _x("note"), text, category=category)
    state, substate = _WRITE[unit.state]
    segment = _sub(element, _x("segment"), state=state, **({"subState": substate} if substate else {}))
    _sub(segment, _x("source"), unit.source)
    if unit.state is not UnitState.NEW:
        _sub(segment, _x("target"), unit.target)
    return element


def render(bundle: Bundle) -> bytes:
    """An XLIFF 2.0 document holding every catalog of ``bundle``."""
    root = ET.Element(_x("xliff"), {"version": "2.0", "srcLang": bundle.source_lang, "trgLang": bundle.target_lang})
    for number, catalog in enumerate(bundle.files, start=1):
        file = _sub(root, _x("file"), id=f"f{number}", original=catalog.original)
        for unit in catalog.units:
            file.append(_unit_element(unit))
    return serialize(root, NS, {"mda": MDA})


def _state(segment: ET.Element, target: str) -> UnitState:
    if not target:
        return UnitState.NEW
    state = segment.get("state", "initial")
    if state in ("reviewed", "final"):
        return UnitState.REVIEWED
    if segment.get("subState") == f"{SUBSTATE_PREFIX}:machine":
        return UnitState.MACHINE
    return UnitState.NEEDS_REVIEW


def _meta(unit: ET.Element, category: str) -> list[tuple[str, str]]:
    items = []
    for group in unit.iter(_m("metaGroup")):
        if group.get("category") == category:
            items += [(meta.get("type", ""), meta.text or "") for meta in group.iter(_m("meta"))]
    return items


def _reference(text: str) -> Reference:
    file, colon, line = text.rpartition(":")
    return Reference(file, line) if colon and line.isdigit() else Reference(text)


def _read_unit(doc: Document, element: ET.Element) -> Unit:
    segments = element.findall(_x("segment"))
    if len(segments) != 1:
        raise doc.error(element, f"unit {element.get('id')!r} has {len(segments)} segments; one is expected", "keep one segment per unit (do not split or join sentences)")
    segment = segments[0]
    target_element = segment.find(_x("target"))
    target = text_of(target_element)
    notes: dict[str, list[str]] = {}
    for note in element.iter(_x("note")):
        notes.setdefault(note.get("category", ""), []).append(note.text or "")
    gettext = _meta(element, "gettext")
    values = {kind: value for kind, value in gettext}
    comments = [line for text in notes.get("translator", []) + notes.get("", []) for line in text.splitlines()]
    return Unit(
        id=element.get("id", ""),
        source=text_of(segment.find(_x("source"))),
        target=target,
        state=_state(segment, target),
        context=values.get("msgctxt"),
        comments=tuple(comments),
        provenance=tuple(ProvenanceLine(kind, value) for kind, value in _meta(element, "provenance")),
        extracted=tuple(line for text in notes.get("developer", []) for line in text.splitlines()),
        references=tuple(_reference(text) for text in notes.get("location", [])),
        flags=tuple(value for kind, value in gettext if kind == "flag"),
        previous_source=values.get("previous-msgid"),
        exported_digest=values.get("exported-sha256"),
        line=doc.line(element),
    )


def parse(doc: Document) -> Bundle:
    """The catalogs of an XLIFF 2.0 document.

    Raises:
        ExchangeError: not XLIFF 2.0, or a unit is not one sentence.
    """
    root = doc.root
    if root.tag != _x("xliff"):
        raise doc.error(root, "is not an XLIFF 2.0 document", "export it as XLIFF 2.0 or 1.2")
    files = []
    for file in root.findall(_x("file")):
        units = tuple(_read_unit(doc, unit) for unit in file.iter(_x("unit")) if unit.get("translate", "yes") != "no")
        files.append(CatalogUnits(file.get("original") or file.get("id", ""), units, doc.line(file)))
    return Bundle(root.get("srcLang", ""), root.get("trgLang", ""), tuple(files))

