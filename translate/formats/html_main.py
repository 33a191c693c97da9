"""Find the article on a whole page with an extraction library, then map it back to the page's own blocks.

`readability-lxml <https://github.com/buriy/python-readability>`_ (a port of
Mozilla's Readability) finds the element that holds a news page's main text
well, but it rebuilds that element: it drops captions, bylines and headlines,
keeps some teasers, and its output has no source offsets. It is used only as
a guide; what is translated are the page's own blocks, found like this:

1. Each line of the extracted text is matched to the page's blocks: a block
   whose visible text equals a line, then (for lines and blocks of at least
   :data:`LONG` characters) one that a line contains or that contains a line.
   A line matches one block only, so a teaser that repeats a sentence of the
   article does not count as the article.
2. The *body* is the smallest element that holds at least
   :data:`BODY_SHARE` of the matched text.
3. The article starts at its headline (the block before the body whose text
   begins the page's ``<title>``, else the last ``<h1>`` before it) and ends with
   the body.
4. In that range every block is kept that is not page furniture. Furniture
   is what elements hold whose ``class`` or ``id`` names it (share bars, related
   stories, newsletter boxes, comments, advertisements, author cards:
   :data:`FURNITURE_WORDS`, the boilerplate that extraction libraries drop by
   class name), forms and dialogs, text mostly inside links or buttons (tag lists, teasers; bylines
   excepted), attribute values (``alt``) of elements inside links, and a
   heading left with nothing kept after it in its section.

The library is an optional extra: ``pip install "newsroom-translate[html]"``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence

import html
import unicodedata

from translate.article import Block, BlockKind, Slot, Span
from translate.errors import InputError
from translate.formats.html_tree import Node, Ranges

log = logging.getLogger(__name__)

__all__ = ["FURNITURE_ELEMENTS", "FURNITURE_WORDS", "extract_lines", "main_content", "visible"]

#: Words of ``class`` and ``id`` values that name page furniture. A word is
#: delimited by anything but a lowercase letter, so ``ShareBar_root``,
#: ``share-tools`` and ``live__ad`` count, and ``node--promoted`` does not.
FURNITURE_WORDS = re.compile(
    r"(?<![A-Za-z])(?i:share|sharing|sharedaddy|social|related|relatedposts|newsletter|promo|comments?|"
    r"advert|advertisement|ad|ad-?slot|author-?box|author-?card|author-?bio|reading-?time)(?![a-z])"
)
#: Elements that are furniture wherever they are.
FURNITURE_ELEMENTS = frozenset({"form", "dialog", "amp-ad"})

#: Lines and blocks at least this long may match by containment.
LONG = 30
#: The body holds at least this share of the matched text.
BODY_SHARE = 0.9
#: A block with at least this share of its letters inside links or buttons is furniture.
LINK_SHARE = 0.5
#: Elements whose text is a control, not prose.
CONTROLS = frozenset({"a", "button", "select"})
#: Elements whose content is a form's, never the article's.
FORMS = frozenset({"form", "label", "select", "textarea"})

_TAG = re.compile(r"<[^<>]*>")
_SPACE = re.compile(r"\s+")
_BULLET = re.compile(r"^[-*•]\s+")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def visible(text: str) -> str:
    """``text`` as a reader sees it: tags dropped, references decoded, white space collapsed, NFC."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", html.unescape(_TAG.sub("", text)))).strip()


def extract_lines(source: str, path: str) -> list[str]:
    """The page's title and main text as the extraction library sees it, one block a line.

    Raises:
        InputError: the library is not installed.
    """
    try:
        from lxml import html as lxml_html
        from readability import Document  # type: ignore[import-untyped]
    except ImportError as error:
        raise InputError("finding the main content (auto) needs readability-lxml", path=path, hint='pip install "newsroom-translate[html]", or choose content = "selectors"') from error
    document = Document(source)
    lines = [document.title()]
    summary = document.summary(html_partial=True)
    if summary.strip():
        fragment = lxml_html.fromstring(summary)
        lines.extend(element.text_content() for element in fragment.iter() if isinstance(element.tag, str))
    cleaned = [_BULLET.sub("", visible(line)) for line in lines]
    return [line for line in cleaned if line]


