"""Masking markup and non-translatables before MT, and restoring them exactly."""

from __future__ import annotations

import re

import pytest

from translate.glossary import Term
from translate.mt.protect import mask, restore, unplaced_markup
from translate.mt.types import Issue

KM_TERMS = (Term("National Assembly", "រដ្ឋសភា", "km"), Term("ADHOC", "", "km"), Term("Phnom Penh", "ភ្នំពេញ", "km"))

# (id, source, what the model sees)
MASKING = [
    ("md-link", "See [the report](https://example.org/a_b?x=1) today.", "See the report today."),
    ("md-link-title", 'Read [it](https://e.org/x "Title here") now.', "Read it now."),
    ("md-reference-link", "Read [the ruling][1] now.", "Read the ruling now."),
    ("md-strong", "He said **no** twice.", "He said no twice."),
    ("md-emphasis-underscore", "It was _very_ late.", "It was very late."),
    ("md-code", "Run `pip install x` first.", "Run {1} first."),
    ("md-image", "Look ![a map](map.png) here.", "Look {1} here."),
    ("url", "Details at https://www.phnompenhpost.com/national/justice?id=5.", "Details at {1}."),
    ("email", "Write to news@example.org for copies.", "Write to {1} for copies."),
    ("liquid", "Today {{ page.date | date: '%B' }} and {% include note.html %} end.", "Today {1} and {2} end."),
    ("shortcode", 'See {{< figure src="a.png" caption="Flood" >}} above.', "See {1} above."),
    ("kramdown-ial", 'Read [the report](https://x.org){:target="_blank"} now.', "Read the report{1} now."),
    ("liquid-whitespace-control", "Polls close at {%- if page.late -%}4{%- else -%}3{%- endif -%} p.m.", "Polls close at {1}4{2}3{3} p.m."),
    ("html-link", 'Visit <a href="https://x.org/">the site</a> now.', "Visit the site now."),
    ("html-strong-em", "It was <strong>not</strong> <em>legal</em>.", "It was not legal."),
    ("html-void", "First line<br>second line.", "First line{1}second line."),
    ("html-code", "Use <code>a &lt; b</code> here.", "Use {1} here."),
    ("entities", "AT&amp;T and Sokha&rsquo;s view.", "AT{1}T and Sokha’s view."),
    ("placeholders", "Hello {0}, you have %s new {name}.", "Hello {1}, you have {2} new {3}."),
    ("glossary", "The National Assembly met in Phnom Penh with ADHOC.", "The {1} met in {2} with {3}."),
    ("glossary-case", "The national assembly met.", "The {1} met."),
    ("plain-asterisk", "The vote was 5 * 3 in file_name_x.", "The vote was 5 * 3 in file_name_x."),
    ("link-whole", "[Read more](https://x.org/y).", "Read more."),
    ("strong-whole", "**Breaking: floods in Phnom Penh.**", "Breaking: floods in {1}."),
    ("nested-whole", "**[Read more](https://x.org/y).**", "Read more."),
    ("link-with-code", "See [`config.toml`](https://x.org/c) for details.", "See {1} for details."),
    ("link-liquid-url", "See our [earlier coverage]({{ site.url }}/2023/11/drought/).", "See our earlier coverage."),
    ("link-around-number", 'Call the hotline <a href="tel:+855115">115</a> now.', "Call the hotline 115 now."),
]


@pytest.mark.parametrize(("source", "expected"), [(s, e) for _, s, e in MASKING], ids=[i for i, _, _ in MASKING])
def test_model_sees_no_markup(source: str, expected: str) -> None:
    masked = mask(source, KM_TERMS)
    assert masked.text == expected
    assert not re.search(r"https?://|`|<[a-z/]|\*\*|\]\(", masked.text)


