"""Prompt templates, the strict reading of replies, and the [llm] settings with their signature."""

from __future__ import annotations

import pytest

from translate.errors import ConfigError
from translate.languages import language
from translate.mt.decoding import DecodingConfig
from translate.mt.llm.prompt import Batch, messages, placeholders, read_reply, read_single
from translate.mt.llm.settings import DEFAULT_INSTRUCTIONS, GENERIC_INSTRUCTIONS, LLMSettings, llm_settings
from translate.mt.types import TermNote

EN, KM, TH, FR = language("en"), language("km"), language("th"), language("fr")
TWO = ["Visit {1} today.", "Prices rose."]


@pytest.mark.parametrize(
    "reply, lines, problem",
    [
        pytest.param("1. ចូលមើល {1} ថ្ងៃនេះ។\n2. តម្លៃបានកើនឡើង។", ("ចូលមើល {1} ថ្ងៃនេះ។", "តម្លៃបានកើនឡើង។"), "", id="as-asked"),
        pytest.param("\n1. a {1}\n\n2. b\n\n", ("a {1}", "b"), "", id="blank-lines"),
        pytest.param("១. a { 1 }\n២) b", ("a { 1 }", "b"), "", id="khmer-digits-and-paren"),
        pytest.param("```\n1. a {1}\n2. b\n```", ("a {1}", "b"), "", id="code-fence"),
        pytest.param("<think>two lines</think>\n1. a {1}\n2. b", ("a {1}", "b"), "", id="reasoning"),
        pytest.param("1. a {1}", None, "1 lines for 2 sentences", id="line-missing"),
        pytest.param("1. a {1}\n2. b\n3. c", None, "3 lines for 2 sentences", id="line-extra"),
        pytest.param("1. a {1}\n3. b", None, "line 2 is numbered 3", id="wrong-number"),
        pytest.param("a {1}\nb", None, "line 1 is not numbered: 'a {1}'", id="unnumbered"),
        pytest.param("1. a\n2. b", None, "line 1 has placeholders none, its sentence {1}", id="placeholder-lost"),
        pytest.param("1. a {1} {1}\n2. b", None, "line 1 has placeholders {1} {1}, its sentence {1}", id="placeholder-doubled"),
        pytest.param("1. a {1}\n2. b {2}", None, "line 2 has placeholders {2}, its sentence none", id="placeholder-invented"),
        pytest.param("1. a {1}\n2.", None, "line 2 is empty", id="empty-line"),
    ],
)
def test_read_reply(reply: str, lines: tuple[str, ...] | None, problem: str) -> None:
    reading = read_reply(reply, TWO)
    assert reading.lines == lines and reading.problem == problem


@pytest.mark.parametrize(
    "reply, text, well_formed",
    [
        ("1. តម្លៃបានកើនឡើង។", "តម្លៃបានកើនឡើង។", True),
        ("Sure:\n1. តម្លៃបានកើនឡើង។", "តម្លៃបានកើនឡើង។", False),
        ("1. តម្លៃបាន\nកើនឡើង។", "តម្លៃបាន កើនឡើង។", False),
        ("តម្លៃបានកើនឡើង។", "តម្លៃបានកើនឡើង។", False),
        ("1.", "", True),
        ("1. ក\x13\tខ\x01។", "ក ខ។", True),
    ],
)
def test_read_single(reply: str, text: str, well_formed: bool) -> None:
    assert read_single(reply) == (text, well_formed)


def test_placeholders_as_models_write_them() -> None:
    assert placeholders("a {1} b ｛２｝ c {១} d { 3 }") == ["{1}", "{1}", "{2}", "{3}"]


