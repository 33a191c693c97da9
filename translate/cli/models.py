"""``translate models``: list, pull, verify, locate and lock the pinned models."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from translate.cli.common import EXIT_PARTIAL, bad_setting, fail

_LOCK = click.option("--lock", type=click.Path(dir_okay=False, path_type=Path), help="models.lock to use (default: ./models.lock, else the project's).")


def _context(lock: Path | None) -> tuple[Any, Path]:
    from translate.errors import TranslateError
    from translate.mt.models import load_lock, models_dir
    from translate.mt.setup import find_lock

    try:
        return load_lock(find_lock(lock)), models_dir()
    except TranslateError as error:
        raise fail(error) from error


@click.group()
def models() -> None:
    """Pinned translation models: what is locked, downloaded and verified, and which to use.

    \b
    Models are pinned in models.lock (repository, commit, file hashes,
    license, published Khmer quality) and downloaded into
    ~/.cache/translate/models/<name>/<revision>/ (or $TRANSLATE_MODELS),
    from where they load offline. translate models recommend says which
    one to use, for commercial use or not, on a CPU or a GPU.
    """


def _size(count: int) -> str:
    """Bytes for people: ``2.5 GB``, ``812 MB``, ``44 B``."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"


def _download_size(model: Any) -> str:
    """The download size; ``~`` when some file sizes are recorded only on first pull (estimated from the parameters)."""
    if model.size_complete:
        return _size(model.size_bytes)
    estimate = max(model.size_bytes, int(4 * (model.parameter_count or 0)))  # fp32 weights: 4 bytes a parameter
    return "~" + _size(estimate)