@pytest.mark.parametrize("source", [s for i, s, _ in MASKING if i not in ("glossary", "glossary-case", "strong-whole", "entities")], ids=[i for i, _, _ in MASKING if i not in ("glossary", "glossary-case", "strong-whole", "entities")])
def test_identity_output_restores_the_source_exactly(source: str) -> None:
    """A model that copies its input gets back exactly the English (markup placed by its verbatim text)."""
    masked = mask(source, KM_TERMS)
    restored = restore(masked, masked.text)
    assert restored.text == source
    assert restored.issues == ()
    assert unplaced_markup(source, restored.text) == []


def test_glossary_terms_become_their_approved_translations() -> None:
    masked = mask("The National Assembly met in Phnom Penh with ADHOC.", KM_TERMS)
    restored = restore(masked, "{1} បានប្រជុំនៅ {2} ជាមួយ {3} ។")
    assert restored.text == "រដ្ឋសភា បានប្រជុំនៅ ភ្នំពេញ ជាមួយ ADHOC ។"
    assert restored.issues == ()


def test_do_not_translate_keeps_the_case_as_written() -> None:
    masked = mask("Officials of adhoc spoke.", KM_TERMS)
    assert restore(masked, "មន្ត្រី {1} បាននិយាយ។").text == "មន្ត្រី adhoc បាននិយាយ។"


@pytest.mark.parametrize(
    "scrambled",
    ["បើកមើល { 1 } ឥឡូវ។", "បើកមើល {១} ឥឡូវ។", "បើកមើល ｛1｝ ឥឡូវ។", "បើកមើល {1} ឥឡូវ {1}។", "បើកមើល {１} ឥឡូវ។"],
    ids=["spaces", "khmer-digits", "full-width-braces", "duplicated", "full-width-digit"],
)
def test_scrambled_placeholders_are_recognised(scrambled: str) -> None:
    masked = mask("Open https://x.org/a?b=1 now.")
    restored = restore(masked, scrambled)
    assert restored.text.count("https://x.org/a?b=1") == 1
    assert "{" not in restored.text and "｛" not in restored.text
    assert restored.issues == ((Issue.PLACEHOLDER,) if scrambled.count("{1}") > 1 else ())


def test_lost_placeholder_is_flagged_with_what_to_restore() -> None:
    masked = mask("Open https://x.org/a now and run `make`.")
    restored = restore(masked, "បើក ឥឡូវ ហើយដំណើរការ {2}។")
    assert restored.text == "បើក ឥឡូវ ហើយដំណើរការ `make`។"
    assert restored.issues == (Issue.PLACEHOLDER,)
    assert restored.to_restore == ("url: https://x.org/a",)


def test_invented_placeholder_is_removed_and_flagged() -> None:
    masked = mask("Open https://x.org/a now.")
    restored = restore(masked, "បើក {1} ឥឡូវ {7}។")
    assert restored.text == "បើក https://x.org/a ឥឡូវ។"
    assert restored.issues == (Issue.PLACEHOLDER,)
    restored = restore(masked, "បើក {1} ឥឡូវ {1}។")
    assert restored.text == "បើក https://x.org/a ឥឡូវ។"
    assert Issue.PLACEHOLDER in restored.issues


def test_link_is_placed_where_its_text_is_kept_verbatim() -> None:
    masked = mask("Spokesman [Chin Malin](https://e.org/malin) said so.")
    restored = restore(masked, "អ្នកនាំពាក្យ Chin Malin បាននិយាយដូច្នេះ។")
    assert restored.text == "អ្នកនាំពាក្យ [Chin Malin](https://e.org/malin) បាននិយាយដូច្នេះ។"
    assert restored.issues == ()


def test_link_around_a_glossary_term_is_placed() -> None:
    masked = mask('The <a href="https://na.gov.kh">National Assembly</a> met.', KM_TERMS)
    restored = restore(masked, "{1} បានប្រជុំ។")
    assert restored.text == '<a href="https://na.gov.kh">រដ្ឋសភា</a> បានប្រជុំ។'