def test_messages_number_sentences_on_one_line_each() -> None:
    batch = Batch(("First line\nwraps here.", "Second."), before=("Before.",), terms=((2, TermNote("{1}", "Angkor Wat", "អង្គរវត្ត")),))
    system, user = messages(batch, LLMSettings().template_for(KM), EN, KM)
    assert system["role"] == "system" and user["role"] == "user"
    assert DEFAULT_INSTRUCTIONS["km"] in system["content"]
    assert user["content"].endswith("Sentences:\n1. First line wraps here.\n2. Second.")
    assert "Before the sentences: Before." in user["content"] and "After the sentences" not in user["content"]
    assert 'in sentence 2, {1} is "Angkor Wat", translated "អង្គរវត្ត"' in user["content"]


def test_templates_by_language_from_the_llm_table() -> None:
    settings = llm_settings(
        {
            "model": "qwen2.5-7b-instruct",
            "template": {"user": "Into $target_language ($target_code), $count lines:\n$sentences", "km": {"system": "អ្នកបកប្រែ។ $instructions"}},
            "instructions": {"fr": "Vouvoyez."},
        }
    )
    km = settings.template_for(KM)
    assert km.system == "អ្នកបកប្រែ។ $instructions" and km.user.startswith("Into $target_language")
    assert km.instructions == DEFAULT_INSTRUCTIONS["km"]
    assert settings.template_for(FR).instructions == "Vouvoyez." and settings.template_for(language("de")).instructions == GENERIC_INSTRUCTIONS
    _, user = messages(Batch(("Hello.",)), settings.template_for(KM), EN, KM)
    assert user["content"] == "Into Khmer (km), 1 lines:\n1. Hello."
    assert settings.template_for(KM).digest != settings.template_for(TH).digest != LLMSettings().template_for(TH).digest


def test_signature_names_everything_that_shapes_the_text() -> None:
    base = LLMSettings(endpoint="http://gpu-box:8000/v1/", model="m")
    signature = base.signature(DecodingConfig(), KM)
    assert signature == (
        f"openai-compatible|endpoint:http://gpu-box:8000/v1|tpl:{base.template_for(KM).digest}|temp:0|top_p:1"
        "|batch:8|ctx:2|maxnew:3x+10|retry:yes"
    )
    assert " " not in signature
    changed = [
        llm_settings({"endpoint": "http://other:8000/v1"}, base=base),
        llm_settings({"temperature": 0.3}, base=base),
        llm_settings({"batch_sentences": 4}, base=base),
        llm_settings({"context_sentences": 0}, base=base),
        llm_settings({"seed": 7}, base=base),
        llm_settings({"instructions": {"km": "Short."}}, base=base),
        llm_settings({"extra_body": {"chat_template_kwargs": {"enable_thinking": False}}}, base=base),
    ]
    signatures = {s.signature(DecodingConfig(), KM) for s in changed}
    assert len(signatures) == len(changed) and signature not in signatures
    # Settings that do not change the text stay out of it.
    assert llm_settings({"concurrency": 8, "timeout": 30, "attempts": 2}, base=base).signature(DecodingConfig(), KM) == signature


@pytest.mark.parametrize(
    "table, message",
    [
        ({"endpoints": "x"}, "unknown [llm] setting 'endpoints'"),
        ({"endpoint": "localhost:8080"}, "endpoint must be an http(s) URL"),
        ({"model": "two words"}, "model must be one word"),
        ({"batch_sentences": 0}, "batch_sentences must be at least 1"),
        ({"temperature": "0"}, "[llm] temperature must be a number"),
        ({"concurrency": 1.5}, "[llm] concurrency must be a whole number"),
        ({"template": {"user": "no sentences here"}}, "has no $sentences"),
        ({"template": {"user": "$sentences in $language"}}, "unknown or malformed $name 'language'"),
        ({"template": {"km": {"prompt": "x"}}}, "[llm.template.km] may hold only the strings system and user"),
        ({"extra_body": "x"}, "[llm] extra_body must be a table"),
    ],
)
def test_bad_settings_are_refused(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        llm_settings(table)
    assert message in str(caught.value)
