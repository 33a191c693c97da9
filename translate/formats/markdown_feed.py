"""What markdown-it reads of a Markdown article: the source with template constructs made opaque.

Jekyll and Hugo expand Liquid tags and shortcodes before the Markdown
converter sees the page, so to them a tag is one unit whatever its layout:

.. code-block:: liquid

    {% include photo.html

        file="/img/a.jpg"
        caption="Voters queue outside a polling station."

    %}

CommonMark would end a paragraph at each blank line there and read the
indented attribute lines as a code block. The reader therefore gives
markdown-it a copy of the source in which

* front matter, multi-line code-like tag regions (``{% highlight %}``,
  ``{% raw %}``, ``{% comment %}``, ``{{< highlight >}}``...) and ``$$`` math
  blocks are empty lines;
* every other Liquid tag, output tag and shortcode is overwritten with ``x``
  (line breaks kept; an empty line inside a tag becomes ``x``), so that it
  reads as ordinary text in the paragraph, list item or quote it stands in.

The copy has the same lines as the source, and each line the same length,
except empty lines inside a tag: token line maps point into the real source,
and a block's characters are found on the copy and taken from the source.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from translate.formats.tags import TagKind, code_regions, find_tags

_MATH_FENCE = re.compile(r"[ \t>]*\$\$[ \t]*")
_OPAQUE_KINDS = (TagKind.LIQUID_OUTPUT, TagKind.LIQUID_TAG, TagKind.SHORTCODE)

#: What a character of a template construct becomes in the copy.
FILL = "x"


def feed(lines: Sequence[str], front_count: int) -> list[str]:
    """The lines markdown-it reads, one per source line.

    Args:
        lines: the source lines (``\\r`` and NUL already replaced).
        front_count: how many lines the front matter takes at the top.
    """
    skipped = skipped_lines(lines, front_count)
    fed = ["" if index in skipped else line for index, line in enumerate(lines)]
    body = lines[front_count:]
    starts = []
    offset = 0
    for line in body:
        starts.append(offset)
        offset += len(line) + 1
    for tag in find_tags("\n".join(body)):
        if tag.kind not in _OPAQUE_KINDS:
            continue
        first = bisect.bisect_right(starts, tag.span.start) - 1
        last = bisect.bisect_right(starts, tag.span.end - 1) - 1
        numbers = range(first + front_count, last + front_count + 1)
        if any(number in skipped for number in numbers):
            continue
        for number, start in zip(numbers, starts[first : last + 1]):
            line = fed[number]
            begin = max(tag.span.start - start, 0)
            end = min(tag.span.end - start, len(line))
            fed[number] = line[:begin] + FILL * (end - begin) + line[end:] or FILL
    return fed


def skipped_lines(lines: Sequence[str], front_count: int) -> set[int]:
    """Lines hidden from markdown-it: front matter, code-like tag regions, ``$$`` math blocks."""
    skipped = set(range(front_count))
    body = lines[front_count:]
    for region in code_regions(body):
        skipped.update(index + front_count for index in region)
    fence: int | None = None
    for index, line in enumerate(body):
        if _MATH_FENCE.fullmatch(line):
            if fence is None:
                fence = index
            else:
                skipped.update(range(fence + front_count, index + front_count + 1))
                fence = None
    return skipped
