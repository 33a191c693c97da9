"""Tests for translate.mt.clauses: boundary preference, protection, reconstruction, huge inputs."""

from __future__ import annotations

import random
import re
import time

import pytest

from translate.article import normalize_space
from translate.mt.clauses import split_clauses


def words(text: str) -> int:
    """A stand-in tokenizer: one token per word."""
    return len(text.split())


# A 216-word news sentence: six clauses of 33 to 40 words joined by semicolons, each with commas.
CLAUSES = (
    (
        "The provincial governor, speaking to reporters outside the flooded market in Kampong Cham on Tuesday, "
        "said that more than 12,000 families had been moved to higher ground since the Mekong began rising last week, "
        "and that the water was climbing;"
    ),
    (
        "relief workers from the Cambodian Red Cross, who arrived on Monday with boats, rice and clean water, "
        "warned that several villages along the river could remain cut off for at least ten days, perhaps longer;"
    ),
    (
        "the Ministry of Water Resources, which monitors the river at six stations between Stung Treng and Phnom Penh, "
        "reported that levels at Kratie had reached 21.8 metres, the highest reading there since the floods of 2011;"
    ),
    (
        "schools in four districts were closed until further notice, although teachers in Srey Santhor said they would "
        "hold lessons in pagodas on higher ground if parents agreed, as they had done during the last major flood;"
    ),
    (
        "farmers, many of whom had planted their wet-season rice only weeks ago, said they feared losing the whole "
        "harvest, while traders in the provincial capital reported that the price of vegetables had doubled;"
    ),
    (
        "and the prime minister, in a message posted late on Tuesday, urged residents to follow the instructions of "
        "local authorities, to boil drinking water and to keep children away from the fast-moving water near the banks."
    ),
)
NEWS = " ".join(CLAUSES)


def test_news_sentence_splits_at_semicolons() -> None:
    assert 200 <= words(NEWS) <= 260
    assert all(33 <= words(clause) <= 40 for clause in CLAUSES)
    parts = split_clauses(NEWS, words, 40)
    assert parts == CLAUSES
    assert " ".join(parts) == NEWS


def test_long_clause_then_splits_at_comma_before_conjunction() -> None:
    parts = split_clauses(NEWS, words, 25)
    assert all(words(part) <= 25 for part in parts)
    assert " ".join(parts) == NEWS
    assert all(part.endswith((";", ",", ".")) for part in parts)
    assert sum(part.endswith(";") for part in parts) == 5  # every semicolon is still a cut
    assert parts[:3] == (  # first at ", and", then at the comma nearest the middle
        "The provincial governor, speaking to reporters outside the flooded market in Kampong Cham on Tuesday,",
        "said that more than 12,000 families had been moved to higher ground since the Mekong began rising last week,",
        "and that the water was climbing;",
    )


def test_fitting_sentence_returned_unchanged() -> None:
    sentence = "  The   minister\nsaid so. "
    assert split_clauses(sentence, words, 4) == (sentence,)


def test_white_space_normalized_when_split() -> None:
    sentence = "The minister said so,\n  and   the\tpress agreed. "
    parts = split_clauses(sentence, words, 4)
    assert parts == ("The minister said so,", "and the press agreed.")
    assert " ".join(parts) == normalize_space(sentence)


def test_no_break_space_is_not_a_boundary() -> None:
    sentence = "Prices rose 10\u00a0% in Phnom Penh and 12\u00a0% in Siem Reap"
    parts = split_clauses(sentence, words, 3)
    assert all("\u00a0" not in part or "%" in part for part in parts)
    assert " ".join(parts) == sentence


@pytest.mark.parametrize(
    ("sentence", "first"),
    [
        ("One, two three four five six, and seven eight nine ten.", "One, two three four five six,"),
        ("One two, three four five six seven: eight nine ten.", "One two, three four five six seven:"),
        ("One two three, four five six seven eight - nine ten.", "One two three,"),
        ("One two three four five six seven — eight nine ten.", "One two three four five six seven —"),
        ("One two three four five six seven eight nine ten.", "One two three four five"),
    ],
    ids=["conjunction-over-comma", "colon-over-comma", "comma-over-dash", "dash-over-space", "middle-space"],
)
def test_boundary_preference(sentence: str, first: str) -> None:
    parts = split_clauses(sentence, words, 9)
    assert parts[0] == first
    assert " ".join(parts) == sentence


def test_comma_after_closing_quote_is_a_boundary() -> None:
    sentence = 'Officials called the plan "a good start," but critics said it came far too late for farmers.'
    assert split_clauses(sentence, words, 10) == ('Officials called the plan "a good start,"', "but critics said it came far too late for farmers.")


