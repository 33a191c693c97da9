"""Tests for translate.segment: the hard-case table, the contract, protection, huge inputs."""

from __future__ import annotations

import itertools
import logging
import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import SAMPLES

from translate import segment
from translate.article import Span
from translate.segment import split_sentences

CASES_FILE = Path(__file__).parent / "data" / "segmentation_cases.tsv"
SAMPLE_ARTICLE = SAMPLES / "phnompenhpost-justice-ministry.txt"
MEGABYTE = 1_000_000


def load_cases(path: Path = CASES_FILE) -> list[tuple[str, str, list[str]]]:
    """Read the hard-case table: ``id<TAB>text<TAB>sentence...``; ``\\n`` stands for a newline."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        case_id, text, *sentences = (field.replace("\\n", "\n") for field in line.split("\t"))
        cases.append((case_id, text, sentences))
    return cases


CASES = load_cases()


def sentences(text: str, protected: tuple[Span, ...] = ()) -> list[str]:
    return [text[span.start : span.end] for span in split_sentences(text, protected)]


def check_contract(text: str, spans: tuple[Span, ...], protected: tuple[Span, ...] = ()) -> None:
    """Assert what every result must satisfy, whatever the text."""
    position = 0
    for span in spans:
        assert position <= span.start < span.end <= len(text), spans
        assert text[position : span.start].strip() == "", "only whitespace between spans"
        piece = text[span.start : span.end]
        assert piece == piece.strip(), f"span not trimmed: {piece!r}"
        position = span.end
    assert text[position:].strip() == "", "only whitespace after the last span"
    assert bool(spans) == bool(text.strip())
    for left, right in itertools.pairwise(spans):
        for guard in protected:  # an empty range protects nothing
            assert not (guard.start < right.start and guard.end > max(left.end, guard.start)), f"split in {guard}"


# --- the hard-case table ----------------------------------------------------------------


def test_table_is_large_and_consistent() -> None:
    assert len(CASES) >= 70
    assert len({case_id for case_id, _, _ in CASES}) == len(CASES), "ids are unique"
    for case_id, text, expected in CASES:
        position = 0
        for sentence in expected:  # the sentences are the text, cut in whitespace
            start = text.find(sentence, position)
            assert start >= 0 and not text[position:start].strip(), (case_id, sentence)
            position = start + len(sentence)
        assert not text[position:].strip(), case_id


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in CASES])
def test_hard_case(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_accuracy_over_table() -> None:
    failures = [case_id for case_id, text, expected in CASES if sentences(text) != expected]
    ok, total = len(CASES) - len(failures), len(CASES)
    print(f"segmentation accuracy: {ok}/{total} = {100 * ok / total:.1f}%")
    assert not failures, failures


# --- protected ranges and markup ----------------------------------------------------------


def _protect(text: str, *pieces: str) -> tuple[Span, ...]:
    spans = []
    for piece in pieces:
        start = text.index(piece)
        spans.append(Span(start, start + len(piece)))
    return tuple(spans)


PROTECTED = [
    ("markdown-link", "Read [the rules. They](http://x.y/a.b) now. Then go.", ["[the rules. They](http://x.y/a.b)"],
     ["Read [the rules. They](http://x.y/a.b) now.", "Then go."]),
    ("inline-code", "Run `make? Then test` first. Then restart.", ["`make? Then test`"],
     ["Run `make? Then test` first.", "Then restart."]),
    ("html-attribute", 'See <a title="Stop! Go home." href="/a">this</a> now. Next.', ['<a title="Stop! Go home." href="/a">'],
     ['See <a title="Stop! Go home." href="/a">this</a> now.', "Next."]),
    ("liquid", "Hello {{ page. Title }} there. Bye.", ["{{ page. Title }}"],
     ["Hello {{ page. Title }} there.", "Bye."]),
    ("hugo-shortcode", '{{< note "Wait. Stop." >}} Next one here. Last.', ['{{< note "Wait. Stop." >}}'],
     ['{{< note "Wait. Stop." >}} Next one here.', "Last."]),
    ("ends-at-boundary", "He left. [Then](http://x) she came.", ["He left."],
     ["He left.", "[Then](http://x) she came."]),
    ("covers-gap", "He left. She came. Bye.", ["left. She"],
     ["He left. She came.", "Bye."]),
    ("whole-text", "One. Two. Three.", ["One. Two. Three."],
     ["One. Two. Three."]),
    ("overlapping-unsorted", "A one. B two. C three. D four.", ["three. D", "one. B", "B two"],
     ["A one. B two.", "C three. D four."]),
    ("blank-line-inside", "Code:\n\n    x = 1\n\nDone.", [":\n\n    x = 1"],
     ["Code:\n\n    x = 1", "Done."]),
]


@pytest.mark.parametrize(("text", "pieces", "expected"), [pytest.param(t, p, e, id=i) for i, t, p, e in PROTECTED])
def test_protected_ranges_are_never_split(text: str, pieces: list[str], expected: list[str]) -> None:
    protected = _protect(text, *pieces)
    spans = split_sentences(text, protected)
    check_contract(text, spans, protected)
    assert [text[s.start : s.end] for s in spans] == expected


def test_protected_carriage_return_before_blank_line() -> None:
    text = "One two\r\n\nThree four."
    assert split_sentences(text) == (Span(0, 7), Span(10, len(text)))
    protected = (Span(6, 8),)  # covers "o\r": the blank line may not end the sentence
    assert split_sentences(text, protected) == (Span(0, len(text)),)


def test_protected_range_beyond_text_is_harmless() -> None:
    assert sentences("He left. She came.", (Span(5, 500),)) == ["He left. She came."]


# --- the contract over varied texts -------------------------------------------------------


def _varied_texts() -> list[str]:
    rng = random.Random(20240601)
    pieces = [text for _, text, _ in CASES]
    texts = ["", " ", "\n\n", "\t \u00a0\n", "x", "...", "?!", ". . .", "A.", "1.", "“”", "<em></em>"]
    texts += [" ".join(rng.sample(pieces, 4)) for _ in range(60)]
    texts += ["\n".join(rng.sample(pieces, 3)) for _ in range(30)]
    texts += ["\n\n".join(rng.sample(pieces, 3)) for _ in range(30)]
    alphabet = ["\r\n", "\r\n\n"] + list("aZ .\n?!…\"“”‘’'()[]*_<>-,:;") + ["Mr.", "U.S.", "p.m.", "e.g.", "</em>", "<b>", "No. 1",
                                                         "\u00a0", "ក", "។", "🎉", "مرحبا", "\u200b", "A\u00a0."]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 50))) for _ in range(300)]
    return texts


VARIED = _varied_texts()


def test_contract_over_varied_texts() -> None:
    rng = random.Random(7)
    for text in VARIED:
        check_contract(text, split_sentences(text))
        protected = tuple(
            Span(a, rng.randint(a, len(text))) for a in (rng.randint(0, len(text)) for _ in range(rng.randint(1, 3)))
        )
        check_contract(text, split_sentences(text, protected), protected)


@pytest.fixture(scope="module")
def article() -> str:
    if not SAMPLE_ARTICLE.is_file():
        pytest.skip(f"sample article not found at {SAMPLE_ARTICLE}; set TRANSLATE_SAMPLES")
    return SAMPLE_ARTICLE.read_text(encoding="utf-8")


def test_contract_on_real_article(article: str) -> None:
    check_contract(article, split_sentences(article))
    for paragraph in article.split("\n\n"):
        check_contract(paragraph, split_sentences(paragraph))


def test_real_article_quotes_of_several_sentences_are_split(article: str) -> None:
    paragraph = next(p for p in article.split("\n\n") if p.startswith("“Some groups"))
    found = sentences(paragraph)
    assert len(found) == 3
    assert found[0].startswith("“Some groups") and found[-1] == "They cannot hide from the law,” said Malin."


def test_blank_and_single() -> None:
    assert split_sentences("") == ()
    assert split_sentences(" \n\t\u00a0 ") == ()
    assert split_sentences("  The court adjourned  \n") == (Span(2, 21),)
    assert sentences("no punctuation at all") == ["no punctuation at all"]


def test_other_scripts_pass_through() -> None:
    text = "ក្រសួងយុត្តិធម៌បានច្រានចោលការអះអាង។ شكرا جزيلا. 🎉👏 Emoji 👨‍👩‍👧. Done."
    found = sentences(text)
    check_contract(text, split_sentences(text))
    assert "".join(found).replace(" ", "") == text.replace(" ", "")


def test_inputs_that_break_sentencex_do_not_break_us() -> None:
    for text in ["He met A\u00a0. Smith. Then left.", "A\u3000. B", "Lone \ud800 surrogate. Next one."]:
        check_contract(text, split_sentences(text))


class PanicException(BaseException):
    """Stands in for pyo3's panic, which is a BaseException of this name."""


