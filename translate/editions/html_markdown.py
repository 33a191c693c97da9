"""HTML as Markdown on a new page: inline markup, tables, code blocks and text kept out of translation.

Hugo's Goldmark omits raw HTML by default (``<!-- raw HTML omitted -->``),
so the Markdown edition of an HTML article writes Markdown, not tags:

* inline: links to safe URLs as ``[text](url "title")``, ``<em>``/``<i>`` as
  ``*…*``, ``<strong>``/``<b>`` as ``**…**``, ``<s>`` as ``~~…~~``,
  ``<code>`` as a code span, ``<br>`` as a space; any other tag of the
  allow-list (:data:`translate.editions.sanitize.SAFE_TAGS`) keeps its text
  only. Markup goes through nh3 first (the source's own safe tags only), so
  nothing else can come through; text is escaped for Markdown.
* ``<pre>`` as a fenced code block (``class="language-x"`` gives its info
  string), ``<table>`` as a pipe table (the first row is the header; the
  translated cells from the catalog, the others as in the source), and
  elements marked ``translate="no"`` (or ``class="notranslate"``) with their
  text as the source has it.

A code span or block that holds a template opener (``{{``, ``{%``) would be
run by Jekyll or Hugo: it is written as escaped text instead.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from translate.article import Article, BlockKind
from translate.editions.sanitize import allowed_markup, clean, escape_text, markdown_text
from translate.formats.html_tags import BLOCK_ELEMENTS, HEADINGS, is_translate_no
from translate.formats.html_tree import Node
from translate.safety.html_markup import pieces
from translate.safety.urls import html_url, is_safe_url

_WRAPS = {"em": "*", "i": "*", "strong": "**", "b": "**", "s": "~~"}
_TEMPLATE = re.compile(r"\{[{%]")
_TAG = re.compile(r"<[^<>]*>")
_LANGUAGE_CLASS = re.compile(r"""class\s*=\s*["']?[^"'>]*?\blang(?:uage)?-([\w+#.-]+)""", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def _destination(url: str) -> str:
    """A link destination Markdown reads back as ``url``."""
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E").replace("\n", " ") + ">"
    return url


def _code_span(text: str) -> str:
    """``text`` as a code span, or as escaped text when a template engine would run it."""
    text = " ".join(text.split("\n"))
    if _TEMPLATE.search(text) or not text.strip():
        return escape_text(text) if text.strip() else text
    ticks = max((len(run) for run in re.findall(r"`+", text)), default=0) + 1
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else ""
    return "`" * ticks + pad + text + pad + "`" * ticks


def _wrap(marker: str, inner: str) -> str:
    """``inner`` between emphasis markers, white space kept outside them (CommonMark needs it)."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{core}{marker}{trail}"


def inline_markdown(fragment: str, source: str) -> str:
    """An HTML fragment (a translation, or the source itself) as one line of Markdown.

    Args:
        fragment: the HTML to convert.
        source: the source sentence: only its safe tags and attributes may appear.
    """
    cleaned = clean(fragment, allowed_markup(source))
    frames: list[tuple[str | None, str, list[str]]] = [(None, "", [])]  # (tag, link suffix, parts)
    position = 0
    for piece in pieces(cleaned):
        text = cleaned[position : piece.span.start]
        position = piece.span.end
        if frames[-1][0] == "code":
            frames[-1][2].append(html.unescape(text))
        else:
            frames[-1][2].append(markdown_text(text))
        tag = piece.tag
        if tag is None:
            continue
        if tag.name == "br":
            frames[-1][2].append(" ")
            continue
        if not tag.end_tag:
            suffix = ""
            if tag.name == "a":
                href = tag.attribute("href")
                url = html_url(href.value) if href is not None else ""
                if url and is_safe_url(url):
                    title = tag.attribute("title")
                    quoted = ' "' + html.unescape(title.value).replace("\\", "\\\\").replace('"', '\\"') + '"' if title is not None and title.value else ""
                    suffix = f"]({_destination(url)}{quoted})"
            if not tag.self_closing:
                frames.append((tag.name, suffix, []))
            continue
        for depth in range(len(frames) - 1, 0, -1):  # close up to the matching start tag
            if frames[depth][0] == tag.name:
                while len(frames) > depth:
                    _close(frames)
                break
    tail = cleaned[position:]
    frames[-1][2].append(html.unescape(tail) if frames[-1][0] == "code" else markdown_text(tail))
    while len(frames) > 1:
        _close(frames)
    return " ".join("".join(frames[0][2]).split())


def _close(frames: list[tuple[str | None, str, list[str]]]) -> None:
    name, suffix, parts = frames.pop()
    inner = "".join(parts)
    if name == "code":
        text = _code_span(inner)
    elif name == "a":
        text = f"[{inner.strip()}{suffix}" if suffix and inner.strip() else inner
    elif name in _WRAPS:
        text = _wrap(_WRAPS[name], inner)
    else:
        text = inner
    frames[-1][2].append(text)


@dataclass(frozen=True)
class Insert:
    """Markdown for a part of the page that is not one translated block.

    Attributes:
        start: where it starts in the source (it goes before the blocks after it).
        markdown: the Markdown chunk.
        blocks: indexes of the blocks it stands for (not written again on their own).
    """

    start: int
    markdown: str
    blocks: frozenset[int] = frozenset()


def _inside(node: Node, outer: Node) -> bool:
    return outer.span.start <= node.span.start and node.span.end <= outer.span.end and node is not outer


def _inner(node: Node, source: str) -> str:
    """The source between a node's start tag and its end tag."""
    assert node.tag is not None
    text = source[node.tag.span.end : node.span.end]
    close = re.search(rf"</{re.escape(node.name)}\s*>\s*\Z", text, re.IGNORECASE)
    return text[: close.start()] if close else text


def _plain(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment))


