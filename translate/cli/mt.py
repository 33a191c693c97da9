"""Machine-translation commands: mt (fill catalogs) and run (extract + mt + publish)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from translate.cli.common import (
    BACKEND_HELP,
    BACKENDS,
    Context,
    bad_setting,
    executor_flags,
    executor_options,
    fail,
    parse_langs,
    read_options,
    report_errors,
    report_withheld,
    workspace_from,
)

if TYPE_CHECKING:
    from translate.api import MTRequest
    from translate.mt.jobs import TranslateProgress
    from translate.mt.service import MTRun

F = TypeVar("F", bound=Callable[..., Any])

_DECODING_FLAGS = ("beam_size", "max_input_tokens", "batch_tokens", "device", "threads", "replicas", "compute_type", "restrict_vocabulary", "retry")
_COMPUTE_TYPES = ("auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")


def mt_options(func: F) -> F:
    """Options shared by ``mt`` and ``run``: model, backend, decoding settings, memory."""
    decorators = [
        click.option("--model", metavar="NAME|DIR", help="A model named in models.lock (default: its default model) or a local model folder; with --backend openai-compatible, the served model's name."),
        click.option("--commercial/--no-commercial", default=None, help="Commercial use: refuse models whose license forbids it (NLLB-200 is CC-BY-NC) and default to the best permitted one (default: [workspace] commercial of the --config file, else no)."),
        click.option("--backend", type=click.Choice(BACKENDS), default="auto", show_default=True, help=BACKEND_HELP),
        click.option("--endpoint", metavar="URL", help="--backend openai-compatible: the server's API, e.g. http://localhost:8080/v1 (default: [llm] endpoint)."),
        click.option("--beam-size", type=click.IntRange(1, 16), help="Beam width (default 4)."),
        click.option("--max-input-tokens", type=click.IntRange(8), help="Longer sentences are split at clause boundaries first (default 200)."),
        click.option("--batch-tokens", type=click.IntRange(16), help="Token budget of one batch (default: 4096 on CPU, 32768 on a GPU)."),
        click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), help="Where to run the model (default auto)."),
        click.option("--threads", type=click.IntRange(0), help="CPU threads per replica (default: the library's choice)."),
        click.option("--replicas", type=click.IntRange(1), help="CTranslate2: model replicas working in parallel (default 1)."),
        click.option("--compute-type", type=click.Choice(_COMPUTE_TYPES), help="CTranslate2 compute type (default auto: int8 on CPU, int8_float16 on GPU)."),
        click.option("--restrict-vocabulary/--full-vocabulary", default=None, help="CTranslate2: limit outputs to the target script, punctuation, digits and the source's own tokens (default: restrict)."),
        click.option("--retry/--no-retry", default=None, help="Translate again outputs that loop or hit the length cap (default: retry)."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Configuration file with [decoding], [khmer] and [llm] tables (default: ./translate.toml if present)."),
        click.option("--lock", type=click.Path(dir_okay=False, path_type=Path), help="models.lock to use (default: ./models.lock, else the project's)."),
        click.option("--memory", type=click.Path(dir_okay=False, path_type=Path), help="Translation-memory file (default: ~/.cache/translate/memory.sqlite3, or $TRANSLATE_MEMORY)."),
        click.option("--glossary", "glossaries", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Glossary (CSV source,target,note[,lang] or TBX): its terms are masked and replaced by their approved translations; repeatable. locales/<lang>/glossary.csv|.tbx are always used."),
        click.option("--retranslate-machine", is_flag=True, help="Also replace fuzzy machine translations that nobody edited (after the English changed)."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return executor_options(func)


def _request(options: dict[str, Any]) -> MTRequest:
    from translate.api import MTRequest
    from translate.config import read_config_table
    from translate.errors import ConfigError
    from translate.mt.decoding import decoding_config
    from translate.mt.llm.settings import BACKEND as LLM_BACKEND
    from translate.mt.llm.settings import llm_settings
    from translate.mt.setup import MTSettings
    from translate.workspace.config import commercial_setting

    from translate.khmer import khmer_options

    from translate.mt.jobs import executor_settings

    flags = {name: options.pop(name) for name in _DECODING_FLAGS}
    where = executor_flags(options)
    config_file = options.pop("config_file")
    commercial = options.pop("commercial")
    backend, endpoint = options.pop("backend"), options.pop("endpoint")
    if endpoint is not None and backend != LLM_BACKEND:
        raise click.UsageError(f"--endpoint is for --backend {LLM_BACKEND}")
    try:
        decoding = decoding_config(read_config_table("decoding", config_file), flags)
        khmer = khmer_options(read_config_table("khmer", config_file))
        llm = llm_settings(read_config_table("llm", config_file), {"endpoint": endpoint}) if backend == LLM_BACKEND else None
        if commercial is None:
            commercial = commercial_setting(read_config_table("workspace", config_file), config_file)
    except ConfigError as error:
        raise fail(error) from error
    try:
        executor = executor_settings(read_config_table("executor", config_file), where, path=str(config_file or "translate.toml"))
    except ConfigError as error:
        raise bad_setting(error) from error
    settings = MTSettings(model=options.pop("model"), backend=backend, decoding=decoding, lock=options.pop("lock"),
                          progress=sys.stderr.isatty(), commercial=commercial, llm=llm)
    return MTRequest(settings=settings, memory=options.pop("memory"), retranslate_machine=options.pop("retranslate_machine"), khmer=khmer,
                     glossaries=tuple(options.pop("glossaries")), executor=executor)


@contextmanager
def _progress(quiet: bool, command: str) -> Iterator[Callable[[TranslateProgress], None] | None]:
    """Progress of the model's work on stderr (see :mod:`translate.cli.progress`), one phase per language."""
    if quiet:
        yield None
        return
    from translate.cli.progress import Progress

    with Progress(command) as progress:
        yield progress.translate_event