def test_link_without_a_certain_place_is_never_dropped_silently() -> None:
    source = "Read [the full statement](https://e.org/s) from the ministry."
    masked = mask(source)
    restored = restore(masked, "អានសេចក្តីថ្លែងការណ៍ពេញលេញពីក្រសួង។")
    assert restored.text == "អានសេចក្តីថ្លែងការណ៍ពេញលេញពីក្រសួង។"
    assert restored.issues == (Issue.MARKUP_NOT_PLACED,)
    assert restored.to_restore == ("link: [the full statement](https://e.org/s)",)
    assert unplaced_markup(source, restored.text) == ["link: [the full statement](https://e.org/s)"]


def test_whole_sentence_markup_wraps_the_translation_before_its_full_stop() -> None:
    masked = mask("[Read more](https://x.org/y).")
    assert restore(masked, "អានបន្ថែម។").text == "[អានបន្ថែម](https://x.org/y)។"
    masked = mask("**[Read more](https://x.org/y).**")
    assert restore(masked, "អានបន្ថែម។").text == "**[អានបន្ថែម](https://x.org/y)។**"
    masked = mask("<em>Updated at noon.</em>")
    assert restore(masked, "បានធ្វើបច្ចុប្បន្នភាពនៅថ្ងៃត្រង់។").text == "<em>បានធ្វើបច្ចុប្បន្នភាពនៅថ្ងៃត្រង់។</em>"


def test_nothing_to_translate_needs_no_model() -> None:
    assert not mask("https://x.org/a").needs_model
    assert not mask("Phnom Penh", KM_TERMS).needs_model
    assert restore(mask("Phnom Penh", KM_TERMS), "{1}").text == "ភ្នំពេញ"
    assert mask("Phnom Penh floods.", KM_TERMS).needs_model


def test_sentences_without_markup_are_sent_unchanged() -> None:
    source = "Ministry spokesman Chin Malin said enforcement of the law does not amount to persecution."
    masked = mask(source, KM_TERMS)
    assert masked.text == source and not masked.changed
    assert restore(masked, "x").text == "x"


def test_every_fixture_sentence_comes_back_exactly_from_a_copying_model() -> None:
    """All msgids of the test articles (txt, Markdown, HTML) and the FLORES English: masking loses nothing."""
    import html

    from conftest import DATA, FLORES

    from translate.api import Workspace

    msgids = [s.msgid for p in sorted(DATA.rglob("*")) if p.suffix in (".md", ".html", ".txt") and "golden" not in p.parts for s in _segments(Workspace(), p)]
    plain = (FLORES / "eng_Latn.dev").read_text(encoding="utf-8").splitlines()
    assert len(msgids) > 200
    for source in msgids + plain:
        masked = mask(source)
        restored = restore(masked, masked.text)
        assert html.unescape(restored.text) == html.unescape(source), source
        assert restored.issues == ()
    assert not any(mask(line).changed for line in plain)  # plain news sentences reach the model unchanged


def test_no_template_syntax_of_a_fixture_reaches_the_model() -> None:
    """Liquid tags, output tags and shortcodes in Markdown msgids are masked whole, whatever their layout was."""
    from conftest import DATA

    from translate.api import Workspace

    sentences = [s.msgid for p in sorted((DATA / "markdown").glob("*.md")) for s in _segments(Workspace(), p)]
    with_tags = [msgid for msgid in sentences if "{{" in msgid or "{%" in msgid]
    assert len(with_tags) >= 5
    for msgid in with_tags:
        text = mask(msgid).text
        assert not re.search(r"\{[{%]|[%}]\}|[<>]\}\}", text), (msgid, text)


def _segments(workspace, path):  # type: ignore[no-untyped-def]
    from translate.errors import TranslateError

    try:
        return list(workspace.load(path).segments())
    except TranslateError:
        return []  # fixtures of bad input
