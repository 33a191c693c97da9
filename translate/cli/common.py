"""Shared pieces of the command line: context, options, error reporting."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from translate.api import Workspace
    from translate.errors import TranslateError
    from translate.languages import Language

F = TypeVar("F", bound=Callable[..., Any])
EXIT_PARTIAL = 1
#: Nothing failed, but catalogs being saved by another program were left alone: run again.
EXIT_BEING_EDITED = 4


@dataclass
class Context:
    """What the command group passes to its commands."""

    locales: Path
    quiet: bool


class SettingError(click.ClickException):
    """A wrong command-line value or configuration setting: one line, exit code 2, no usage text."""

    exit_code = 2


class HiddenChoice(click.Choice):
    """A choice that also takes values never shown in help, completion or errors (a test-only backend)."""

    def __init__(self, choices: Sequence[str], hidden: Sequence[str]) -> None:
        super().__init__([*choices, *hidden])
        self.visible = click.Choice(list(choices))

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        return self.visible.get_metavar(param, ctx)

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        return self.visible.get_invalid_choice_message(value, ctx)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        return self.visible.shell_complete(ctx, param, incomplete)


#: The inference backends a user chooses from (``--backend`` of mt, run and sync; ``[workspace] backend``).
BACKENDS = ("auto", "ctranslate2", "transformers", "openai-compatible")
BACKEND_HELP = "Inference backend; auto = CTranslate2 when installed and the model is converted (translate models convert), else transformers; openai-compatible = an LLM server (vLLM, llama.cpp, Ollama; [llm] table)."


def fail(error: TranslateError) -> click.ClickException:
    """A library error that stops the command: printed as one line, exit code 1."""
    return click.ClickException(str(error))


def bad_setting(error: TranslateError) -> click.ClickException:
    """A wrong option or configuration setting: printed as one line, exit code 2."""
    return SettingError(str(error))


def _encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check ``--encoding`` before anything is read (only text encodings; not rot13, base64, …)."""
    if value is None:
        return None
    from translate.config import check_encoding
    from translate.errors import ConfigError

    try:
        check_encoding(value, setting="--encoding")
    except ConfigError as error:
        raise bad_setting(error) from error
    return value


def parse_langs(value: str, locales: Path | None = None) -> tuple[Language, ...]:
    """The languages of ``--to``, every spelling of one language made one (``khm``, ``km-KH`` -> ``km``).

    With ``locales``, a catalog folder holding one of them under another name
    (``locales/km_KH`` for ``km``) is refused with how to merge it.
    """
    from translate.errors import ConfigError
    from translate.languages import other_trees, parse_languages

    try:
        langs = parse_languages(value)
    except ConfigError as error:
        raise SettingError(f"--to: {error}") from error
    for lang in langs if locales is not None else ():
        for folder in other_trees(locales, lang):
            raise SettingError(
                f"{folder}: {lang.english_name} catalogs under another name than {lang.gettext} "
                f"(move {folder}/LC_MESSAGES/*.po into {locales / lang.gettext / 'LC_MESSAGES'}/ and remove {folder}: one language, one tree)"
            )
    return langs