def _warn_license(model: Any) -> None:
    from translate.mt.models import license_warning

    warning = license_warning(model)
    if warning:
        click.echo(warning, err=True)


def _check_license(request: MTRequest) -> None:
    """Refuse a model that commercial use forbids before any article is read (exit code 2)."""
    from translate.errors import TranslateError
    from translate.mt.licensing import LicenseError
    from translate.mt.setup import check_license

    try:
        check_license(request.settings)
    except LicenseError as error:
        raise bad_setting(error) from error
    except TranslateError as error:
        raise fail(error) from error


T = TypeVar("T")


def _guarded(work: Callable[[Callable[[TranslateProgress], None] | None], T], quiet: bool, command: str) -> T:
    """Run ``work`` with the progress display; a license refusal exits with status 2, other errors with 1."""
    from translate.errors import TranslateError
    from translate.mt.licensing import LicenseError

    try:
        with _progress(quiet, command) as progress:
            return work(progress)
    except LicenseError as error:
        raise bad_setting(error) from error
    except TranslateError as error:
        raise fail(error) from error


def _translate(obj: Context, articles: tuple[Path, ...], langs: Any, request: MTRequest, workspace: Any) -> MTRun:
    from translate.api import machine_translate

    return _guarded(lambda progress: machine_translate(articles, langs, workspace, request, progress=progress, on_model=_warn_license), obj.quiet, "mt")


def _summary(run: MTRun) -> str:
    return (
        f"{run.sentences} sentences to translate: {run.reviewed_hits} reviewed elsewhere, "
        f"{run.memory_hits} from memory, {run.translated} by the model in {run.model_calls} model calls; {run.seconds:.1f} s"
    )


_UNCONFIRMED = {"report": "keep", "restore-fuzzy": "restore", "accept": "accept"}


def report_unconfirmed(catalog: Any, msgids: tuple[str, ...]) -> None:
    """Say that machine suggestions came back non-fuzzy and unedited, and what to do about it."""
    if msgids:
        click.echo(
            f"{catalog}: {len(msgids)} machine suggestions came back as reviewed without an edit: probably through a CSV round trip;"
            " not counted as reviewed (translate mt --unconfirmed restore-fuzzy marks them fuzzy again, --unconfirmed accept counts them as reviewed)",
            err=True,
        )


@click.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, metavar="LANGS", help="Target languages, comma-separated BCP-47 codes (km or km,th).")
@click.option(
    "--unconfirmed",
    type=click.Choice(list(_UNCONFIRMED)),
    default="report",
    show_default=True,
    help="Machine suggestions that lost their fuzzy flag unedited together with every other (a CSV round trip): report them, mark them fuzzy again, or count them as reviewed.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report (JSON) on stdout instead of one line per catalog.")