def _fence(node: Node, source: str) -> str:
    inner = _inner(node, source)
    language = _LANGUAGE_CLASS.search(source[node.tag.span.start : node.tag.span.end] if node.tag else "") or _LANGUAGE_CLASS.search(inner[:200])
    code = _plain(inner)
    if code.startswith("\n"):
        code = code[1:]
    code = code.rstrip("\n")
    if _TEMPLATE.search(code):
        return "\n".join(escape_text(line) + "  " if line.strip() else "" for line in code.split("\n")).rstrip()
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
    info = language.group(1) if language else ""
    return f"{fence}{info}\n{code}\n{fence}"


def _kept_text(node: Node, source: str) -> str:
    """An element kept out of translation, as Markdown paragraphs (its own safe inline markup kept)."""
    inner = _inner(node, source)
    chunks = []
    boundary = re.compile(r"</?(" + "|".join(sorted(BLOCK_ELEMENTS)) + r")\b[^>]*>", re.IGNORECASE)
    prefix = "## " if node.name in HEADINGS else "> " if node.name == "blockquote" else ""
    position = 0
    for match in [*boundary.finditer(inner), None]:
        end = match.start() if match else len(inner)
        part = inner[position:end]
        if _plain(part).strip():
            line = inline_markdown(part, part)
            chunks.append((prefix or ("- " if _opened(inner, position) == "li" else "")) + line)
        if match:
            position = match.end()
    return "\n\n".join(chunks)


def _opened(inner: str, position: int) -> str | None:
    """The block element whose start tag ends right at ``position``, if any."""
    match = re.search(r"<(\w+)\b[^>]*>\s*\Z", inner[:position])
    return match.group(1).lower() if match else None


def _table(table: Node, nodes: tuple[Node, ...], source: str, article: Article, cells_text: dict[int, str]) -> tuple[str, frozenset[int]]:
    index = nodes.index(table)
    rows = [i for i, n in enumerate(nodes) if n.name == "tr" and _inside(n, table) and _nearest(nodes, i, "table") == index]
    grid: list[list[str]] = []
    used: set[int] = set()
    for row in rows:
        cells = [i for i, n in enumerate(nodes) if n.name in ("td", "th") and n.parent == row]
        line = []
        for cell in cells:
            span = nodes[cell].span
            inside = [b for b in cells_text if span.start <= article.blocks[b].pieces[0].start < span.end]
            used.update(inside)
            text = " ".join(cells_text[b] for b in inside) if inside else escape_text(_plain(_inner(nodes[cell], source)))
            line.append(" ".join(text.split()).replace("|", "\\|"))
        if line:
            grid.append(line)
    if not grid:
        return "", frozenset(used)
    width = max(len(line) for line in grid)
    grid = [line + [""] * (width - len(line)) for line in grid]
    out = ["| " + " | ".join(grid[0]) + " |", "|" + "|".join(" --- " for _ in range(width)) + "|"]
    out.extend("| " + " | ".join(line) + " |" for line in grid[1:])
    inside_table = {b for b in cells_text if table.span.start <= article.blocks[b].pieces[0].start < table.span.end}
    before = [cells_text[b] for b in sorted(inside_table - used)]  # a <caption>: before the table
    return "\n\n".join([*before, "\n".join(out)]), frozenset(inside_table)


def _nearest(nodes: tuple[Node, ...], index: int, name: str) -> int | None:
    parent = nodes[index].parent
    while parent > 0:
        if nodes[parent].name == name:
            return parent
        parent = nodes[parent].parent
    return None


def structure(article: Article, published: dict[int, str]) -> list[Insert]:
    """Tables, code blocks and text kept out of translation in the article's part of an HTML page.

    Args:
        article: an HTML article.
        published: each block's text as one line of Markdown, by block index.

    Returns:
        The inserts in source order. Only elements inside the smallest
        element holding every block of the page's body are taken, so the
        page's furniture around the article stays out.
    """
    from translate.formats.html import elements

    nodes = elements(article.source)
    head = next((n for n in nodes if n.name == "head"), None)
    body = [
        i
        for i, b in enumerate(article.blocks)
        if b.kind not in (BlockKind.ATTRIBUTE, BlockKind.FRONT_MATTER) and not (head and head.span.start <= b.pieces[0].start < head.span.end)
    ]
    if not body:
        return []
    first, last = article.blocks[body[0]].pieces[0].start, article.blocks[body[-1]].pieces[-1].end
    region = max((n for n in nodes if n.span.start <= first and last <= n.span.end), key=lambda n: n.span.start)
    spans = [(article.blocks[i].pieces[0].start, article.blocks[i].pieces[-1].end) for i in body]
    inserts: list[Insert] = []
    taken: list[Node] = []
    for node in nodes[1:]:
        if node.tag is None or not (region.span.start <= node.span.start and node.span.end <= region.span.end) or node is region:
            continue
        if any(_inside(node, outer) for outer in taken) or any(start <= node.span.start < end for start, end in spans):
            continue
        if node.name == "pre":
            inserts.append(Insert(node.span.start, _fence(node, article.source)))
        elif node.name == "table":
            markdown, blocks = _table(node, nodes, article.source, article, {i: published[i] for i in body if i in published})
            inserts.append(Insert(node.span.start, markdown, blocks))
        elif node.name in BLOCK_ELEMENTS and is_translate_no(node.tag):
            inserts.append(Insert(node.span.start, _kept_text(node, article.source)))
        else:
            continue
        taken.append(node)
    return [insert for insert in inserts if insert.markdown.strip() or insert.blocks]