def test_no_split_inside_quotes_when_avoidable() -> None:
    sentence = 'The spokesman said the talks were "open, frank, and at times difficult, but useful" before leaving the room.'
    parts = split_clauses(sentence, words, 12)  # a space outside beats a clause boundary inside
    assert parts == ("The spokesman said the talks were", '"open, frank, and at times difficult, but useful" before leaving the room.')
    parts = split_clauses(sentence, words, 6)
    assert all(words(part) <= 6 for part in parts)  # the quotation alone is too long: cut inside it
    assert " ".join(parts) == sentence


def test_no_split_inside_parentheses_when_avoidable() -> None:
    sentence = "The agency (which was founded in 1993, after the elections, with foreign aid) said on Monday that prices fell."
    parts = split_clauses(sentence, words, 15)
    assert "(which was founded in 1993, after the elections, with foreign aid)" in parts[0]
    assert all(part.count("(") == part.count(")") for part in parts)


@pytest.mark.parametrize(
    "construct",
    [
        "[the full report, with annexes](https://example.org/report?id=3,4)",
        '[the full report, with annexes](https://example.org/report "Report, 2024")',
        "![a flooded street, in Phnom Penh](images/flood.jpg)",
        '<a href="https://example.org/report">the full report, with annexes</a>',
        "<span class=\"x\">the <em>full</em> report, with <b>annexes</b></span>",
        '{{ page.report_title | default: "the full report, with annexes" }}',
        '{{< ref "the full report, with annexes" >}}',
        "{% include report.html caption=\"the report, in full\" %}",
        "`report --full, --annexes`",
    ],
    ids=["md-link", "md-link-title", "md-image", "html-link", "nested-elements", "liquid", "hugo-shortcode", "liquid-tag", "code"],
)
def test_markup_stays_whole(construct: str) -> None:
    sentence = f"The ministry published, on Monday, {construct} and said, in a statement, that it would act; nothing followed."
    for budget in (1, 5, 12):
        parts = split_clauses(sentence, words, budget)
        assert construct in parts or any(construct in part for part in parts)
        assert " ".join(parts) == sentence


def test_urls_stay_whole() -> None:
    sentence = "Read it at https://example.org/a,b;c?x=1 or www.example.org/news, then write to us."
    parts = split_clauses(sentence, words, 2)
    assert parts == ("Read", "it at", "https://example.org/a,b;c?x=1", "or www.example.org/news,", "then write", "to us.")


def test_unclosed_markup_does_not_block_splitting() -> None:
    sentence = "He wrote <b> and [then, stopped; the {{ text, kept going, with `ticks, and more words."
    parts = split_clauses(sentence, words, 4)
    assert all(words(part) <= 4 for part in parts)
    assert " ".join(parts) == sentence


def test_no_separators_splits_at_spaces_balanced() -> None:
    sentence = " ".join(f"w{i:03}" for i in range(100))
    parts = split_clauses(sentence, words, 40)
    assert [words(part) for part in parts] == [25, 25, 25, 25]
    assert " ".join(parts) == sentence


def test_single_huge_token_stays_whole() -> None:
    token = "x" * 500
    assert split_clauses(token, len, 40) == (token,)
    assert split_clauses(f"Before {token} after.", len, 40) == ("Before", token, "after.")


def test_invalid_budget() -> None:
    with pytest.raises(ValueError):
        split_clauses("Anything.", words, 0)


CONSTRUCTS = re.compile(r"\[[^\[\]]*\]\([^()]*\)|\{\{[^{}]*\}\}")
VOCABULARY = ("the", "minister", "said,", "that;", "and", "which", "(in", "2024)", '"yes,', 'no"', "—", "-", "[a", "link](x)", "<b>b</b>", "{{ x }}", "it:", "end.")


@pytest.mark.parametrize("seed", range(100))
def test_random_sentences(seed: int) -> None:
    """Parts always rebuild the text, and a part over budget is one word or one construct."""
    rng = random.Random(seed)
    sentence = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(1, 120)))
    budget = rng.randint(1, 30)
    parts = split_clauses(sentence, words, budget)
    assert " ".join(parts) == sentence
    for part in parts:
        assert words(part) <= budget or " " not in CONSTRUCTS.sub("", part), part


def test_megabyte_sentence_is_fast() -> None:
    rng = random.Random(1)
    vocabulary = [word for clause in CLAUSES for word in clause.split()] + ['"a quote,', 'closed"', "<b>x</b>", "[a](b)"]
    sentence = " ".join(rng.choice(vocabulary) for _ in range(170_000))
    assert len(sentence) > 1_000_000
    start = time.perf_counter()
    parts = split_clauses(sentence, words, 40)
    assert time.perf_counter() - start < 10.0
    assert " ".join(parts) == sentence
    assert max(words(part) for part in parts) <= 40