def read_options(func: F) -> F:
    """Options shared by every command that reads articles."""
    decorators = [
        click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html"]), help="Article format (default: from the file extension)."),
        click.option("--encoding", callback=_encoding, help="Text encoding of the articles, such as latin-1, cp1252 or utf-16 (default: UTF-8, with or without BOM)."),
        click.option("--front-matter-key", "front_matter_keys", multiple=True, metavar="KEY", help="Front-matter key to translate, dotted for a nested one (image.alt, params.summary); repeat for several (default: title, summary, description, subtitle, caption, image.alt, image.caption, params.summary, params.description, params.subtitle)."),
        click.option("--tag-attribute", "tag_attributes", multiple=True, metavar="NAME", help="Markdown: attribute of Liquid includes and Hugo shortcodes to translate (caption=\"...\"); repeat for several. Default: [markdown] tag_attributes, else caption, cutline, alt, title, quote, quotation, attribution, headline, hedline, dek, description, summary."),
        click.option("--language-key", metavar="KEY", help="Markdown: front-matter key that states the language. Default: [markdown] language_key, else lang or language (lang is added when neither is there)."),
        click.option("--language-value", "language_values", multiple=True, metavar="CODE=VALUE", help="Markdown: value the site uses for a language (km=khmer); repeat for several. Default: [markdown] language_values, else the code."),
        click.option("--skip-line", "skip_lines", multiple=True, metavar="REGEX", help="Plain text: leave out lines matching REGEX (added to the defaults)."),
        click.option("--stop-at", multiple=True, metavar="REGEX", help="Plain text: leave out the line matching REGEX and all after it (added to the defaults)."),
        click.option("--keep-furniture/--skip-furniture", default=False, help="Plain text: translate page furniture too (logos, image labels, 'MOST VIEWED' teasers). Default: skip it."),
        click.option("--content", "html_content", type=click.Choice(["all", "selectors", "auto"]), default=None, help="HTML: translate the whole page, the --include elements, or the article found automatically (auto: needs newsroom-translate[html]). Default: [html] content of translate.toml, else selectors when --include is given, else all."),
        click.option("--include", "html_include", multiple=True, metavar="SELECTOR", help="HTML: CSS selector of elements to translate (article, .story-body); repeat for several. Replaces [html] include."),
        click.option("--exclude", "html_exclude", multiple=True, metavar="SELECTOR", help="HTML: CSS selector of elements never to translate (nav, aside, .share); repeat for several. Replaces [html] exclude."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


_EXECUTOR_FLAGS = {"executor": "kind", "address": "address", "gpu_actors": "gpu_actors", "cpu_actors": "cpu_actors",
                   "actor_threads": "threads", "chunk": "chunk", "in_flight": "in_flight"}


def executor_options(func: F) -> F:
    """Options of every command that translates: where the model runs (``[executor]`` of translate.toml is the default)."""
    decorators = [
        click.option("--executor", type=click.Choice(["local", "ray"]), help="Where the model runs: local (in this process) or ray (a pool of Ray workers; pip install 'newsroom-translate[ray]'). Default: [executor] kind, else local."),
        click.option("--address", metavar="HOST:PORT|auto", help="Ray: the cluster to join (auto: $RAY_ADDRESS). Default: a private Ray on this machine for the run."),
        click.option("--gpu-actors", type=click.IntRange(0), help="Ray: workers with one GPU each (default 0)."),
        click.option("--cpu-actors", type=click.IntRange(0), help="Ray: CPU workers (default: 1 when there are no GPU workers)."),
        click.option("--actor-threads", type=click.IntRange(1), help="Ray: CPUs of each CPU worker, and its engine's threads (default 1)."),
        click.option("--chunk", type=click.IntRange(1), help="Distinct sentences per unit of work; each finished one goes to the memory (default 256)."),
        click.option("--in-flight", type=click.IntRange(1), help="Ray: chunks queued on each worker at once (default 2)."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def executor_flags(options: dict[str, Any]) -> dict[str, Any]:
    """The executor flags, taken out of ``options``, as ``[executor]`` keys (``None`` for those not given)."""
    return {key: options.pop(flag) for flag, key in _EXECUTOR_FLAGS.items()}


def workspace_from(
    ctx: Context,
    fmt: str | None,
    encoding: str | None,
    front_matter_keys: Sequence[str],
    tag_attributes: Sequence[str] = (),
    language_key: str | None = None,
    language_values: Sequence[str] = (),
    skip_lines: Sequence[str] = (),
    stop_at: Sequence[str] = (),
    keep_furniture: bool = False,
    html_content: str | None = None,
    html_include: Sequence[str] = (),
    html_exclude: Sequence[str] = (),
) -> Workspace:
    """The library workspace for the read options: defaults, ``[markdown]`` and ``[html]`` of translate.toml here, then the flags."""
    from dataclasses import replace

    from translate.api import Workspace
    from translate.config import CONFIG_FILE, ReadOptions, markdown_options, read_config_table
    from translate.errors import ConfigError
    from translate.formats.html_select import html_settings

    try:
        table = read_config_table("html")
        html = html_settings(table, content=html_content, include=html_include, exclude=html_exclude, path=CONFIG_FILE if table else None)
        options = markdown_options(ReadOptions(encoding=encoding, **html), read_config_table("markdown"))
        markdown: dict[str, Any] = {}
        if tag_attributes:
            markdown["tag_attributes"] = list(tag_attributes)
        if language_key is not None:
            markdown["language_key"] = language_key
        if language_values:
            markdown["language_values"] = dict(options.language_values) | _pairs(language_values)
        options = markdown_options(options, markdown, "command line")
    except ConfigError as error:
        raise bad_setting(error) from error
    if front_matter_keys:
        options = replace(options, front_matter_keys=tuple(front_matter_keys))
    if keep_furniture:
        options = replace(options, skip_lines=(), stop_at=())
    options = replace(options, skip_lines=options.skip_lines + tuple(skip_lines), stop_at=options.stop_at + tuple(stop_at))
    return Workspace(locales=ctx.locales, read=options, fmt=fmt)


def _pairs(values: Sequence[str]) -> dict[str, str]:
    """``CODE=VALUE`` arguments as a mapping."""
    pairs = {}
    for value in values:
        code, equals, site_value = value.partition("=")
        if not equals:
            raise click.BadParameter(f"{value!r} is not CODE=VALUE", param_hint="--language-value")
        pairs[code.strip()] = site_value
    return pairs


def report_errors(errors: Sequence[TranslateError]) -> None:
    """Print one line per problem and exit: 1 when any failed, 4 when catalogs being edited were only skipped."""
    from translate.errors import BeingEditedError

    for error in errors:
        click.echo(f"{'skipped' if isinstance(error, BeingEditedError) else 'error'}: {error}", err=True)
    if any(not isinstance(error, BeingEditedError) for error in errors):
        sys.exit(EXIT_PARTIAL)
    if errors:
        sys.exit(EXIT_BEING_EDITED)


def report_withheld(withheld: Sequence[Any], output: Path | None) -> None:
    """One line per translation kept out of a published file because it fails a check."""
    for item in withheld:
        click.echo(f"withheld: {item} (not published{f' in {output}' if output else ''}; fix it in the catalog)", err=True)