def _status_json(status: Any) -> dict[str, Any]:
    model = status.model
    quality = model.quality
    return {
        "name": model.name, "repo": model.repo, "revision": model.revision, "family": model.family,
        "parameters": model.parameters, "license": model.license, "commercial_use": model.commercial_use,
        "default": model.default, "size_bytes": model.size_bytes, "size_complete": model.size_complete,
        "quality": None if quality is None else {
            "metric": quality.metric, "testset": quality.testset, "pair": quality.pair, "score": quality.score,
            "source": quality.source, "note": quality.note,
        },
        "downloaded": status.present, "formats": list(status.formats), "path": str(status.path),
        "disk_bytes": status.disk_bytes, "sources": list(model.sources),
    }


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the models as JSON (every field of models.lock and the download state).")
@_LOCK
def list_(as_json: bool, lock: Path | None) -> None:
    """List the locked models: license, commercial use, size, Khmer quality and which are downloaded.

    \b
    size      the download (sum of the locked files; ~ estimated from the
              parameters while some sizes are recorded only on first pull);
              a downloaded model shows its size on disk, conversions included
    chrF++    published FLORES-200 devtest English->Khmer score (- when none
              is published; see models.lock for the source of each)
    """
    from translate.mt.models import list_models
    from translate.mt.recommend import khmer_score

    model_lock, root = _context(lock)
    statuses = list_models(model_lock, root)
    if as_json:
        click.echo(json.dumps([_status_json(s) for s in statuses], indent=2, ensure_ascii=False))
        return
    rows = [("name", "family", "params", "size", "license", "commercial", "chrF++", "downloaded")]
    for status in statuses:
        model = status.model
        score = khmer_score(model)
        size = _size(status.disk_bytes) + " on disk" if status.present else _download_size(model)
        rows.append((
            model.name + ("*" if model.default else ""),
            model.family,
            model.parameters or "-",
            size,
            model.license,
            "yes" if model.commercial_use else "no",
            f"{score:.1f}" if score is not None else "-",
            f"yes ({','.join(status.formats) or '-'})" if status.present else "no",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    click.echo(f"* default model; for commercial use: {_commercial_default(model_lock)} (translate models recommend --commercial)")
    click.echo(f"models folder: {root}")


def _commercial_default(model_lock: Any) -> str:
    from translate.mt.licensing import LicenseError
    from translate.mt.recommend import commercial_default

    try:
        return commercial_default(model_lock).name
    except LicenseError:
        return "none locked"


def _workspace_commercial() -> bool:
    """``[workspace] commercial`` of translate.toml in the working folder (False without one)."""
    from translate.config import read_config_table
    from translate.errors import ConfigError

    try:
        value = read_config_table("workspace").get("commercial", False)
    except ConfigError as error:
        raise bad_setting(error) from error
    if not isinstance(value, bool):
        raise bad_setting(ConfigError("[workspace] commercial must be true or false", path="translate.toml"))
    return value


@models.command()
@click.option("--commercial/--no-commercial", default=None, help="Only models whose license permits commercial use (default: [workspace] commercial of translate.toml, else no).")
@click.option("--gpu/--cpu", "gpu", default=False, help="Recommend for a GPU (best quality) or a CPU (best quality among models that run well on one). Default: --cpu.")
@click.option("--json", "as_json", is_flag=True, help="Print the recommendation as JSON.")
@_LOCK
def recommend(commercial: bool | None, gpu: bool, as_json: bool, lock: Path | None) -> None:
    """Say which locked model to translate English into Khmer with, and why.

    The best published FLORES-200 English->Khmer chrF++ among the models the
    license allows (--commercial: MIT, Apache-2.0...) and the hardware runs
    well (--cpu: up to 1.5B parameters, about 1.5 GB as CTranslate2 int8).
    Models without a published score come last: measure them with translate eval.
    """
    from translate.mt.models import list_models
    from translate.mt.recommend import recommend as rank

    model_lock, root = _context(lock)
    commercial = _workspace_commercial() if commercial is None else commercial
    device = "gpu" if gpu else "cpu"
    result = rank(model_lock, commercial=commercial, device=device)
    present = {s.name: s.present for s in list_models(model_lock, root)}
    if as_json:
        def option(o: Any) -> dict[str, Any]:
            return {"name": o.model.name, "reason": o.reason, "downloaded": present.get(o.model.name, False)}

        click.echo(json.dumps({
            "device": device, "commercial": commercial,
            "choice": option(result.choice) if result.choice else None,
            "alternatives": [option(o) for o in result.alternatives],
            "excluded": [option(o) for o in result.excluded],
        }, indent=2, ensure_ascii=False))
    else:
        use = "commercial use" if commercial else "non-commercial use"
        if result.choice is None:
            click.echo(f"no locked model qualifies for {use} on a {device.upper()}", err=True)
        else:
            click.echo(f"recommended for {use} on a {device.upper()}: {result.choice.model.name}: {result.choice.reason}")
            if not present.get(result.choice.model.name):
                click.echo(f"  not downloaded yet: translate models pull {result.choice.model.name}")
        if result.alternatives:
            click.echo("alternatives:")
            for alternative in result.alternatives:
                click.echo(f"  {alternative.model.name}: {alternative.reason}")
        if result.excluded:
            click.echo("not for this case:")
            for excluded in result.excluded:
                click.echo(f"  {excluded.model.name}: {excluded.reason}")
    if result.choice is None:
        sys.exit(EXIT_PARTIAL)


@models.command()
@click.argument("name", required=False)
@_LOCK
def pull(name: str | None, lock: Path | None) -> None:
    """Download a locked model (default: the default model) at its pinned revision and verify it."""
    from translate.errors import TranslateError
    from translate.mt.models import license_warning, pull as pull_model

    model_lock, root = _context(lock)
    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)
    try:
        model = model_lock.get(name) if name else model_lock.default
        folder = pull_model(model_lock, model.name, root, progress=sys.stderr.isatty())
    except TranslateError as error:
        raise fail(error) from error
    warning = license_warning(model)
    if warning:
        click.echo(warning, err=True)
    click.echo(f"{model.name}: {folder}")


@models.command()
@click.argument("name", required=False)
@_LOCK
def verify(name: str | None, lock: Path | None) -> None:
    """Check a downloaded model's files against the sha256 recorded in models.lock."""
    from translate.errors import TranslateError
    from translate.mt.models import verify as verify_model

    model_lock, root = _context(lock)
    try:
        model = model_lock.get(name) if name else model_lock.default
        report = verify_model(model_lock, model.name, root)
    except TranslateError as error:
        raise fail(error) from error
    for check in report.files:
        click.echo(check.describe())
    if not report.ok:
        click.echo(f"error: {model.name} does not match models.lock (pull it again, or record missing hashes with: translate models lock {model.name})", err=True)
        sys.exit(EXIT_PARTIAL)
    click.echo(f"{model.name}: all {len(report.files)} files verified")


@models.command()
@click.argument("name", required=False)
@_LOCK
def path(name: str | None, lock: Path | None) -> None:
    """Print the folder of a downloaded model (for --model or other tools)."""
    from translate.errors import TranslateError
    from translate.mt.models import model_path

    model_lock, root = _context(lock)
    try:
        click.echo(model_path(model_lock, name or model_lock.default.name, root))
    except TranslateError as error:
        raise fail(error) from error


@models.command("lock")
@click.argument("name")
@_LOCK
def lock_(name: str, lock: Path | None) -> None:
    """Record in models.lock the sha256 and sizes not yet known, from a downloaded copy."""
    from translate.errors import TranslateError
    from translate.mt.models import lock_hashes

    model_lock, root = _context(lock)
    try:
        recorded = lock_hashes(model_lock.path, name, root)
    except TranslateError as error:
        raise fail(error) from error
    for entry in recorded:
        click.echo(f"{entry.path}: sha256 {entry.sha256}, {entry.size} bytes")
    click.echo(f"{model_lock.path}: {len(recorded)} file(s) recorded for {name}")


@models.command()
@click.argument("name", required=False, metavar="NAME|DIR")
@click.option("--quantization", type=click.Choice(["int8", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32"]), default="int8", show_default=True, help="Weight type of the conversion (int8 for CPUs).")
@click.option("--force", is_flag=True, help="Convert again even if a conversion exists.")
@_LOCK
def convert(name: str | None, quantization: str, force: bool, lock: Path | None) -> None:
    """Convert a model to CTranslate2's format (the fast CPU/GPU engine).

    The conversion is kept beside the model, keyed by its revision, the
    CTranslate2 version and the quantization; translate mt/run then use it
    automatically (--backend auto).
    """
    from translate.errors import TranslateError
    from translate.mt.convert import convert as convert_model
    from translate.mt.setup import MTSettings, resolve

    try:
        model, _ = resolve(MTSettings(model=name, lock=lock, pull=False))
        folder = convert_model(model, quantization=quantization, force=force)
    except TranslateError as error:
        raise fail(error) from error
    click.echo(f"{model.name}: {folder}")
