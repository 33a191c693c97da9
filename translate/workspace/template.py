"""The commented default configuration that ``translate init`` writes."""

from __future__ import annotations

from pathlib import Path

from translate.errors import ConfigError
from translate.workspace.config import PYPROJECT

DEFAULT_CONFIG = """\
# translate workspace: `translate sync` keeps every article below in every
# language up to date; `translate status` shows the progress.
# Command-line flags override these settings.

[workspace]
# Article files, relative to this file; ** matches any folders.
sources = [{sources}]
# Files to leave out (same glob syntax), e.g. drafts.
exclude = []
# Target languages (BCP-47 codes).
languages = [{languages}]
# Catalog tree: templates/<name>.pot and <lang>/LC_MESSAGES/<name>.po, where <name> is
# the file name before its first dot, or made from the path for page bundles
# (content/post/angkor/index.md -> content-post-angkor) and shared file names.
locales = "locales"
# Published articles: <name>.<lang>.<ext> (bilingual: <name>.en-<lang>.<format>),
# or where [publish] layout puts them.
output = "out"
# What to publish: "localized" and/or "bilingual"; format of the bilingual edition.
editions = ["localized"]
edition_format = "html"
# Publish machine suggestions where nothing is reviewed yet (false: reviewed only).
include_fuzzy = true
# Sentences without a translation: "source" (keep the English), "omit" or "fail".
untranslated = "source"
# Markdown front-matter keys whose values are translated (dotted for nested keys).
front_matter_keys = ["title", "summary", "description", "subtitle", "caption", "image.alt", "image.caption", "params.summary", "params.description", "params.subtitle"]
# Plain text: also translate page furniture (logos, "MOST VIEWED" teasers).
keep_furniture = false
# Model: a models.lock name or a model folder; leave out for the lock's default.
# model = "nllb-200-distilled-600m"
# Commercial use: true refuses models whose license forbids it (NLLB-200 is
# CC-BY-NC-4.0) and defaults to the best permitted one; see translate models recommend --commercial.
commercial = false
# Inference backend, as translate mt --backend: "auto" (CTranslate2 when converted,
# else transformers), "ctranslate2", "transformers".
backend = "auto"
# Translation memory: a re-run never translates a sentence twice.
memory = ".translate/memory.sqlite3"
# Glossaries (CSV source,target,note or TBX) besides locales/<lang>/glossary.csv:
# terms are masked during machine translation and replaced by their approved target.
# glossaries = ["glossary.csv"]
# Translate again machine suggestions nobody edited when their English changed.
retranslate_machine = true
# Run the quality checks on every updated catalog (counts in the summary).
checks = true

[markdown]
# String attributes of Liquid includes, plugin tags and Hugo shortcodes that hold prose:
# tag_attributes = ["caption", "cutline", "alt", "title", "quote", "quotation", "attribution", "headline", "hedline", "dek", "description", "summary"]
# The front-matter key that states the language (default: lang or language, else lang is added)
# and the value the site's templates expect for each language (default: the code, km):
# language_key = "language"
# language_values = {{ km = "khmer" }}

[html]
# Which part of a whole HTML page is translated: "all" (every block), "selectors"
# (the elements matching include, minus exclude) or "auto" (the main content,
# found with readability-lxml: pip install "newsroom-translate[html]"). See docs/html-pages.md.
# content = "auto"
# include = ["article", "main"]
# exclude = ["nav", "aside", "footer", ".share", "[role=navigation]"]

[decoding]
beam_size = 4
# max_input_tokens = 200
# batch_tokens = 4096  # default: 4096 on CPU, 32768 on a GPU
# device = "auto"

[executor]
# Where the model runs: "local" (this process) or "ray" (a pool of Ray workers,
# pip install "newsroom-translate[ray]"; every node needs the model). See docs/scale.md.
# kind = "ray"
# address = "auto"      # the cluster (auto: $RAY_ADDRESS); default: a private Ray on this machine
# gpu_actors = 4
# cpu_actors = 0
# wave = 500            # articles extracted, translated and published together

[khmer]
# order = true
# spacing = "auto"      # auto (ZWSP between words of word-spaced output) | keep | zwsp | remove
# full_stop = true
# digits = false

[publish]
# Hold back an article until enough of it is reviewed:
# min_reviewed = 0.8
# require_reviewed = ["title", "lede"]
label = false
metadata = false
# Where localized articles go: "flat" (<name>.<lang>.<ext> in output),
# "hugo-filename" (index.km.md beside index.md), "hugo-contentdir" (<output>/km/<path>),
# "jekyll" (jekyll-polyglot: _posts/km/..., km/about.md). With output = "content"
# (Hugo) or "." (Jekyll) the translations land in the site itself.
layout = "flat"
# The folder whose tree those layouts mirror (default: where the sources start).
# source_root = "content"

# [labels.km]
# partial = "..."
# reviewed = "..."
"""


def default_config(sources: tuple[str, ...] = (), languages: tuple[str, ...] = ()) -> str:
    """The text of a default ``translate.toml``."""
    quoted = ", ".join(f'"{s}"' for s in (sources or ("articles/**/*.md", "articles/**/*.html", "articles/**/*.txt")))
    return DEFAULT_CONFIG.format(sources=quoted, languages=", ".join(f'"{lang}"' for lang in (languages or ("km",))))


def pyproject_section(text: str) -> str:
    """The same settings as ``[tool.translate]`` tables of ``pyproject.toml``."""
    out = []
    for line in text.splitlines():
        stripped = line.lstrip("# ")
        if stripped.startswith("[") and stripped.rstrip().endswith("]") and "=" not in stripped:
            prefix = line[: len(line) - len(stripped)]
            line = f"{prefix}[tool.translate.{stripped.strip()[1:-1]}]"
        out.append(line)
    return "\n".join(out) + "\n"


def write_default(target: Path, text: str, *, force: bool = False) -> Path:
    """Write the configuration: a new ``translate.toml``, or appended to ``pyproject.toml``.

    Raises:
        ConfigError: the file exists (``translate.toml``) or already has ``[tool.translate]``.
    """
    from translate.catalog.store import write_atomic

    if target.name == PYPROJECT:
        existing = target.read_text(encoding="utf-8") if target.exists() else ""
        if "[tool.translate" in existing and not force:
            raise ConfigError("already has [tool.translate] settings", path=target, hint="edit them, or remove them first")
        body = (existing.rstrip("\n") + "\n\n" if existing.strip() else "") + pyproject_section(text)
        write_atomic(target, body.encode("utf-8"))
        return target
    if target.exists() and not force:
        raise ConfigError("already exists", path=target, hint="edit it, or pass --force to replace it")
    write_atomic(target, text.encode("utf-8"))
    return target
