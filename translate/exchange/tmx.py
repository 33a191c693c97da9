"""TMX 1.4: the translation memory out and in.

Written: one ``<tu>`` per record, English ``<tuv>`` first, properties saying
what kind of record it is (``x-translate-kind``: ``reviewed`` or ``machine``),
the catalog a reviewed translation came from and, for machine output, the
model, revision and decoding settings. Read: every ``<tu>`` with an English
segment and a segment in another language becomes a reviewed translation;
units this tool marked as machine output are never taken as reviewed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from translate import __version__
from translate.exchange.units import ENGLISH
from translate.exchange.xmlio import XML_LANG, Document, serialize, text_of

KIND = "x-translate-kind"
ORIGIN = "x-translate-origin"
MODEL = "x-translate-model"
SETTINGS = "x-translate-settings"
ISSUES = "x-translate-issues"
_DATE = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class TmxUnit:
    """One translation unit of a TMX file.

    Attributes:
        source: the English text.
        target: its translation.
        src: source language tag as written.
        tgt: target language tag as written.
        origin: where a reviewed translation came from (a catalog), if known.
        machine: for machine output, ``model@revision``; ``None`` for a reviewed translation.
        settings: for machine output, the backend and decoding settings.
        issues: for machine output, the problems found in it.
        changed: when the translation was last changed, if known.
        line: line of the ``<tu>`` in the file it was read from.
    """

    source: str
    target: str
    src: str
    tgt: str
    origin: str = ""
    machine: str | None = None
    settings: str = ""
    issues: str = ""
    changed: datetime | None = None
    line: int | None = None


def _date(when: datetime) -> str:
    return when.astimezone(UTC).strftime(_DATE)


def _parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, _DATE).replace(tzinfo=UTC)
    except ValueError:
        return None


def _prop(tu: ET.Element, kind: str, value: str) -> None:
    if value:
        ET.SubElement(tu, "prop", type=kind).text = value


def _tuv(tu: ET.Element, lang: str, text: str) -> None:
    tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
    ET.SubElement(tuv, "seg").text = text


def render(units: Iterable[TmxUnit], *, created: datetime) -> bytes:
    """A TMX 1.4 document of ``units``."""
    units = list(units)
    sources = {unit.src for unit in units} or {ENGLISH}
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "newsroom-translate",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "translate-sqlite",
            "adminlang": "en",
            "srclang": sources.pop() if len(sources) == 1 else "*all*",
            "datatype": "plaintext",
            "creationdate": _date(created),
        },
    )
    body = ET.SubElement(root, "body")
    for unit in units:
        tu = ET.SubElement(body, "tu", {"changedate": _date(unit.changed)} if unit.changed else {})
        _prop(tu, KIND, "machine" if unit.machine is not None else "reviewed")
        _prop(tu, ORIGIN, unit.origin)
        _prop(tu, MODEL, unit.machine or "")
        _prop(tu, SETTINGS, unit.settings)
        _prop(tu, ISSUES, unit.issues)
        _tuv(tu, unit.src, unit.source)
        _tuv(tu, unit.tgt, unit.target)
    return serialize(root, "")


def _is_english(tag: str) -> bool:
    return tag.replace("_", "-").split("-")[0].lower() == ENGLISH


@dataclass(frozen=True)
class TmxContent:
    """What a TMX file holds: its units (one per target segment), and how many ``<tu>`` were left out and why."""

    units: tuple[TmxUnit, ...]
    machine: int
    incomplete: int


def parse(doc: Document) -> TmxContent:
    """The translation units of a TMX document, one per target-language segment.

    Raises:
        ExchangeError: not a TMX document, or a ``<tuv>`` has no language.
    """
    root = doc.root
    if root.tag != "tmx":
        raise doc.error(root, "is not a TMX document (no <tmx> root element)", "export the memory as TMX 1.4")
    header = root.find("header")
    srclang = header.get("srclang", "*all*") if header is not None else "*all*"
    units: list[TmxUnit] = []
    machine = incomplete = 0
    body = root.find("body")
    for tu in body.iter("tu") if body is not None else ():
        props = {prop.get("type", ""): prop.text or "" for prop in tu.findall("prop")}
        if props.get(KIND) == "machine":
            machine += 1
            continue
        segments = []
        for tuv in tu.findall("tuv"):
            lang = tuv.get(XML_LANG) or tuv.get("lang")
            if not lang:
                raise doc.error(tuv, "a <tuv> has no xml:lang", "every <tuv> states its language")
            segments.append((lang, text_of(tuv.find("seg"))))
        tu_src = tu.get("srclang") or srclang
        source = next(((lang, text) for lang, text in segments if (lang == tu_src if tu_src != "*all*" else _is_english(lang))), None)
        targets = [(lang, text) for lang, text in segments if source is None or lang != source[0]]
        if source is None or not source[1] or not _is_english(source[0]) or not any(text for _, text in targets):
            incomplete += 1
            continue
        changed = _parse_date(tu.get("changedate") or tu.get("creationdate"))
        for lang, text in targets:
            if text:
                units.append(TmxUnit(source[1], text, source[0], lang, props.get(ORIGIN, ""), changed=changed, line=doc.line(tu)))
    return TmxContent(tuple(units), machine, incomplete)
