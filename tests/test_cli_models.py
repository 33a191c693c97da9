"""``translate models`` over a lock file and a models folder set up here (no network)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from conftest import DATA
from translate.catalog.provenance import read_records
from translate.cli import cli

REVISION = "0123456789abcdef0123456789abcdef01234567"


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def setup(workdir: Path, tiny_nllb_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    models = workdir / "models"
    folder = models / "tiny-nllb" / REVISION
    shutil.copytree(tiny_nllb_folder, folder)
    monkeypatch.setenv("TRANSLATE_MODELS", str(models))
    files = "\n".join(f'  {{ path = "{p.name}", sha256 = "" }},' for p in sorted(folder.iterdir()) if p.is_file())
    lock = workdir / "models.lock"
    lock.write_text(
        "# test lock\nversion = 1\n\n# a tiny model\n[models.tiny-nllb]\n"
        'repo = "example/tiny-nllb"\n'
        f'revision = "{REVISION}"\n'
        'family = "nllb"\nlicense = "CC-BY-NC-4.0"\ncommercial_use = false\nlanguages = "test"\n'
        'formats = ["transformers"]\ndefault = true\n'
        f"files = [\n{files}\n]\n",
        encoding="utf-8",
    )
    return lock


def test_list_path_verify_lock(setup: Path) -> None:
    listed = _run("models", "list")
    assert listed.exit_code == 0, listed.output
    header, row = listed.output.splitlines()[:2]
    assert header.split() == ["name", "family", "params", "size", "license", "commercial", "chrF++", "downloaded"]
    assert row.split()[:2] == ["tiny-nllb*", "nllb"] and " CC-BY-NC-4.0  no " in row and row.endswith("yes (transformers)")
    assert "for commercial use: none locked" in listed.output
    path = _run("models", "path")
    assert path.exit_code == 0 and path.output.strip().endswith(REVISION)
    unrecorded = _run("models", "verify", "tiny-nllb")
    assert unrecorded.exit_code == 1 and "unrecorded" in unrecorded.output
    locked = _run("models", "lock", "tiny-nllb")
    assert locked.exit_code == 0 and "recorded" in locked.output
    assert "# a tiny model" in setup.read_text(encoding="utf-8")
    verified = _run("models", "verify")
    assert verified.exit_code == 0 and "verified" in verified.output
    weights = Path(path.output.strip()) / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-1] + b"\0")
    tampered = _run("models", "verify")
    assert tampered.exit_code == 1 and "model.safetensors: mismatch" in tampered.output


def test_mt_uses_the_locked_default_and_warns_about_license(setup: Path, workdir: Path) -> None:
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    _run("extract", "wages.txt", "--to", "km")
    result = _run("mt", "wages.txt", "--to", "km", "--memory", str(workdir / "tm.sqlite3"), "--beam-size", "1", "--no-retry")
    assert result.exit_code == 0, result.output
    assert "warning: tiny-nllb is licensed CC-BY-NC-4.0: non-commercial use only" in result.output
    po = polib.pofile(str(workdir / "locales" / "km" / "LC_MESSAGES" / "wages.po"))
    assert all(f"mt: tiny-nllb@{REVISION[:12]}" in e.comment.splitlines() for e in po)


def test_missing_model_says_what_to_run(setup: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATE_MODELS", str(workdir / "empty"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = _run("models", "path")
    assert result.exit_code == 1 and "translate models pull tiny-nllb" in result.output
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    _run("extract", "wages.txt", "--to", "km")
    result = _run("mt", "wages.txt", "--to", "km", "--memory", str(workdir / "tm.sqlite3"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot reach the Hugging Face hub" in result.output and "--model ./dir" in result.output


def test_convert_then_auto_backend_uses_ctranslate2(setup: Path, workdir: Path) -> None:
    pytest.importorskip("ctranslate2")
    converted = _run("models", "convert", "--quantization", "float32")
    assert converted.exit_code == 0, converted.output
    assert "ct2-float32-ct" in converted.output
    listed = _run("models", "list")
    assert "transformers,ct2" in listed.output
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    _run("extract", "wages.txt", "--to", "km")
    result = _run("mt", "wages.txt", "--to", "km", "--memory", str(workdir / "tm.sqlite3"), "--beam-size", "1", "--threads", "1", "--compute-type", "float32")
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(workdir / "locales" / "km" / "LC_MESSAGES" / "wages.po"))
    records = list(read_records(workdir / "locales" / "km" / "LC_MESSAGES" / "wages.po"))
    assert len(records) == len(po) and all(r.provenance.settings.startswith("ctranslate2|beam:1") and "|ct:float32|vmap:v1" in r.provenance.settings for r in records)


def test_ctranslate2_without_conversion_says_what_to_run(setup: Path, workdir: Path) -> None:
    pytest.importorskip("ctranslate2")
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    _run("extract", "wages.txt", "--to", "km")
    result = _run("mt", "wages.txt", "--to", "km", "--memory", str(workdir / "tm.sqlite3"), "--backend", "ctranslate2")
    assert result.exit_code == 1 and "translate models convert" in result.output and "Traceback" not in result.output
