"""``translate models``: list, pull, verify, locate and lock the pinned models."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from translate.cli.common import EXIT_PARTIAL, fail

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
    """Pinned translation models: what is locked, downloaded and verified.

    \b
    Models are pinned in models.lock (repository, commit, file hashes,
    license) and downloaded into ~/.cache/translate/models/<name>/<revision>/
    (or $TRANSLATE_MODELS), from where they load offline.
    """


@models.command("list")
@_LOCK
def list_(lock: Path | None) -> None:
    """List the locked models, their licenses and which are downloaded."""
    from translate.mt.models import list_models

    model_lock, root = _context(lock)
    rows = [("name", "license", "default", "downloaded", "formats", "repository")]
    for status in list_models(model_lock, root):
        rows.append((
            status.name,
            status.license + ("" if status.commercial_use else " (non-commercial)"),
            "yes" if status.default else "",
            "yes" if status.present else "no",
            ",".join(status.formats) or "-",
            f"{status.repo}@{status.revision[:12]}",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    click.echo(f"models folder: {root}")


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