@mt_options
@read_options
@click.pass_obj
def mt(obj: Context, articles: tuple[Path, ...], to: str, unconfirmed: str, as_json: bool, **options: Any) -> None:
    """Machine-translate the untranslated sentences of articles' catalogs.

    Suggestions are written as fuzzy entries with their provenance (model,
    revision, decoding settings) for translators to review. Reviewed entries
    and text a person wrote or edited are never replaced. Reviewed
    translations of the same sentence in other catalogs are reused first,
    and a translation memory makes a re-run translate nothing twice.
    """
    from dataclasses import replace

    from translate.catalog.annotate import Unconfirmed

    langs = parse_langs(to, obj.locales)
    request = replace(_request(options), unconfirmed=Unconfirmed(_UNCONFIRMED[unconfirmed]))
    run = _translate(obj, articles, langs, request, workspace_from(obj, **options))
    for result in run.results:
        if result.error is None:
            report_unconfirmed(result.catalog, result.unconfirmed)
    if as_json:
        from translate.cli.jsonreport import echo_json, mt_json, problems_json

        echo_json({**mt_json(run), **problems_json(run.errors)})
    elif not obj.quiet:
        for result in run.results:
            if result.error is None:
                restored = f", {result.restored} marked fuzzy again" if result.restored else ""
                click.echo(f"{result.catalog}: {result.machine} machine, {result.reviewed} reviewed reused, {result.flagged} flagged{restored}")
    if not obj.quiet:
        click.echo(_summary(run), err=True)
    report_errors(list(run.errors))


@click.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, metavar="LANGS", help="Target languages, comma-separated BCP-47 codes (km or km,th).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True, help="Folder for the localized articles.")
@click.option("--reviewed-only", is_flag=True, help="Publish only reviewed translations (default: machine suggestions too).")
@click.option("--editions", default="localized", show_default=True, metavar="LIST", help="Editions to publish, comma-separated: localized (<slug>.<lang>.<ext>), localized-md (<slug>.<lang>.md from any article), bilingual-html, bilingual-md (<slug>.en-<lang>.html|md).")
@click.option("--layout", type=click.Choice(["flat", "hugo-filename", "hugo-contentdir", "jekyll"]), default=None, help="Where localized articles go (see translate publish --help). Default: [publish] layout, else flat.")
@click.option("--source-root", "source_root", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder whose tree the hugo and jekyll layouts mirror. Default: [publish] source_root, else the working folder.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report (JSON) on stdout instead of one line per published file.")
@mt_options
@read_options
@click.pass_obj
def run(
    obj: Context, articles: tuple[Path, ...], to: str, output: Path, reviewed_only: bool, editions: str, layout: str | None, source_root: Path | None, as_json: bool, **options: Any
) -> None:
    """Extract, machine-translate and publish articles: the whole job in one command.

    Publishes <output>/<slug>.<lang>.<ext> (and the other --editions) with
    machine suggestions where no reviewed translation exists yet (unless
    --reviewed-only).
    """
    from translate.editions import parse_editions
    from translate.errors import ConfigError
    from translate.layout import read_layout
    from translate.pipeline import run as run_articles
    from translate.publish import PublishOptions

    try:
        chosen = parse_editions(editions)
        placed = read_layout(layout, source_root)
    except ConfigError as error:
        raise fail(error) from error
    langs = parse_langs(to, obj.locales)
    request = _request(options)
    _check_license(request)
    workspace = workspace_from(obj, **options)

    def shown(lang: str, result: Any) -> None:
        if result.error is None:
            if not obj.quiet and not as_json:
                click.echo(f"{result.path} -> {result.output} ({result.translated}/{result.sentences} sentences translated)")
            report_withheld(result.withheld, result.output)

    publishing = PublishOptions(include_fuzzy=not reviewed_only, layout=placed)
    done = _guarded(lambda progress: run_articles(articles, langs, output, workspace, request, editions=chosen, options=publishing,
                                                  progress=progress, on_model=_warn_license, on_published=shown), obj.quiet, "run")
    if done.translated is not None and not obj.quiet:
        click.echo(_summary(done.translated), err=True)
    if as_json:
        from translate.cli.jsonreport import echo_json, extract_json, mt_json, problems_json, publish_json

        echo_json(
            {
                "articles": extract_json(list(done.extracted)),
                "mt": None if done.translated is None else mt_json(done.translated),
                "published": publish_json(list(done.published)),
                **problems_json(list(done.errors)),
            }
        )
    report_errors(list(done.errors))
