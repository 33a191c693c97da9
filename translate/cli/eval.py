"""``translate eval``: score a model on aligned test files (chrF, chrF++, spBLEU)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from translate.cli.common import Context, fail
from translate.cli.mt import mt_options


@click.command("eval")
@click.option("--src", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True, help="English sentences, one per line (e.g. flores200-dev/eng_Latn.dev).")
@click.option("--ref", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True, help="Reference translations aligned with --src (e.g. khm_Khmr.dev).")
@click.option("--to", "to", default="km", show_default=True, metavar="LANG", help="Target language (BCP-47).")
@click.option("--limit", type=click.IntRange(1), help="Score only the first N lines.")
@click.option("--hypotheses", type=click.Path(dir_okay=False, path_type=Path), help="Also write the translations here, one per line.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report.")
@mt_options
@click.pass_obj
def eval_command(obj: Context, src: Path, ref: Path, to: str, limit: int | None, hypotheses: Path | None, as_json: bool, **options: Any) -> None:
    """Translate --src with the model `translate mt` would use and score it against --ref."""
    from translate.cli.mt import _request
    from translate.errors import TranslateError
    from translate.eval import evaluate

    request = _request(options)
    try:
        report = evaluate(src, ref, request.settings, to=to, limit=limit)
    except TranslateError as error:
        raise fail(error) from error
    if hypotheses is not None:
        hypotheses.write_text("".join(line + "\n" for line in report.hypotheses), encoding="utf-8")
    if as_json:
        data = asdict(report)
        del data["hypotheses"]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"model: {report.model}  backend: {report.backend}  sentences: {report.sentences}")
    for result in report.scores:
        click.echo(f"{result.name:7} {result.score:6.2f}  {result.signature}")
    for name, why in report.skipped.items():
        click.echo(f"{name:7} skipped: {why}")
