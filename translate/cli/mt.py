"""Machine-translation commands: mt (fill catalogs) and run (extract + mt + publish)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from translate.cli.common import (
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
        click.option("--model", metavar="NAME|DIR", help="A model named in models.lock (default: its default model) or a local model folder."),
        click.option("--backend", type=click.Choice(["auto", "ctranslate2", "transformers"]), default="auto", show_default=True, help="Inference backend; auto = CTranslate2 when installed and the model is converted (translate models convert), else transformers."),
        click.option("--beam-size", type=click.IntRange(1, 16), help="Beam width (default 4)."),
        click.option("--max-input-tokens", type=click.IntRange(8), help="Longer sentences are split at clause boundaries first (default 200)."),
        click.option("--batch-tokens", type=click.IntRange(16), help="Token budget of one batch (default: 4096 on CPU, 32768 on a GPU)."),
        click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), help="Where to run the model (default auto)."),
        click.option("--threads", type=click.IntRange(0), help="CPU threads per replica (default: the library's choice)."),
        click.option("--replicas", type=click.IntRange(1), help="CTranslate2: model replicas working in parallel (default 1)."),
        click.option("--compute-type", type=click.Choice(_COMPUTE_TYPES), help="CTranslate2 compute type (default auto: int8 on CPU, int8_float16 on GPU)."),
        click.option("--restrict-vocabulary/--full-vocabulary", default=None, help="CTranslate2: limit outputs to the target script, punctuation, digits and the source's own tokens (default: restrict)."),
        click.option("--retry/--no-retry", default=None, help="Translate again outputs that loop or hit the length cap (default: retry)."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Configuration file with a [decoding] table (default: ./translate.toml if present)."),
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
    from translate.mt.setup import MTSettings

    from translate.khmer import khmer_options

    from translate.mt.jobs import executor_settings

    flags = {name: options.pop(name) for name in _DECODING_FLAGS}
    where = executor_flags(options)
    config_file = options.pop("config_file")
    try:
        decoding = decoding_config(read_config_table("decoding", config_file), flags)
        khmer = khmer_options(read_config_table("khmer", config_file))
    except ConfigError as error:
        raise fail(error) from error
    try:
        executor = executor_settings(read_config_table("executor", config_file), where, path=str(config_file or "translate.toml"))
    except ConfigError as error:
        raise bad_setting(error) from error
    settings = MTSettings(model=options.pop("model"), backend=options.pop("backend"), decoding=decoding, lock=options.pop("lock"), progress=sys.stderr.isatty())
    return MTRequest(settings=settings, memory=options.pop("memory"), retranslate_machine=options.pop("retranslate_machine"), khmer=khmer,
                     glossaries=tuple(options.pop("glossaries")), executor=executor)


@contextmanager
def _progress(quiet: bool, prefix: str) -> Iterator[Callable[[TranslateProgress], None] | None]:
    """Progress of the model work on stderr (see :mod:`translate.cli.progress`)."""
    if quiet:
        yield None
        return
    from translate.cli.progress import ProgressPrinter
    from translate.workspace.stage import SyncProgress

    printer = ProgressPrinter(sys.stderr, prefix=prefix)

    def update(event: TranslateProgress) -> None:
        printer(SyncProgress("translate", event.done, event.total, "sentences", event.lang, event.pool))

    try:
        yield update
    finally:
        printer.close()


def _warn_license(model: Any) -> None:
    from translate.mt.models import license_warning

    warning = license_warning(model)
    if warning:
        click.echo(warning, err=True)


def _translate(obj: Context, articles: tuple[Path, ...], langs: Any, request: MTRequest, workspace: Any) -> MTRun:
    from translate.api import machine_translate
    from translate.errors import TranslateError

    try:
        with _progress(obj.quiet, "mt") as progress:
            return machine_translate(articles, langs, workspace, request, progress=progress, on_model=_warn_license)
    except TranslateError as error:
        raise fail(error) from error


def _summary(run: MTRun) -> str:
    return (
        f"{run.sentences} sentences to translate: {run.reviewed_hits} reviewed elsewhere, "
        f"{run.memory_hits} from memory, {run.translated} by the model in {run.model_calls} model calls; {run.seconds:.1f} s"
    )


@click.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, metavar="LANGS", help="Target languages, comma-separated BCP-47 codes (km or km,th).")
@mt_options
@read_options
@click.pass_obj
def mt(obj: Context, articles: tuple[Path, ...], to: str, **options: Any) -> None:
    """Machine-translate the untranslated sentences of articles' catalogs.

    Suggestions are written as fuzzy entries with their provenance (model,
    revision, decoding settings) for translators to review. Reviewed entries
    and text a person wrote or edited are never replaced. Reviewed
    translations of the same sentence in other catalogs are reused first,
    and a translation memory makes a re-run translate nothing twice.
    """
    langs = parse_langs(to)
    request = _request(options)
    run = _translate(obj, articles, langs, request, workspace_from(obj, **options))
    if not obj.quiet:
        for result in run.results:
            if result.error is None:
                click.echo(f"{result.catalog}: {result.machine} machine, {result.reviewed} reviewed reused, {result.flagged} flagged")
        click.echo(_summary(run), err=True)
    report_errors(list(run.errors))


@click.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, metavar="LANGS", help="Target languages, comma-separated BCP-47 codes (km or km,th).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True, help="Folder for the localized articles.")
@click.option("--reviewed-only", is_flag=True, help="Publish only reviewed translations (default: machine suggestions too).")
@click.option("--editions", default="localized", show_default=True, metavar="LIST", help="Editions to publish, comma-separated: localized (<slug>.<lang>.<ext>), localized-md (<slug>.<lang>.md from any article), bilingual-html, bilingual-md (<slug>.en-<lang>.html|md).")
@mt_options
@read_options
@click.pass_obj
def run(obj: Context, articles: tuple[Path, ...], to: str, output: Path, reviewed_only: bool, editions: str, **options: Any) -> None:
    """Extract, machine-translate and publish articles: the whole job in one command.

    Publishes <output>/<slug>.<lang>.<ext> (and the other --editions) with
    machine suggestions where no reviewed translation exists yet (unless
    --reviewed-only).
    """
    from translate.editions import parse_editions
    from translate.errors import ConfigError, TranslateError
    from translate.pipeline import run as run_articles

    try:
        chosen = parse_editions(editions)
    except ConfigError as error:
        raise fail(error) from error
    langs = parse_langs(to)
    request = _request(options)
    workspace = workspace_from(obj, **options)
    try:
        with _progress(obj.quiet, "run") as progress:
            result = run_articles(articles, langs, output, workspace, request, editions=chosen, include_fuzzy=not reviewed_only,
                                  progress=progress, on_model=_warn_license)
    except TranslateError as error:
        raise fail(error) from error
    for published in result.published:
        if published.error is not None:
            continue
        if not obj.quiet:
            click.echo(f"{published.path} -> {published.output} ({published.translated}/{published.sentences} sentences translated)")
        report_withheld(published.withheld, published.output)
    if result.translated is not None and not obj.quiet:
        click.echo(_summary(result.translated), err=True)
    report_errors(list(result.errors))
