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
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate.article import Block, Span
from translate.config import HTML_CONTENT, ReadOptions
from translate.errors import ConfigError
from translate.formats.html_tree import Node, Ranges

if TYPE_CHECKING:
    import soupsieve

log = logging.getLogger(__name__)

__all__ = ["check_selectors", "html_settings", "matching", "select_blocks"]

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


def html_settings(
    table: Mapping[str, Any],
    *,
    content: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    path: str | Path | None = None,
) -> dict[str, Any]:
    """The :class:`ReadOptions` fields of an ``[html]`` table, with command-line values over them.

    ``include`` and ``exclude`` given on the command line replace the table's
    lists. Without a ``content`` anywhere it is ``selectors`` when there are
    include selectors, else ``all``.

    Raises:
        ConfigError: an unknown key, a value of the wrong type, an unknown
            content mode or a selector that is not valid CSS.
    """
    unknown = sorted(set(table) - {"content", "include", "exclude"})
    if unknown:
        raise ConfigError(f"[html] has an unknown setting {unknown[0]!r}", path=path, hint="known: content, include, exclude")
    lists: dict[str, tuple[str, ...]] = {}
    for key, given in (("include", include), ("exclude", exclude)):
        value = table.get(key, [])
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            example = '["article", ".story-body"]' if key == "include" else '["nav", "aside", ".share"]'
            raise ConfigError(f"[html] {key} must be a list of CSS selectors", path=path, hint=f"e.g. {key} = {example}")
        lists[key] = tuple(given) if given else tuple(items)
        check_selectors(lists[key], path=path if not given else None, where=f"--{key}" if given else f"[html] {key}")
    mode = content if content is not None else table.get("content")
    if mode is None:
        mode = "selectors" if lists["include"] else "all"
    if mode not in HTML_CONTENT:
        raise ConfigError(f"[html] content must be one of {', '.join(HTML_CONTENT)}, not {mode!r}", path=path)
    if mode == "selectors" and not lists["include"]:
        raise ConfigError("[html] content = \"selectors\" needs include selectors", path=path, hint='e.g. include = ["article", "main"]')
    return {"html_content": mode, "html_include": lists["include"], "html_exclude": lists["exclude"]}
