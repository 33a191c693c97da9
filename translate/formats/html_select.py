"""Choose the article's part of a whole HTML page: CSS selectors and the main-content finder.

A page saved from a news site is mostly furniture: menus, share buttons,
cookie notices, teasers, comments. The reader finds a block in all of it;
this module keeps only the blocks of the part that is the article:

* ``all``: every block (``exclude`` still applies);
* ``selectors``: the blocks inside an element that an ``include`` selector
  matches (``article``, ``main``, ``.story-body``);
* ``auto``: the blocks of the main content that an extraction library finds
  (:mod:`translate.formats.html_main`), and those of ``include`` elements.

In every mode the blocks inside an element that an ``exclude`` selector
matches are dropped (``nav``, ``aside``, ``.share``, ``[role=navigation]``),
and, outside ``all``, the page's own description of the article (``<title>``
and the description and Open Graph ``<meta>`` tags) is kept. A block belongs
to the elements in which it starts; selection keeps or drops whole blocks and
never changes one, so everything not selected stays in the page byte for byte.

Selectors are matched by `soupsieve <https://facelessuser.github.io/soupsieve/>`_
(the CSS engine of Beautiful Soup: CSS level 4, ``:is()``, ``:not()``,
``:has()``, attribute selectors) on a Beautiful Soup tree built from the
reader's own elements (:mod:`translate.formats.html_tree`), so that every
match maps back to exact source offsets. They match elements and attributes;
the pseudo-classes that test text (``:-soup-contains()``) see no text.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate.article import Block, Span
from translate.config import ReadOptions
from translate.errors import ConfigError
from translate.formats.html_tree import Node, Ranges

if TYPE_CHECKING:
    import soupsieve

log = logging.getLogger(__name__)

__all__ = ["check_selectors", "matching", "select_blocks"]

#: Elements that describe the article rather than lay out the page.
METADATA_ELEMENTS = frozenset({"title", "meta"})


def select_blocks(blocks: Sequence[Block], nodes: Sequence[Node], source: str, options: ReadOptions, path: str) -> tuple[Block, ...]:
    """The blocks of the part of the page that ``options`` selects, in source order.

    Raises:
        ConfigError: a selector is not valid CSS.
        InputError: ``auto`` needs the extraction library, which is not installed.
    """
    excluded = Ranges(nodes[index].span for index in matching(nodes, options.html_exclude))
    if options.html_content == "all":
        included = Ranges([Span(0, len(source))])
    else:
        spans = [nodes[index].span for index in matching(nodes, options.html_include)]
        spans.extend(node.span for node in nodes if node.name in METADATA_ELEMENTS)
        if options.html_content == "auto":
            from translate.formats.html_main import main_content

            spans.extend(main_content(blocks, nodes, source, path))
        included = Ranges(spans)
    kept = tuple(block for block in blocks if block.pieces[0].start in included and block.pieces[0].start not in excluded)
    log.info("%s: %d of %d blocks are in the selected content", path, len(kept), len(blocks))
    return kept


def matching(nodes: Sequence[Node], selectors: Sequence[str]) -> list[int]:
    """Indices of the nodes that any of ``selectors`` matches, in source order.

    Raises:
        ConfigError: a selector is not valid CSS.
    """
    if not selectors:
        return []
    compiled = [_compile(selector) for selector in selectors]
    elements, index_of = _soup(nodes)
    found: set[int] = set()
    for pattern in compiled:
        found.update(index_of[id(element)] for element in pattern.select(elements[0]))
    return sorted(found)


def check_selectors(selectors: Sequence[str], *, path: str | Path | None = None, where: str = "") -> None:
    """Raise a :class:`ConfigError` naming the first selector that is not valid CSS.

    Args:
        selectors: the selectors to check.
        path: the configuration file they come from, if any.
        where: the setting or option that holds them (``[html] include``, ``--include``).
    """
    for selector in selectors:
        try:
            _compile(selector)
        except ConfigError as error:
            raise ConfigError(f"{where + ': ' if where else ''}{error.message}", path=path, hint=error.hint) from error


@lru_cache(maxsize=256)
def _compile(selector: str) -> soupsieve.SoupSieve:
    import soupsieve

    try:
        return soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as error:
        reason = str(error).splitlines()[0]
        raise ConfigError(f"invalid CSS selector {selector!r}: {reason}", hint="write a CSS selector such as article, .story-body or nav a") from error


def _soup(nodes: Sequence[Node]) -> tuple[list[Any], dict[int, int]]:
    """A Beautiful Soup tree with one element per node, and the node index of each element."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup("", "html.parser")
    elements: list[Any] = [soup]
    index_of: dict[int, int] = {}
    for index, node in enumerate(nodes[1:], start=1):
        assert node.tag is not None
        attributes: dict[str, str] = {}
        for attribute in node.tag.attributes:
            attributes.setdefault(attribute.name, html.unescape(attribute.value))
        element = soup.new_tag(node.tag.name, attrs=attributes)
        elements[node.parent].append(element)
        elements.append(element)
        index_of[id(element)] = index
    return elements, index_of
