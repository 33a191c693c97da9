"""Front matter: nested keys by dotted path, and the language as the site states it."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import polib
import pytest
import yaml
from click.testing import CliRunner

from conftest import FROZEN_NOW, msgfmt_check
from translate.api import Workspace, extract, publish
from translate.article import BlockKind, Slot
from translate.cli import cli
from translate.config import ReadOptions, markdown_options
from translate.errors import ConfigError
from translate.formats.markdown import parse
from translate.languages import language
from translate.render import render
from translate.workspace.config import load_config
from translate.workspace.setup import read_options

KM = language("km")


def fields(source: str, keys: tuple[str, ...]) -> list[tuple[str | None, str]]:
    parsed = parse(source, ReadOptions(front_matter_keys=keys), "post.md")
    return [(block.context, block.text) for block in parsed.blocks if block.kind is BlockKind.FRONT_MATTER]


def publish_language(source: str, lang: str = "km", **options: object) -> str:
    """``source`` with only its language marker set to ``lang``."""
    parsed = parse(source, replace(ReadOptions(), **options), "post.md")
    return render(source, (), lambda block: None, marker=parsed.marker, lang=lang)


# -- nested keys -----------------------------------------------------------------

YAML_NESTED = """---
title: Floods
image:
  path: /img/flood.jpg
  alt: A flooded road
params:
  summary: "Water levels are the highest in a decade."
  hero: {src: /img/hero.jpg, alt: 'Boats on a street'}
resources:
  - src: a.jpg
    title: Families move by boat.
  - src: b.jpg
    title: A school used as a shelter.