def main_content(blocks: Sequence[Block], nodes: Sequence[Node], source: str, path: str, lines: Sequence[str] | None = None) -> list[Span]:
    """Source ranges of the blocks that make the page's article (see the module documentation).

    Args:
        blocks: every block of the page, in source order.
        nodes: the page's elements.
        source: the page.
        path: the file, for messages.
        lines: the extracted text, one paragraph a line (default: :func:`extract_lines`).

    Raises:
        InputError: the extraction library is not installed.
    """
    lines = list(extract_lines(source, path) if lines is None else lines)
    texts = [visible(block.text) if block.slot is Slot.RAW else "" for block in blocks]
    matched = _match(texts, lines)
    if not matched:
        log.warning("%s: the main content could not be found; nothing is selected", path)
        return []
    body = _body(blocks, texts, matched, nodes)
    start = _headline(blocks, texts, lines[0] if lines else "", body.start, nodes)
    furniture = Ranges(node.span for node in nodes if _is_furniture(node))
    links = Ranges(node.span for node in nodes if node.name in CONTROLS)
    kept: list[Span] = []
    for block in blocks:
        offset = block.pieces[0].start
        if not start <= offset < body.end or offset in furniture:
            continue
        if block.kind in (BlockKind.BYLINE, BlockKind.DATE):
            kept.append(block.pieces[0])
        elif block.slot is not Slot.RAW:
            if offset not in links:
                kept.append(block.pieces[0])
        elif _link_share(block, links) < LINK_SHARE:
            kept.append(block.pieces[0])
    kept = _without_empty_headings(kept, nodes)
    log.info("%s: main content %d..%d, %d of %d blocks", path, start, body.end, len(kept), len(blocks))
    return kept


def _is_furniture(node: Node) -> bool:
    """Whether an element is page furniture by its name, ``class``, ``id`` or ``role``."""
    if node.tag is None:
        return False
    if node.name in FURNITURE_ELEMENTS:
        return True
    for name in ("class", "id"):
        attribute = node.tag.attribute(name)
        if attribute is not None and FURNITURE_WORDS.search(attribute.value):
            return True
    role = node.tag.attribute("role")
    return role is not None and role.value.strip().lower() in ("dialog", "alertdialog")


def _without_empty_headings(kept: list[Span], nodes: Sequence[Node]) -> list[Span]:
    """``kept`` less the headings after which nothing else of their section is kept."""
    starts = sorted(span.start for span in kept)
    result = []
    for span in kept:
        heading = next((i for i in range(len(nodes) - 1, 0, -1) if nodes[i].name in _HEADINGS and nodes[i].span.start <= span.start < nodes[i].span.end), None)
        if heading is not None:
            section = nodes[nodes[heading].parent].span
            after = nodes[heading].span.end
            if not any(after <= offset < section.end for offset in starts):
                continue
        result.append(span)
    return result


def _match(texts: Sequence[str], lines: Sequence[str]) -> set[int]:
    """Indices of the blocks that lines of the extraction match, one block per line."""
    matched: set[int] = set()
    free = [True] * len(lines)
    position = {line: [i for i, other in enumerate(lines) if other == line] for line in lines}
    for index, text in enumerate(texts):
        for line_index in position.get(text, []):
            if free[line_index]:
                free[line_index] = False
                matched.add(index)
                break
    for line_index, line in enumerate(lines):
        if not free[line_index] or len(line) < LONG:
            continue
        for index, text in enumerate(texts):
            if index not in matched and len(text) >= LONG and (text in line or line in text):
                matched.add(index)
                free[line_index] = False
                break
    return matched


def _body(blocks: Sequence[Block], texts: Sequence[str], matched: set[int], nodes: Sequence[Node]) -> Span:
    """The smallest element holding at least BODY_SHARE of the matched text."""
    weights = [(blocks[index].pieces[0].start, len(texts[index]) or 1) for index in sorted(matched)]
    total = sum(weight for _, weight in weights)
    best = nodes[0].span
    for node in nodes:
        inside = sum(weight for offset, weight in weights if node.span.start <= offset < node.span.end)
        if inside >= BODY_SHARE * total and len(node.span) < len(best):
            best = node.span
    return best


def _headline(blocks: Sequence[Block], texts: Sequence[str], title: str, body_start: int, nodes: Sequence[Node]) -> int:
    """Where the article starts: its headline before the body, else the body itself."""
    if title:
        for index in range(len(blocks) - 1, -1, -1):
            offset = blocks[index].pieces[0].start
            if offset < body_start and blocks[index].slot is Slot.RAW and texts[index] and (texts[index] == title or title.startswith(texts[index])):
                return min(offset, _element_start(nodes, offset))
    h1 = [node.span.start for node in nodes if node.name == "h1" and node.span.start < body_start]
    return h1[-1] if h1 else body_start


def _element_start(nodes: Sequence[Node], offset: int) -> int:
    """Where the innermost element holding ``offset`` starts (so that its own tag is in the range)."""
    best = 0
    for node in nodes:
        if node.span.start <= offset < node.span.end and node.span.start >= best:
            best = node.span.start
    return best


def _link_share(block: Block, links: Ranges) -> float:
    """The share of a block's letters that lie inside links or buttons."""
    start = block.pieces[0].start
    inside = total = 0
    for offset in _letters(block.text):
        total += 1
        inside += (start + offset) in links
    return inside / total if total else 0.0


def _letters(text: str) -> Iterator[int]:
    """Offsets of the letters of ``text`` outside its tags."""
    position = 0
    for match in _TAG.finditer(text):
        yield from (i for i in range(position, match.start()) if text[i].isalpha())
        position = match.end()
    yield from (i for i in range(position, len(text)) if text[i].isalpha())
