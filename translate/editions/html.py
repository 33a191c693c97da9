"""The bilingual HTML edition: English and translation side by side, one self-contained page.

Everything that comes from the article or the catalog is escaped; only the
inline markup a source sentence had may come back (see
:mod:`translate.editions.sanitize`). The page needs no script and requests
nothing: the stylesheet is inline and a Content-Security-Policy forbids the rest.
"""

from __future__ import annotations

import html

from translate.article import BlockKind, Slot
from translate.editions import EditionInfo, pairs
from translate.editions.sanitize import allowed_markup, clean, inert_templates, safe_pair, source_html
from translate.publish import BlockText, Review, Translated

_ELEMENT = {
    BlockKind.TITLE: "h1",
    BlockKind.HEADING: "h2",
    BlockKind.QUOTE: "blockquote",
}

STYLESHEET = """
:root { --gap: 2rem; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem; font-family: system-ui, "Noto Sans", "DejaVu Sans", sans-serif; line-height: 1.5; color: #1b1b1b; background: #fff; }
:lang(en) { font-family: system-ui, "Noto Sans", "DejaVu Sans", sans-serif; line-height: 1.5; }
:lang(km) { font-family: "Noto Sans Khmer", "Khmer OS Siemreap", "Khmer OS", "Khmer OS System", sans-serif; line-height: 1.8; letter-spacing: normal; text-align: start; word-spacing: normal; }
.pair { display: grid; grid-template-columns: 1fr 1fr; column-gap: var(--gap); align-items: start; }
.pair > * { min-width: 0; margin: 0.4em 0; text-align: start; overflow-wrap: break-word; }
.pair > h1 { font-size: 1.6rem; }
.pair > h2 { font-size: 1.25rem; }
.pair > blockquote { border-inline-start: 3px solid #999; padding-inline-start: 1em; margin-inline: 0; }
.translation-status { font-size: 0.9rem; background: #fff7d6; border: 1px solid #e0c960; padding: 0.4em 0.8em; border-radius: 4px; }
.date { color: #555; }
.unreviewed { background: #fff2b3; border-bottom: 2px dotted #c09000; }
.untranslated { color: #666; font-style: italic; }
@media (max-width: 40rem) {
  .pair { grid-template-columns: 1fr; }
  .pair > :lang(km) { margin-top: 0; margin-bottom: 1.2em; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .pair { break-inside: avoid; column-gap: 1.2cm; }
  .translation-status { background: none; border: 1px solid #000; }
  .unreviewed { background: none; text-decoration: underline dotted; }
  a { color: inherit; text-decoration: none; }
}
"""


def _fmt(block_text: BlockText, article_format: str) -> str:
    return article_format if block_text.block.slot is Slot.RAW else "text"


def _target_html(block_text: BlockText, fmt: str, highlight: bool, source_lang: str) -> str:
    """The translated block, sentence by sentence (so unreviewed ones can be marked)."""
    text = block_text.block.text
    block_allowed = allowed_markup(source_html(text, fmt)) if fmt in ("html", "markdown") else {}
    first, last = block_text.sentences[0].span.start, block_text.sentences[-1].span.end
    out = [_outside(text[:first], fmt, block_allowed)]
    previous_end = first
    written = False
    for sentence in block_text.sentences:
        gap = text[previous_end : sentence.span.start]
        previous_end = sentence.span.end
        if sentence.text is None:
            continue
        if written:
            out.append(html.escape(gap) if gap.strip() == "" else _outside(gap, fmt, block_allowed))
        _, translated = safe_pair(sentence.source, sentence.text, fmt)
        if sentence.text == sentence.source and sentence.review is not Review.REVIEWED:
            translated = f'<span class="untranslated" lang="{source_lang}">{translated}</span>'
        elif highlight and sentence.review is not Review.REVIEWED:
            translated = f'<span class="unreviewed" title="not reviewed">{translated}</span>'
        out.append(translated)
        written = True
    out.append(_outside(text[last:], fmt, block_allowed))
    return "".join(out).strip()


def _outside(fragment: str, fmt: str, allowed: dict[str, set[str]]) -> str:
    if not fragment:
        return ""
    return clean(source_html(fragment, fmt), allowed) if fmt in ("html", "markdown") else html.escape(fragment, quote=False)


def render_pair(block_text: BlockText, article_format: str, lang: str, info: EditionInfo) -> str:
    """One row of the page: the English block and its translation, each with its ``lang``."""
    fmt = _fmt(block_text, article_format)
    element = _ELEMENT.get(block_text.block.kind, "p")
    if block_text.block.kind is BlockKind.FRONT_MATTER and block_text.block.context == "title":
        element = "h1"
    source, _ = safe_pair(block_text.block.text, "", fmt)
    if block_text.block.kind is BlockKind.DATE:
        published = dict(info.dates).get(block_text.index)
        target = source.strip() if published is None else clean(published, {}) if fmt == "html" else html.escape(published, quote=False)
    else:
        target = _target_html(block_text, fmt, info.highlight_unreviewed, info.source_lang)
    source, target = inert_templates(source), inert_templates(target)
    kind = block_text.block.kind.value.replace(" ", "-")
    en = html.escape(info.source_lang)
    km = html.escape(lang)
    return (
        f'<div class="pair {kind}">\n'
        f'<{element} lang="{en}">{source.strip()}</{element}>\n'
        f'<{element} lang="{km}">{target}</{element}>\n'
        "</div>"
    )


def render_html(translated: Translated, info: EditionInfo) -> str:
    """The whole bilingual page."""
    lang = translated.lang.code
    esc = html.escape
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f'<title lang="{esc(info.source_lang)}">{esc(info.title)}</title>',
    ]
    head += [f'<link rel="alternate" hreflang="{esc(code)}" href="{esc(href)}">' for code, href in info.alternates]
    head += [f"<style>{STYLESHEET}</style>", "</head>", "<body>", "<header>"]
    if info.label is not None:
        head.append(f'<p class="translation-status" lang="{esc(lang)}">{esc(info.label)}</p>')
    if info.date is not None:
        stamp = f' datetime="{esc(info.date_iso)}"' if info.date_iso else ""
        head.append(f'<p class="date" lang="{esc(lang)}"><time{stamp}>{esc(info.date)}</time></p>')
    head += ["</header>", "<main>"]
    body = [render_pair(b, translated.article.format, lang, info) for b in pairs(translated)]
    return "\n".join(head + body + ["</main>", "</body>", "</html>", ""])