seo.title: A key with a dot in its name
---
Body.
"""


def test_yaml_nested_keys_by_dotted_path() -> None:
    keys = ("image.alt", "params.summary", "params.hero.alt", "resources.title", "seo.title", "image")
    assert fields(YAML_NESTED, keys) == [
        ("image.alt", "A flooded road"),
        ("params.summary", "Water levels are the highest in a decade."),
        ("params.hero.alt", "Boats on a street"),
        ("resources.title", "Families move by boat."),
        ("resources.title", "A school used as a shelter."),
        ("seo.title", "A key with a dot in its name"),
    ]


def test_yaml_nested_values_are_rewritten_in_place() -> None:
    keys = ("image.alt", "params.hero.alt", "resources.title")
    parsed = parse(YAML_NESTED, ReadOptions(front_matter_keys=keys), "post.md")
    rendered = render(YAML_NESTED, parsed.blocks, lambda block: f"ក {block.context}: «{block.text}»")
    loaded = yaml.safe_load(rendered.split("---\n")[1])
    assert loaded["image"] == {"path": "/img/flood.jpg", "alt": "ក image.alt: «A flooded road»"}
    assert loaded["params"]["hero"] == {"src": "/img/hero.jpg", "alt": "ក params.hero.alt: «Boats on a street»"}
    assert [item["title"] for item in loaded["resources"]] == [
        "ក resources.title: «Families move by boat.»",
        "ក resources.title: «A school used as a shelter.»",
    ]
    assert loaded["params"]["summary"] == "Water levels are the highest in a decade."


def test_default_keys_cover_jekyll_image_alt_and_hugo_params() -> None:
    parsed = parse(YAML_NESTED, ReadOptions(), "post.md")
    assert [block.context for block in parsed.blocks if block.slot is Slot.YAML] == [
        "title",
        "image.alt",
        "params.summary",
    ]


TOML_NESTED = '''+++
title = "Exports rise"
og.teaser = "A dotted key at the top."
tags = [
  "trade",
  ["not", "a table"],
]
image = { src = "a.jpg", alt = "An inline table is left as it is" }

[params]
summary = "Exports rose 11 percent."
"quoted key" = 'A quoted key.'

[params.hero]
alt = "Workers at sewing machines"

[[resources]]
src = "chart.png"
title = "Monthly exports"

[resources.params]
credit = "Ministry of Commerce"

[[resources]]
src = "floor.jpg"
title = "A factory floor"
+++
Body.
'''


def test_toml_tables_arrays_of_tables_and_dotted_keys() -> None:
    keys = (
        "og.teaser",
        "params.summary",
        "params.quoted key",
        "params.hero.alt",
        "resources.title",
        "resources.params.credit",
        "image.alt",
        "not",
    )
    assert fields(TOML_NESTED, keys) == [
        ("og.teaser", "A dotted key at the top."),
        ("params.summary", "Exports rose 11 percent."),
        ("params.quoted key", "A quoted key."),
        ("params.hero.alt", "Workers at sewing machines"),
        ("resources.title", "Monthly exports"),
        ("resources.params.credit", "Ministry of Commerce"),
        ("resources.title", "A factory floor"),
    ]


def test_toml_rewrite_loads_with_new_values_and_language() -> None:
    keys = ("params.summary", "resources.title")
    parsed = parse(TOML_NESTED, ReadOptions(front_matter_keys=keys), "post.md")
    rendered = render(TOML_NESTED, parsed.blocks, lambda block: f'ក "{block.context}"', marker=parsed.marker, lang="km")
    loaded = tomllib.loads(rendered.split("+++\n")[1])
    assert loaded["lang"] == "km"
    assert loaded["params"]["summary"] == 'ក "params.summary"'
    assert [item["title"] for item in loaded["resources"]] == ['ក "resources.title"'] * 2
    assert loaded["tags"] == ["trade", ["not", "a table"]]
    assert rendered.index('lang = "km"') < rendered.index("[params]")


# -- the language marker -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "options", "lang", "expected"),
    [
        pytest.param("language: english\n", {}, "km", "language: khmer\n", id="english-name-kept-as-a-name"),
        pytest.param("language: English\n", {}, "th", "language: Thai\n", id="name-case-kept"),
        pytest.param("lang: en\n", {}, "km", "lang: km\n", id="code"),
        pytest.param("lang: en-US\n", {}, "pt-BR", "lang: pt-BR\n", id="region"),
        pytest.param(
            "language: english\n", {"language_values": (("km", "ខ្មែរ"),)}, "km", 'language: "ខ្មែរ"\n', id="configured-khmer-script"
        ),
        pytest.param("language: english\n", {"language_values": (("km", "kh"),)}, "km-KH", "language: kh\n", id="base-language"),
        pytest.param("lang: en\n", {"language_values": (("nb", "no"),)}, "nb", 'lang: "no"\n', id="yaml-boolean-quoted"),
        pytest.param(
            "title: T\nlocale: en_US\nlang: en\n",
            {"language_key": "locale", "language_values": (("km", "km_KH"),)},
            "km",
            "title: T\nlocale: km_KH\nlang: en\n",
            id="configured-key",
        ),
        pytest.param("title: T\n", {"language_key": "locale"}, "km", "title: T\nlocale: km\n", id="configured-key-added"),
        pytest.param(
            "params:\n  language: english\n", {"language_key": "params.language"}, "km", "params:\n  language: khmer\n", id="nested-key"
        ),
        pytest.param("title: T\n", {"language_key": "params.language"}, "km", "title: T\n", id="nested-key-absent"),
        pytest.param("title: T\n", {"language_values": (("km", "khmer"),)}, "km", "title: T\nlang: khmer\n", id="added-with-value"),
    ],
)
def test_yaml_language_value(front: str, options: dict[str, object], lang: str, expected: str) -> None:
    source = f"---\n{front}---\nBody.\n"
    assert publish_language(source, lang, **options) == f"---\n{expected}---\nBody.\n"


@pytest.mark.parametrize(
    ("front", "options", "expected"),
    [
        pytest.param('language = "English"\n', {}, 'language = "Khmer"\n', id="name"),
        pytest.param("lang = 'en'\n", {}, 'lang = "km"\n', id="literal-string"),
        pytest.param('title = "T"\n', {"language_values": (("km", 'k"h'),)}, 'title = "T"\nlang = "k\\"h"\n', id="escaped"),
        pytest.param(
            'title = "T"\n[params]\nlanguage = "english"\n',
            {"language_key": "params.language"},
            'title = "T"\n[params]\nlanguage = "khmer"\n',
            id="nested-key",
        ),
    ],
)
def test_toml_language_value(front: str, options: dict[str, object], expected: str) -> None:
    source = f"+++\n{front}+++\nBody.\n"
    published = publish_language(source, "km", **options)
    assert published == f"+++\n{expected}+++\nBody.\n"
    tomllib.loads(published.split("+++\n")[1])


# -- configuration -------------------------------------------------------------------------


def test_markdown_table_sets_the_read_options() -> None:
    options = markdown_options(
        ReadOptions(),
        {"tag_attributes": ["caption", "legend"], "language_key": "language", "language_values": {"km": "khmer", "pt_BR": "portuguese"}},
    )
    assert options.tag_attributes == ("caption", "legend")
    assert options.language_key == "language"
    assert options.language_values == (("km", "khmer"), ("pt-br", "portuguese"))


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"tag_attribute": ["caption"]}, "unknown setting 'tag_attribute'"),
        ({"tag_attributes": "caption"}, "tag_attributes must be a list"),
        ({"language_key": "lang: x"}, "language_key must be a key name"),
        ({"language_values": ["km"]}, "language_values must map"),
        ({"language_values": {"km": 3}}, "must be a code and a non-empty string"),
        ({"language_values": {"km": "a\nb"}}, "must be one line"),
    ],
)
def test_bad_markdown_settings_are_refused(table: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        markdown_options(ReadOptions(), table, "translate.toml")
    message = str(caught.value)
    assert words in message and message.startswith("translate.toml: ") and "\n" not in message


def test_workspace_markdown_table(tmp_path: Path) -> None:
    config_file = tmp_path / "translate.toml"
    config_file.write_text(
        '[workspace]\nlanguages = ["km"]\nfront_matter_keys = ["title", "image.alt"]\n\n'
        '[markdown]\ntag_attributes = ["caption"]\nlanguage_values = { km = "khmer" }\n',
        encoding="utf-8",
    )
    config = load_config(config_file)
    options = read_options(config)
    assert options.tag_attributes == ("caption",)
    assert options.language_values == (("km", "khmer"),)
    assert options.front_matter_keys == ("title", "image.alt")
    before = config.fingerprint()
    config_file.write_text(config_file.read_text(encoding="utf-8").replace('"khmer"', '"km"'), encoding="utf-8")
    assert load_config(config_file).fingerprint() != before
    config_file.write_text('[workspace]\n[markdown]\nlanguage_key = ""\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="language_key"):
        load_config(config_file)


POST = """---
title: Polls close
language: english
image: {path: /img/a.jpg, alt: Voters at a school}
---

