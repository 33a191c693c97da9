"""``translate models list|recommend`` and commercial use on the command line, with tiny models of two families.

The lock holds a tiny NLLB model (CC-BY-NC-4.0, the default) and a tiny
MADLAD-400 (T5) model (Apache-2.0), both built here with the real classes and
pulled into a models folder: a commercial run must choose and load the MADLAD
one and refuse the NLLB one, and the MADLAD one must translate through both
backends alike.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from conftest import DATA, ROOT
from translate.catalog.provenance import read_records
from translate.cli import cli

REV = "0123456789abcdef0123456789abcdef01234567"
EXACT = ("--beam-size", "1", "--no-retry", "--threads", "1", "--compute-type", "float32", "--full-vocabulary")


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def tiny_madlad_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("torch")
    from tinymodels import build_madlad

    return build_madlad(tmp_path_factory.mktemp("madlad") / "tiny-madlad")


def _table(name: str, folder: Path, *, family: str, license: str, default: bool, quality: str = "") -> str:
    files = "\n".join(f'  {{ path = "{p.name}", sha256 = "" }},' for p in sorted(folder.iterdir()) if p.is_file())
    commercial = "true" if license != "CC-BY-NC-4.0" else "false"
    return (
        f"[models.{name}]\n"
        f'repo = "example/{name}"\nrevision = "{REV}"\nfamily = "{family}"\nparameters = "1M"\n'
        f'license = "{license}"\ncommercial_use = {commercial}\ndefault = {str(default).lower()}\n{quality}'
        f'sources = ["https://example.org/{name}"]\nfiles = [\n{files}\n]\n\n'
    )


@pytest.fixture
def newsroom(workdir: Path, tiny_nllb_folder: Path, tiny_madlad_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with models.lock, both models pulled, and an extracted article (wages.txt)."""
    models = workdir / "models"
    shutil.copytree(tiny_nllb_folder, models / "tiny-nllb" / REV)
    shutil.copytree(tiny_madlad_folder, models / "tiny-madlad" / REV)
    monkeypatch.setenv("TRANSLATE_MODELS", str(models))
    quality = ('quality = { metric = "chrF++", testset = "flores200-devtest", pair = "eng_Latn-khm_Khmr", '
               'score = 29.0, source = "https://example.org/metrics" }\n')
    (workdir / "models.lock").write_text(
        "version = 1\n\n"
        + _table("tiny-nllb", models / "tiny-nllb" / REV, family="nllb", license="CC-BY-NC-4.0", default=True, quality=quality)
        + _table("tiny-madlad", models / "tiny-madlad" / REV, family="madlad", license="Apache-2.0", default=False),
        encoding="utf-8",
    )
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    assert _run("extract", "wages.txt", "--to", "km").exit_code == 0
    return workdir


def _catalog(workdir: Path) -> polib.POFile:
    return polib.pofile(str(workdir / "locales" / "km" / "LC_MESSAGES" / "wages.po"))


def _mt(*args: str):
    return _run("mt", "wages.txt", "--to", "km", "--memory", "tm.sqlite3", *EXACT, *args)


# --------------------------------------------------------------------------- list and recommend