def test_rules_decide_alone_when_sentencex_panics(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def panic(language: str, text: str) -> list[str]:
        raise PanicException("index out of bounds")

    monkeypatch.setattr(segment.sentencex, "segment", panic)
    with caplog.at_level(logging.WARNING, logger="translate.segment"):
        found = sentences("Mr. Smith moved to the U.S. He said “No. Never.” Then he left at 5 p.m. Officials stayed.")
    assert found == ["Mr. Smith moved to the U.S.", "He said “No.", "Never.”", "Then he left at 5 p.m.", "Officials stayed."]
    assert "sentencex failed" in caplog.text


def test_rules_decide_alone_when_sentencex_changes_the_text(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(segment.sentencex, "segment", lambda language, text: ["something else"])
    with caplog.at_level(logging.WARNING, logger="translate.segment"):
        assert sentences("He left. She stayed.") == ["He left.", "She stayed."]
    assert "sentencex changed" in caplog.text


def test_other_errors_from_sentencex_propagate(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(language: str, text: str) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(segment.sentencex, "segment", interrupted)
    with pytest.raises(KeyboardInterrupt):
        split_sentences("One. Two.")


# --- determinism and threads --------------------------------------------------------------


def test_deterministic_and_thread_safe() -> None:
    texts = [text for _, text, _ in CASES] + VARIED[:100]
    expected = [split_sentences(text) for text in texts]
    assert [split_sentences(text) for text in texts] == expected
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            assert list(pool.map(split_sentences, texts)) == expected


# --- huge inputs (correctness only; timings live in benchmarks/segment_speed.py) ------------


def test_huge_line_without_punctuation() -> None:
    assert split_sentences("a" * MEGABYTE) == (Span(0, MEGABYTE),)


def test_huge_line_without_spaces() -> None:
    text = "ab.cd?ef!" * (MEGABYTE // 9)
    assert split_sentences(text) == (Span(0, len(text)),)


def test_huge_run_of_dots() -> None:
    text = "Wait" + "." * MEGABYTE + " Then."
    assert sentences(text) == ["Wait" + "." * MEGABYTE, "Then."]


def test_huge_repeated_lowercase_sentences() -> None:
    text = "word. " * (MEGABYTE // 6)
    assert split_sentences(text) == (Span(0, len(text) - 1),)


def test_huge_repeated_sentences() -> None:
    count = MEGABYTE // 6
    spans = split_sentences("Word. " * count)
    assert len(spans) == count
    assert spans[0] == Span(0, 5) and spans[-1] == Span(6 * (count - 1), 6 * count - 1)


def test_huge_markup() -> None:
    text = "He said *no.* " + "<b>" * (MEGABYTE // 3) + "Then</b> he left."
    assert len(split_sentences(text)) == 2