{% include photo.html

\tfile="/img/b.jpg"
\tcaption="Voters queue outside a polling station."
\tlegend="Chbar Ampov district"

%}
"""


def test_command_line_flags_and_translate_toml(workdir: Path) -> None:
    (workdir / "post.md").write_text(POST, encoding="utf-8")
    (workdir / "translate.toml").write_text('[markdown]\nlanguage_values = { km = "khmer-site" }\n', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["extract", "post.md", "--to", "km", "--tag-attribute", "caption", "--tag-attribute", "legend"])
    assert result.exit_code == 0, result.output
    po_path = workdir / "locales" / "km" / "LC_MESSAGES" / "post.po"
    msgfmt_check(po_path)
    po = polib.pofile(str(po_path))
    assert {(entry.msgid, entry.comment) for entry in po} == {
        ("Polls close", "front matter: title"),
        ("Voters at a school", "front matter: image.alt"),
        ("Voters queue outside a polling station.", "caption: caption of {% include photo.html %}"),
        ("Chbar Ampov district", "caption: legend of {% include photo.html %}"),
    }
    for entry in po:
        entry.msgstr = entry.msgid
    po.save()
    result = runner.invoke(cli, ["publish", "post.md", "--to", "km", "--tag-attribute", "caption", "--tag-attribute", "legend"])
    assert result.exit_code == 0, result.output
    published = (workdir / "out" / "post.km.md").read_text(encoding="utf-8")
    assert published == POST.replace("language: english", "language: khmer-site")
    result = runner.invoke(cli, ["publish", "post.md", "--to", "km", "--language-value", "km=khmer"])
    assert result.exit_code == 0, result.output
    assert "language: khmer\n" in (workdir / "out" / "post.km.md").read_text(encoding="utf-8")
    result = runner.invoke(cli, ["publish", "post.md", "--to", "km", "--language-value", "khmer"])
    assert result.exit_code != 0 and "CODE=VALUE" in result.output


def test_identity_with_configured_language(workdir: Path) -> None:
    article = workdir / "post.md"
    article.write_text(POST, encoding="utf-8")
    workspace = Workspace(locales=workdir / "locales", read=replace(ReadOptions(), language_values=(("km", "khmer"),)))
    [result] = extract([article], [KM], workspace, now=FROZEN_NOW)
    po = polib.pofile(str(result.catalogs[0].path))
    for entry in po:
        entry.msgstr = entry.msgid
    po.save()
    [published] = publish([article], KM, workdir / "out", workspace)
    assert published.output.read_text(encoding="utf-8") == POST.replace("language: english", "language: khmer")