def test_list_shows_license_commercial_use_size_quality_and_downloads(newsroom: Path) -> None:
    listed = _run("models", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows = {row["name"]: row for row in json.loads(listed.output)}
    nllb, madlad = rows["tiny-nllb"], rows["tiny-madlad"]
    assert (nllb["license"], nllb["commercial_use"], nllb["default"], nllb["downloaded"]) == ("CC-BY-NC-4.0", False, True, True)
    assert nllb["quality"] == {"metric": "chrF++", "testset": "flores200-devtest", "pair": "eng_Latn-khm_Khmr",
                               "score": 29.0, "source": "https://example.org/metrics", "note": ""}
    assert (madlad["family"], madlad["commercial_use"], madlad["quality"], madlad["formats"]) == ("madlad", True, None, ["transformers"])
    folder = newsroom / "models" / "tiny-madlad" / REV
    assert madlad["disk_bytes"] == sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    table = _run("models", "list").output.splitlines()
    assert table[1].split()[0] == "tiny-nllb*" and table[2].split()[0] == "tiny-madlad"
    assert table[1].split()[-4:] == ["no", "29.0", "yes", "(transformers)"]
    assert table[2].split()[-4:] == ["yes", "-", "yes", "(transformers)"]
    assert "for commercial use: tiny-madlad" in table[3]


def test_recommend_follows_the_license(newsroom: Path) -> None:
    plain = _run("models", "recommend")
    assert plain.exit_code == 0 and plain.output.startswith("recommended for non-commercial use on a CPU: tiny-nllb: best published")
    commercial = _run("models", "recommend", "--commercial", "--gpu", "--json")
    result = json.loads(commercial.output)
    assert (result["device"], result["commercial"], result["choice"]["name"], result["choice"]["downloaded"]) == ("gpu", True, "tiny-madlad", True)
    assert result["excluded"] == [{"name": "tiny-nllb", "reason": "licensed CC-BY-NC-4.0: not for commercial use", "downloaded": True}]
    (newsroom / "translate.toml").write_text("[workspace]\ncommercial = true\n")
    assert "recommended for commercial use on a CPU: tiny-madlad" in _run("models", "recommend").output
    assert "recommended for non-commercial use" in _run("models", "recommend", "--no-commercial").output


def test_the_real_lock_lists_seven_models_with_licenses_and_scores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATE_MODELS", str(tmp_path))
    lines = _run("models", "list", "--lock", str(ROOT / "models.lock")).output.splitlines()
    rows = {line.split()[0].rstrip("*"): line.split() for line in lines[1:8]}
    assert len(rows) == 7 and lines[0].split()[0] == "name"
    assert rows["nllb-200-distilled-600m"][5:] == ["CC-BY-NC-4.0", "no", "29.0", "no"]
    assert rows["nllb-200-3.3b"][5:] == ["CC-BY-NC-4.0", "no", "32.0", "no"]
    assert rows["m2m100-1.2b"][5:] == ["MIT", "yes", "19.7", "no"]
    assert rows["madlad400-3b-mt"][1:] == ["madlad", "3B", "11.8", "GB", "Apache-2.0", "yes", "-", "no"]
    assert "for commercial use: m2m100-1.2b" in lines[8]
    recommended = _run("models", "recommend", "--commercial", "--cpu", "--lock", str(ROOT / "models.lock"))
    assert recommended.output.startswith("recommended for commercial use on a CPU: m2m100-1.2b: best published")
    assert "  nllb-200-distilled-600m: licensed CC-BY-NC-4.0: not for commercial use" in recommended.output


def test_recommend_with_nothing_permitted_fails(newsroom: Path) -> None:
    text = (newsroom / "models.lock").read_text()
    (newsroom / "models.lock").write_text(text.replace('license = "Apache-2.0"\ncommercial_use = true', 'license = "CC-BY-NC-4.0"\ncommercial_use = false'))
    result = _run("models", "recommend", "--commercial")
    assert result.exit_code == 1 and "no locked model qualifies for commercial use on a CPU" in result.output


# --------------------------------------------------------------------------- commercial use


def test_commercial_mt_uses_the_permitted_model_and_refuses_the_other(newsroom: Path) -> None:
    refused = _mt("--commercial", "--model", "tiny-nllb")
    assert refused.exit_code == 2 and len(refused.output.strip().splitlines()) == 1, refused.output
    assert "model tiny-nllb is licensed CC-BY-NC-4.0, which does not permit commercial use" in refused.output
    assert "use tiny-madlad (Apache-2.0)" in refused.output and "Traceback" not in refused.output
    assert all(not e.msgstr for e in _catalog(newsroom)), "nothing was translated"
    used = _mt("--commercial")
    assert used.exit_code == 0, used.output
    assert "warning" not in used.output
    po = _catalog(newsroom)
    assert any(e.msgstr for e in po) and all(f"mt: tiny-madlad@{REV[:12]}" in e.comment for e in po if e.msgstr)


def test_run_and_eval_refuse_before_reading_anything(newsroom: Path) -> None:
    shutil.rmtree(newsroom / "locales")
    run = _run("run", "wages.txt", "--to", "km", "--commercial", "--model", "tiny-nllb")
    assert run.exit_code == 2 and "model tiny-nllb is licensed CC-BY-NC-4.0" in run.output
    assert not (newsroom / "locales").exists() and not (newsroom / "out").exists()
    (newsroom / "en.txt").write_text("Hello.\n")
    (newsroom / "km.txt").write_text("សួស្តី។\n")
    scored = _run("eval", "--src", "en.txt", "--ref", "km.txt", "--commercial", "--model", "tiny-nllb")
    assert scored.exit_code == 2 and "is licensed CC-BY-NC-4.0" in scored.output


def test_the_workspace_setting_applies_to_mt_and_the_flag_overrides_it(newsroom: Path) -> None:
    (newsroom / "translate.toml").write_text("[workspace]\ncommercial = true\n")
    refused = _mt("--model", "tiny-nllb")
    assert refused.exit_code == 2 and "commercial use is on" in refused.output
    allowed = _mt("--model", "tiny-nllb", "--no-commercial")
    assert allowed.exit_code == 0 and "warning: tiny-nllb is licensed CC-BY-NC-4.0: non-commercial use only" in allowed.output
    (newsroom / "translate.toml").write_text('[workspace]\ncommercial = "yes"\n')
    bad = _mt()
    assert bad.exit_code == 1 and "translate.toml:2: [workspace] commercial must be true or false" in bad.output


def test_commercial_sync_never_loads_a_non_commercial_model(newsroom: Path) -> None:
    (newsroom / "articles").mkdir()
    shutil.move(newsroom / "wages.txt", newsroom / "articles" / "wages.txt")
    shutil.rmtree(newsroom / "locales")
    (newsroom / "translate.toml").write_text(
        '[workspace]\nsources = ["articles/*.txt"]\nlanguages = ["km"]\noutput = "site"\ncommercial = true\nmodel = "tiny-nllb"\n'
        '[decoding]\nbeam_size = 1\nretry = false\nthreads = 1\n'
    )
    refused = _run("sync")
    assert refused.exit_code == 2 and len(refused.output.strip().splitlines()) == 1, refused.output
    assert "model tiny-nllb is licensed CC-BY-NC-4.0" in refused.output
    assert not (newsroom / "site").exists()
    (newsroom / "translate.toml").write_text((newsroom / "translate.toml").read_text().replace('model = "tiny-nllb"\n', ""))
    synced = _run("sync")
    assert synced.exit_code == 0, synced.output
    assert all(f"mt: tiny-madlad@{REV[:12]}" in e.comment for e in _catalog(newsroom) if e.msgstr)
    again = _run("sync", "--force", "--no-commercial")
    assert again.exit_code == 0 and "warning: tiny-nllb is licensed CC-BY-NC-4.0" in again.output


# --------------------------------------------------------------------------- MADLAD-400 (T5) through both backends


def test_madlad_converts_from_the_command_line_and_both_backends_agree(newsroom: Path, tiny_madlad_folder: Path) -> None:
    pytest.importorskip("ctranslate2")
    local = shutil.copytree(tiny_madlad_folder, newsroom / "tiny-t5")
    (local / "README.md").write_text("---\nlicense: apache-2.0\n---\n# a tiny MADLAD-400 model\n")
    converted = _run("models", "convert", "./tiny-t5", "--quantization", "float32")
    assert converted.exit_code == 0 and "ct2-float32-ct" in converted.output, converted.output
    reference = _mt("--model", "./tiny-t5", "--backend", "transformers", "--commercial")
    assert reference.exit_code == 0, reference.output
    texts = {e.msgid: e.msgstr for e in _catalog(newsroom)}
    assert any(texts.values()) and all("<2km>" not in t for t in texts.values())
    shutil.rmtree(newsroom / "locales")
    assert _run("extract", "wages.txt", "--to", "km").exit_code == 0
    fast = _mt("--model", "./tiny-t5", "--backend", "ctranslate2", "--commercial")
    assert fast.exit_code == 0, fast.output
    po = _catalog(newsroom)
    assert {e.msgid: e.msgstr for e in po} == texts
    settings = [record.provenance.settings for record in read_records(newsroom / "locales" / "km" / "LC_MESSAGES" / "wages.po") if record.provenance]
    assert len(settings) == len(po) and all(s.startswith("ctranslate2|beam:1") and "|ct:float32|" in s for s in settings)
