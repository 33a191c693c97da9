"""Choosing a model: the lock's license, size and quality fields, recommendations, and commercial use.

Everything here works on lock files and model folders written by the tests:
no model is loaded, so a refusal is proven to come before any download or load.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from translate.mt.licensing import LicenseError, card_license, check_commercial, permits_commercial, spdx
from translate.mt.lockfile import ModelError, load_lock, parse_lock
from translate.mt.recommend import CPU_MAX_PARAMETERS, commercial_default, describe, khmer_score, recommend
from translate.mt.setup import MTSettings, resolve

REV = "0123456789abcdef0123456789abcdef01234567"
LOCK = ROOT / "models.lock"


def entry(name: str, *, family: str = "nllb", license: str = "MIT", params: str = "600M", score: float | None = None,
          metric: str = "chrF++", testset: str = "flores200-devtest", default: bool = False, revision: str = REV) -> str:
    """One [models.NAME] table of a test lock."""
    quoted = f'"{name}"' if "." in name else name
    quality = (f'quality = {{ metric = "{metric}", testset = "{testset}", pair = "eng_Latn-khm_Khmr", score = {score}, '
               f'source = "https://example.org/{name}" }}\n') if score is not None else ""
    return (
        f"[models.{quoted}]\n"
        f'repo = "example/{name}"\nrevision = "{revision}"\nfamily = "{family}"\nparameters = "{params}"\n'
        f'license = "{license}"\ncommercial_use = {str(permits_commercial(license) is True).lower()}\n'
        f"default = {str(default).lower()}\n{quality}"
        f'sources = ["https://example.org/{name}/tree/{revision}"]\n'
        'files = [\n  { path = "config.json", sha256 = "" },\n  { path = "model.safetensors", sha256 = "", size = 4 },\n]\n\n'
    )


def lock_of(*entries: str, path: Path = Path("models.lock")):
    return parse_lock("version = 1\n\n" + "".join(entries), path)


NEWSROOM = (
    entry("nc-small", license="CC-BY-NC-4.0", params="600M", score=29.0, default=True),
    entry("nc-mid", license="CC-BY-NC-4.0", params="1.3B", score=30.7),
    entry("nc-big", license="CC-BY-NC-4.0", params="3.3B", score=32.0),
    entry("mit-mid", family="m2m100", params="1.2B", score=19.7),
    entry("mit-small", family="m2m100", params="418M"),
    entry("apache-big", family="madlad", license="Apache-2.0", params="3B"),
    entry("unpinned", family="marian", license="Apache-2.0", params="77M", score=40.0, revision=""),
)


# --------------------------------------------------------------------------- the lock's new fields


def test_size_parameters_and_quality_are_parsed() -> None:
    lock = lock_of(entry("nllb-1.3b", params="1.3B", score=30.7, default=True))
    model = lock.get("nllb-1.3b")
    assert model.parameter_count == 1.3e9 and model.parameters == "1.3B"
    assert (model.size_bytes, model.size_complete) == (4, False)  # config.json's size is recorded on first pull
    assert model.quality is not None and (model.quality.metric, model.quality.score) == ("chrF++", 30.7)
    assert model.sources == (f"https://example.org/nllb-1.3b/tree/{REV}",)
    assert khmer_score(model) == 30.7


def test_scores_in_another_metric_or_test_set_are_not_compared() -> None:
    lock = lock_of(entry("a", score=42.0, metric="chrF", default=True), entry("b", score=42.0, testset="tatoeba"))
    assert khmer_score(lock.get("a")) is None and khmer_score(lock.get("b")) is None


@pytest.mark.parametrize(
    ("old", "new", "message", "key"),
    [
        ('metric = "chrF++"', 'metric = "BLEU"', "metric must be one of chrF++, chrF, not 'BLEU'", "quality"),
        ("score = 29.0", "score = 130", "score must be a number from 0 to 100, not 130", "quality"),
        ("score = 29.0", 'score = "high"', "score must be a number from 0 to 100", "quality"),
        (', source = "https://example.org/m" }', " }", "source is missing", "quality"),
        ('pair = "eng_Latn-khm_Khmr"', 'pair = "eng_Latn-khm_Khmr", bleu = 3', "unknown key 'bleu'", "quality"),
        ('parameters = "600M"', 'parameters = "big"', "parameters of m must be a number and M or B, not 'big'", "parameters"),
        ('sources = ["https://example.org/m/tree/' + REV + '"]', "sources = [1]", "sources of m must be a list of non-empty strings", "sources"),
    ],
    ids=["metric", "score-range", "score-type", "no-source", "unknown-key", "parameters", "sources"],
)
def test_bad_fields_are_one_line_errors_with_their_line(tmp_path: Path, old: str, new: str, message: str, key: str) -> None:
    text = "version = 1\n\n" + entry("m", score=29.0, default=True)
    assert old in text
    path = tmp_path / "models.lock"
    path.write_text(text.replace(old, new))
    with pytest.raises(ModelError) as caught:
        load_lock(path)
    assert message in str(caught.value) and "\n" not in str(caught.value) and caught.value.hint
    assert caught.value.line is not None
    assert path.read_text().splitlines()[caught.value.line - 1].startswith(f"{key} = ")


def test_a_dotted_name_must_be_quoted(tmp_path: Path) -> None:
    path = tmp_path / "models.lock"
    path.write_text("version = 1\n\n" + entry("nllb-3.3b", default=True).replace('[models."nllb-3.3b"]', "[models.nllb-3.3b]"))
    with pytest.raises(ModelError, match=r"model name nllb-3\.3b has a dot") as caught:
        load_lock(path)
    assert caught.value.hint == 'quote it: [models."nllb-3.3b"]'
    path.write_text("version = 1\n\n" + entry("nllb-3.3b", default=True))
    assert load_lock(path).names == ("nllb-3.3b",)


# --------------------------------------------------------------------------- licenses


@pytest.mark.parametrize(
    ("license", "permits"),
    [("MIT", True), ("apache-2.0", True), ("Apache-2.0", True), ("CC-BY-4.0", True), ("CC-BY-NC-4.0", False),
     ("cc-by-nc-sa-4.0", False), ("unknown", None), ("llama2", None)],
)
def test_which_licenses_permit_commercial_use(license: str, permits: bool | None) -> None:
    assert permits_commercial(license) is permits


def test_model_card_license(tmp_path: Path) -> None:
    assert card_license(tmp_path) is None
    (tmp_path / "README.md").write_text("---\nlanguage: km\nlicense: apache-2.0  # the weights\n---\n# A model\nlicense: mit\n")
    assert card_license(tmp_path) == "Apache-2.0"
    (tmp_path / "README.md").write_text("# No front matter\nlicense: mit\n")
    assert card_license(tmp_path) is None
    assert spdx("cc-by-nc-4.0") == "CC-BY-NC-4.0" and spdx("mit") == "MIT"


def test_refusals_are_one_line_and_name_the_license_and_the_alternative() -> None:
    check_commercial("m", "MIT", True, suggestion=None)  # permitted: nothing happens
    with pytest.raises(LicenseError) as caught:
        check_commercial("nllb-200-distilled-600m", "CC-BY-NC-4.0", False, suggestion="m2m100-1.2b (MIT, chrF++ 19.7)")
    text = str(caught.value)
    assert "\n" not in text and "CC-BY-NC-4.0" in text and "use m2m100-1.2b (MIT, chrF++ 19.7)" in text
    with pytest.raises(LicenseError, match="has no known license") as caught:
        check_commercial("my-model", "unknown", None, suggestion=None, local=True)
    assert "my-model/README.md (front matter: license: apache-2.0)" in str(caught.value)
    assert "models.lock has no model that permits commercial use" in str(caught.value)


# --------------------------------------------------------------------------- recommendations


def names(options) -> list[str]:
    return [o.model.name for o in options]


def test_cpu_recommendation_is_the_best_score_that_runs_well_on_a_cpu() -> None:
    result = recommend(lock_of(*NEWSROOM), commercial=False, device="cpu")
    assert result.choice is not None and result.choice.model.name == "nc-mid"
    assert "chrF++ 30.7" in result.choice.reason and "about 1.3 GB as CTranslate2 int8" in result.choice.reason
    assert names(result.alternatives) == ["nc-small", "mit-mid", "mit-small"]  # scored first, then by size
    assert {o.model.name: o.reason for o in result.excluded} == {
        "nc-big": "3.3B parameters: too slow on a CPU (use --gpu)",
        "apache-big": "3B parameters: too slow on a CPU (use --gpu)",
        "unpinned": "not pinned to a revision yet, so it cannot be pulled",
    }
    assert all(o.model.parameter_count <= CPU_MAX_PARAMETERS for o in (result.choice, *result.alternatives))


def test_gpu_recommendation_is_the_best_score() -> None:
    result = recommend(lock_of(*NEWSROOM), commercial=False, device="gpu")
    assert result.choice is not None and result.choice.model.name == "nc-big"
    assert names(result.alternatives) == ["nc-mid", "nc-small", "mit-mid", "mit-small", "apache-big"]


def test_commercial_recommendation_leaves_out_non_commercial_licenses() -> None:
    lock = lock_of(*NEWSROOM)
    for device in ("cpu", "gpu"):
        result = recommend(lock, commercial=True, device=device)
        assert result.choice is not None and result.choice.model.name == "mit-mid"
        assert all(o.model.commercial_use for o in (result.choice, *result.alternatives))
        assert {"nc-small", "nc-mid", "nc-big"} <= set(names(result.excluded))
    assert "apache-big" in names(recommend(lock, commercial=True, device="gpu").alternatives)
    assert commercial_default(lock).name == "mit-mid" and describe(lock.get("mit-mid")) == "mit-mid (MIT, chrF++ 19.7)"


def test_without_any_score_the_smallest_permitted_model_is_chosen_and_said_so() -> None:
    lock = lock_of(entry("nc", license="CC-BY-NC-4.0", score=29.0, default=True), entry("big", params="3B"), entry("small", params="77M"))
    result = recommend(lock, commercial=True, device="gpu")
    assert result.choice is not None and result.choice.model.name == "small"
    assert "no published score" in result.choice.reason
    assert "measure it: translate eval" in result.alternatives[0].reason


def test_a_permitted_lock_default_stays_the_default() -> None:
    lock = lock_of(entry("nc", license="CC-BY-NC-4.0", score=29.0), entry("mit-mid", params="1.2B", score=19.7),
                   entry("mit-small", params="418M", default=True))
    assert commercial_default(lock).name == "mit-small"


def test_no_permitted_model_means_no_commercial_default() -> None:
    lock = lock_of(entry("nc", license="CC-BY-NC-4.0", score=29.0, default=True))
    assert recommend(lock, commercial=True).choice is None
    with pytest.raises(LicenseError, match="no pinned model whose license permits commercial use"):
        commercial_default(lock)


def test_real_lock_recommendations() -> None:
    lock = load_lock(LOCK)
    pick = {(c, d): recommend(lock, commercial=c, device=d).choice.model.name for c in (False, True) for d in ("cpu", "gpu")}
    assert pick == {
        (False, "cpu"): "nllb-200-distilled-1.3b",
        (False, "gpu"): "nllb-200-3.3b",
        (True, "cpu"): "m2m100-1.2b",
        (True, "gpu"): "m2m100-1.2b",
    }
    assert commercial_default(lock).name == "m2m100-1.2b"


# --------------------------------------------------------------------------- commercial use when resolving


def pulled(root: Path, name: str, *, card: str | None = None) -> Path:
    folder = root / name / REV
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({"model_type": "m2m_100"}))
    (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "NllbTokenizer"}))
    (folder / "model.safetensors").write_bytes(b"\0\0\0\0")
    if card is not None:
        (folder / "README.md").write_text(card)
    return folder


@pytest.fixture
def newsroom(tmp_path: Path) -> tuple[Path, Path]:
    """(lock path, models folder) with every model of NEWSROOM pulled (placeholder files)."""
    lock_path = tmp_path / "models.lock"
    lock_path.write_text("version = 1\n\n" + "".join(NEWSROOM))
    root = tmp_path / "models"
    for model in load_lock(lock_path).models:
        if model.revision:
            pulled(root, model.name)
    return lock_path, root


def test_the_default_follows_the_license(newsroom: tuple[Path, Path]) -> None:
    lock_path, root = newsroom
    model, _ = resolve(MTSettings(lock=lock_path, models=root, pull=False))
    assert model.name == "nc-small"  # the lock's default
    model, _ = resolve(MTSettings(lock=lock_path, models=root, pull=False, commercial=True))
    assert (model.name, model.license, model.commercial_use) == ("mit-mid", "MIT", True)


@pytest.mark.parametrize("name", ["nc-small", "nc-big"])
def test_a_commercial_run_refuses_a_non_commercial_model_before_pulling_it(newsroom: tuple[Path, Path], tmp_path: Path, name: str) -> None:
    lock_path, _ = newsroom
    empty = tmp_path / "nothing-pulled"
    with pytest.raises(LicenseError) as caught:
        resolve(MTSettings(model=name, lock=lock_path, models=empty, commercial=True))  # pull=True: it would download
    assert f"model {name} is licensed CC-BY-NC-4.0" in str(caught.value) and "use mit-mid (MIT, chrF++ 19.7)" in str(caught.value)
    assert not empty.exists(), "nothing was downloaded"
    model, _ = resolve(MTSettings(model="mit-small", lock=lock_path, models=newsroom[1], pull=False, commercial=True))
    assert model.name == "mit-small"


def test_a_local_folder_is_used_commercially_only_with_a_permissive_card(newsroom: tuple[Path, Path], tmp_path: Path) -> None:
    lock_path, _ = newsroom
    bare = pulled(tmp_path / "local", "bare")
    with pytest.raises(LicenseError, match="has no known license") as caught:
        resolve(MTSettings(model=str(bare), lock=lock_path, commercial=True))
    assert "use mit-mid (MIT, chrF++ 19.7)" in str(caught.value)
    nc = pulled(tmp_path / "local", "nc", card="---\nlicense: cc-by-nc-4.0\n---\n")
    with pytest.raises(LicenseError, match="is licensed CC-BY-NC-4.0"):
        resolve(MTSettings(model=str(nc), lock=lock_path, commercial=True))
    ok = pulled(tmp_path / "local", "ok", card="---\nlicense: apache-2.0\n---\n")
    model, _ = resolve(MTSettings(model=str(ok), lock=lock_path, commercial=True))
    assert (model.license, model.commercial_use) == ("Apache-2.0", True)
    model, _ = resolve(MTSettings(model=str(bare), lock=lock_path))  # not commercial: any folder
    assert (model.license, model.commercial_use) == ("unknown", None)
