"""How much of each whole-page fixture's catalog is the article, and what the article loses.

For every page in tests/data/html/pages/ (each with its reference, the
article's own text, in <page>.article.txt) the page is read four ways:

* all: every block of the page (the reader's behaviour without selection);
* generic: ``include = ["article", "main"]``, ``exclude = ["nav", "aside",
  "footer", ".share", "[role=navigation]"]``, one configuration for every site;
* selectors: the selectors documented for the page's layout (the
  ``# include:``/``# exclude:`` lines of its reference);
* auto: the main content found with readability-lxml (the shipped guide), and
  auto-trafilatura: the same mapping with trafilatura as the guide (only
  when trafilatura is installed; it is not a dependency).

It prints per page and in total: catalog entries, entries that are article
text, their share, and article sentences missed.

Usage: python benchmarks/html_pages.py [--markdown] [-v]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from unittest import mock

from translate.config import ReadOptions
from translate.eval.content import PageScore, read_reference, score_page
from translate.formats import html_main
from translate.load import load_article

PAGES = Path(__file__).resolve().parent.parent / "tests" / "data" / "html" / "pages"
GENERIC = ReadOptions(html_content="selectors", html_include=("article", "main"), html_exclude=("nav", "aside", "footer", ".share", "[role=navigation]"))


def trafilatura_lines(source: str, path: str) -> list[str]:
    """The title and main text that trafilatura finds, one paragraph a line."""
    import trafilatura  # type: ignore[import-untyped]

    document = trafilatura.bare_extraction(source, include_comments=False, include_tables=True, include_images=True, with_metadata=True)
    if document is None:
        return []
    lines = [document.title or "", *(document.text or "").splitlines()]
    return [html_main.visible(line).lstrip("-*• ") for line in lines if html_main.visible(line)]


def modes(page: Path) -> dict[str, tuple[ReadOptions, Callable[[str, str], list[str]] | None]]:
    reference = read_reference(page.with_suffix(".article.txt"))
    documented = ReadOptions(html_content="selectors", html_include=reference.include, html_exclude=reference.exclude)
    found: dict[str, tuple[ReadOptions, Callable[[str, str], list[str]] | None]] = {
        "all": (ReadOptions(), None),
        "generic": (GENERIC, None),
        "selectors": (documented, None),
        "auto": (ReadOptions(html_content="auto"), None),
    }
    try:
        import trafilatura  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return found
    found["auto-trafilatura"] = (ReadOptions(html_content="auto"), trafilatura_lines)
    return found


def run(page: Path, options: ReadOptions, lines: Callable[[str, str], list[str]] | None) -> tuple[PageScore, float]:
    started = time.perf_counter()
    if lines is None:
        article = load_article(page, options)
    else:
        with mock.patch.object(html_main, "extract_lines", lines):
            article = load_article(page, options)
    return score_page(article, read_reference(page.with_suffix(".article.txt"))), time.perf_counter() - started


def total(scores: Sequence[PageScore]) -> PageScore:
    return PageScore(
        entries=sum(s.entries for s in scores),
        article=sum(s.article for s in scores),
        sentences=sum(s.sentences for s in scores),
        missed=tuple(m for s in scores for m in s.missed),
        furniture=tuple(f for s in scores for f in s.furniture),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed sentences and furniture")
    args = parser.parse_args(argv)
    pages = sorted(PAGES.glob("*.html"))
    results: dict[str, list[PageScore]] = {}
    seconds: dict[str, float] = {}
    if args.markdown:
        print("| page | mode | entries | article | share | missed |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
    for page in pages:
        for mode, (options, lines) in modes(page).items():
            score, elapsed = run(page, options, lines)
            results.setdefault(mode, []).append(score)
            seconds[mode] = seconds.get(mode, 0.0) + elapsed
            cells = (page.stem, mode, score.entries, score.article, f"{score.share:.0%}", len(score.missed))
            print("| " + " | ".join(map(str, cells)) + " |" if args.markdown else f"{page.stem:30} {mode:17} entries {score.entries:4}  article {score.article:4}  share {score.share:5.0%}  missed {len(score.missed):3}")
            if args.verbose:
                for sentence in score.missed:
                    print(f"    missed: {sentence}")
                for text in score.furniture:
                    print(f"    furniture: {text[:100]}")
    print()
    for mode, scores in results.items():
        t = total(scores)
        passing = sum(1 for s in scores if s.share >= 0.9 and not s.missed)
        print(f"total {mode:17} entries {t.entries:4}  article {t.article:4}  share {t.share:5.1%}  missed {len(t.missed):3} of {t.sentences}  pages at >= 90 % and none missed: {passing}/{len(scores)}  ({seconds[mode]:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
