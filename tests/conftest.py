"""Shared test helpers: fixture paths, frozen time, real msgfmt."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]
#: The shared folder beside the project (samples, FLORES-200 dev data).
SHARED = Path(os.environ["TRANSLATE_SHARED"]) if os.environ.get("TRANSLATE_SHARED") else next(
    (p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), ROOT.parent / "shared"
)
SAMPLES = Path(os.environ.get("TRANSLATE_SAMPLES", SHARED / "samples"))
#: FLORES-200 dev (TRANSLATE_FLORES: another folder); tests that need it skip or fall back without it.
FLORES = Path(os.environ["TRANSLATE_FLORES"]) if os.environ.get("TRANSLATE_FLORES") else SHARED / "data" / "flores200-dev"
FROZEN_NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def article_fixtures() -> list[Path]:
    """Every realistic article written for the tests, in all formats."""
    return sorted(p for sub in ("text", "markdown", "html") for p in (DATA / sub).glob("*") if p.is_file())


def page_fixtures() -> list[Path]:
    """Whole news pages saved with their furniture, each with ``<page>.article.txt`` (its article's text)."""
    return sorted((DATA / "html" / "pages").glob("*.html"))


def sample_articles() -> list[Path]:
    return sorted(SAMPLES.glob("*")) if SAMPLES.is_dir() else []


def check_golden(path: Path, text: str, *, cldr: bool = False) -> None:
    """Compare ``text`` with the golden file ``path``; ``UPDATE_GOLDEN=1`` rewrites it.

    ``cldr``: the golden holds text written with Babel's locale data (dates,
    month names). Such goldens live in a folder whose ``CLDR`` file names the
    Babel release and CLDR version they were made with, and a test run with
    other locale data says so instead of reporting a bare difference: the
    lock (requirements/lock.txt) pins Babel, and a newer CLDR may write
    dates differently (Thai time took " น." in CLDR 47, for example).
    """
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    if cldr:
        import babel
        from babel.core import get_cldr_version

        installed = f"babel {babel.__version__}, CLDR {get_cldr_version()}"
        stamp = path.parent / "CLDR"
        if update:
            stamp.write_text(installed + "\n", encoding="utf-8")
        recorded = stamp.read_text(encoding="utf-8").strip() if stamp.exists() else "no CLDR file"
        assert recorded == installed, (
            f"{path.parent} holds goldens made with {recorded}; this run has {installed}. "
            "Install the locked versions (./scripts/setup), or check the new output and rewrite the goldens with UPDATE_GOLDEN=1"
        )
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"differs from {path} (UPDATE_GOLDEN=1 rewrites it)"


def khmer_stand_in(msgid: str, word: str = "ប្រយោគ") -> str:
    """A stand-in reviewed Khmer translation of ``msgid`` that passes the error-level checks (it keeps the numbers)."""
    import re

    numbers = re.findall(r"\d+(?:[.,]\d+)*", msgid)
    return " ".join([word, *numbers]) + "។"


def msgfmt_check(path: Path) -> None:
    """Run real ``msgfmt -c`` on a catalog; fail the test on any error or warning.

    Templates (``.pot``) may only warn that their header fields still hold
    the initial values, as xgettext's templates do.
    """
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (GNU gettext) is needed: apt-get install gettext"
    proc = subprocess.run([msgfmt, "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, f"msgfmt -c {path} failed:\n{proc.stderr}"
    warnings = [line for line in proc.stderr.splitlines() if line.strip()]
    if path.suffix == ".pot":
        warnings = [line for line in warnings if "still has the initial default value" not in line]
    assert not warnings, proc.stderr


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary working folder (references in catalogs are relative to it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def tiny_nllb_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny NLLB model folder built once per test session (see tinymodels.py)."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from tinymodels import build_nllb

    return build_nllb(tmp_path_factory.mktemp("models") / "tiny-nllb")
