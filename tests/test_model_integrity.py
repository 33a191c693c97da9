"""Model files are checked when they are used, not only by ``translate models verify``.

A locked model is hashed against models.lock before its first load and then
recognised by ``stat`` alone; a CTranslate2 conversion against the hashes it
recorded; a bare ``--model`` name is always the locked model; models.lock
itself is validated; pickle weights that would run code are refused in one
line. The commands run as real processes of the installed ``translate``.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import time
from pathlib import Path

import polib
import pytest

from click.testing import CliRunner, Result

from clierrors import assert_one_line, snapshot, translate_command
from conftest import msgfmt_check
from translate.cli import cli
from translate.mt import integrity
from translate.mt.lockfile import ModelError, parse_lock, repo_id_problem
from translate.mt.models import IntegrityError, load_lock, resolve_model, verify_on_use

REV = "0123456789abcdef0123456789abcdef01234567"
ARTICLE = "The ministry said on Monday that rice prices would rise.\n\nFarmers in Kampot were worried about the floods.\n"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lock_for(folder: Path, name: str = "tiny", repo: str = "example/tiny-nllb") -> str:
    files = "\n".join(
        f'  {{ path = "{p.name}", sha256 = "{sha(p)}", size = {p.stat().st_size} }},' for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")
    )
    return (
        f'version = 1\n\n[models.{name}]\nrepo = "{repo}"\nrevision = "{REV}"\nfamily = "nllb"\n'
        'license = "MIT"\ncommercial_use = true\nlanguages = "test"\nformats = ["transformers"]\ndefault = true\n'
        f"files = [\n{files}\n]\n"
    )


@pytest.fixture
def models(workdir: Path, tiny_nllb_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny NLLB model pulled as ``tiny`` (hashes recorded in ./models.lock); returns its folder."""
    folder = workdir / "models" / "tiny" / REV
    shutil.copytree(tiny_nllb_folder, folder)
    (workdir / "models.lock").write_text(lock_for(folder), encoding="utf-8")
    monkeypatch.setenv("TRANSLATE_MODELS", str(workdir / "models"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return folder


def translate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command in its own process: what a user sees, stderr exactly."""
    return subprocess.run([*translate_command(), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def in_process(*args: str) -> Result:
    """The same command through CliRunner (the working folder is the test's): torch is imported once per session."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def flip_last_byte(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))


def article(workdir: Path, name: str = "story.txt") -> Path:
    path = workdir / name
    path.write_text(ARTICLE, encoding="utf-8")
    assert translate(workdir, "-q", "extract", name, "--to", "km").returncode == 0
    return path


MT = ("--to", "km", "--beam-size", "1", "--no-retry", "--backend", "transformers")


# --------------------------------------------------------------------------- verified on use


def test_one_changed_byte_stops_mt_sync_and_convert(models: Path, workdir: Path) -> None:
    assert translate(workdir, "models", "verify", "tiny").returncode == 0
    weights = models / "model.safetensors"
    expected = sha(weights)
    flip_last_byte(weights)
    found_digest = sha(weights)
    article(workdir)
    before = snapshot(workdir / "locales")

    proc = translate(workdir, "mt", "story.txt", *MT, "--memory", str(workdir / "tm.sqlite3"))
    assert proc.returncode == 1
    found = assert_one_line(proc.stderr, where=str(weights))
    assert found["message"] == f"differs from what was recorded for model tiny (sha256 expected {expected}, found {found_digest}): refusing to load it"
    assert "translate models pull tiny" in found["hint"]
    assert snapshot(workdir / "locales") == before

    if _has_ctranslate2():
        converted = translate(workdir, "models", "convert", "tiny")
        assert converted.returncode == 1
        assert_one_line(converted.stderr, where=str(weights))
        assert not any(p.name.startswith("ct2-") for p in models.iterdir())

    site = workdir / "site"
    site.mkdir()
    shutil.copyfile(workdir / "models.lock", site / "models.lock")
    (site / "articles").mkdir()
    (site / "articles" / "story.txt").write_text(ARTICLE, encoding="utf-8")
    (site / "translate.toml").write_text(
        '[workspace]\nsources = ["articles/*.txt"]\nlanguages = ["km"]\nengine = "transformers"\nmodel = "tiny"\n'
        "[decoding]\nbeam_size = 1\nretry = false\n",
        encoding="utf-8",
    )
    synced = translate(site, "-q", "sync")
    assert synced.returncode == 1
    assert_one_line(synced.stderr, where=str(weights))
    po_path = site / "locales" / "km" / "LC_MESSAGES" / "story.po"
    msgfmt_check(po_path)
    assert all(not entry.msgstr for entry in polib.pofile(str(po_path)))  # nothing from the altered model
    assert not (site / "out").exists()


def test_each_file_is_hashed_once_then_recognised_by_stat(
    models: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(integrity, "RACY_SECONDS", 0.2)
    monkeypatch.setattr(integrity, "NOTICE_BYTES", 1)  # the tiny model stands in for gigabytes
    hashed: list[str] = []
    real = integrity.sha256_file

    def counting(path: Path) -> str:
        hashed.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(integrity, "sha256_file", counting)
    time.sleep(0.3)  # older than the (shortened) racy window
    model = resolve_model("tiny", load_lock(workdir / "models.lock"), workdir / "models")
    verify_on_use(model)
    assert sorted(hashed) == sorted(f.path for f in model.files)
    assert "checking model tiny: hashing" in caplog.text and "later runs only compare file sizes and times" in caplog.text
    caplog.clear()
    record = json.loads((models / integrity.VERIFIED_FILE).read_text(encoding="utf-8"))
    assert set(record["files"]) == {f.path for f in model.files}

    hashed.clear()
    verify_on_use(model)
    assert hashed == [] and "hashing" not in caplog.text  # stat only, nothing to announce

    weights = models / "model.safetensors"
    times = weights.stat()
    flip_last_byte(weights)
    os.utime(weights, ns=(times.st_atime_ns, times.st_mtime_ns))  # same size and modification time
    with pytest.raises(IntegrityError, match="model.safetensors: differs from what was recorded"):
        verify_on_use(model)
    assert hashed == ["model.safetensors"]  # the change time gave it away


def test_a_file_changed_just_before_it_was_hashed_is_hashed_again(models: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hashed: list[str] = []
    real = integrity.sha256_file
    monkeypatch.setattr(integrity, "sha256_file", lambda path: hashed.append(Path(path).name) or real(path))
    model = resolve_model("tiny", load_lock(workdir / "models.lock"), workdir / "models")
    verify_on_use(model)
    verify_on_use(model)  # copied a moment ago: within the racy window, nothing was remembered
    assert len(hashed) == 2 * len(model.files)


def test_a_folder_that_cannot_keep_the_record_is_still_checked(models: Path, workdir: Path, caplog: pytest.LogCaptureFixture) -> None:
    (models / integrity.VERIFIED_FILE).mkdir()  # the record cannot be read or written
    model = resolve_model("tiny", load_lock(workdir / "models.lock"), workdir / "models")
    time.sleep(integrity.RACY_SECONDS + 0.1)
    verify_on_use(model)
    assert "hashed again on every use" in caplog.text
    flip_last_byte(models / "config.json")
    with pytest.raises(IntegrityError, match="config.json: differs"):
        verify_on_use(model)


def test_a_ctranslate2_conversion_is_checked_against_what_it_recorded(models: Path, workdir: Path) -> None:
    pytest.importorskip("ctranslate2")
    converted = in_process("models", "convert", "tiny", "--quantization", "float32")
    assert converted.exit_code == 0, converted.output
    folder = Path(converted.stdout.split(": ", 1)[1].strip())
    record = json.loads((folder / "translate-conversion.json").read_text(encoding="utf-8"))
    assert {f["path"]: f["sha256"] for f in record["files"]}["model.bin"] == sha(folder / "model.bin")

    article(workdir)
    flip_last_byte(folder / "model.bin")
    before = snapshot(workdir / "locales")
    proc = translate(workdir, "mt", "story.txt", "--to", "km", "--backend", "ctranslate2", "--compute-type", "float32", "--memory", str(workdir / "tm.sqlite3"))
    assert proc.returncode == 1
    found = assert_one_line(proc.stderr, where=str(folder / "model.bin"))
    assert "the CTranslate2 conversion of tiny" in found["message"]
    assert found["hint"] == "convert it again: translate models convert tiny --force"
    assert snapshot(workdir / "locales") == before

    assert in_process("models", "convert", "tiny", "--quantization", "float32", "--force").exit_code == 0
    again = in_process("mt", "story.txt", "--to", "km", "--backend", "ctranslate2", "--compute-type", "float32", "--beam-size", "1", "--memory", str(workdir / "tm.sqlite3"))
    assert again.exit_code == 0, again.output

    del record["files"]  # a conversion made before conversions recorded their hashes
    (folder / "translate-conversion.json").write_text(json.dumps(record), encoding="utf-8")
    old = translate(workdir, "mt", article(workdir, "other.txt").name, "--to", "km", "--backend", "ctranslate2", "--memory", str(workdir / "tm.sqlite3"))
    assert old.returncode == 1 and "run: translate models convert tiny" in assert_one_line(old.stderr)["hint"]


# --------------------------------------------------------------------------- names and paths


def test_a_folder_named_like_a_locked_model_does_not_replace_it(models: Path, workdir: Path, tiny_nllb_folder: Path) -> None:
    shutil.copytree(tiny_nllb_folder, workdir / "tiny")  # an intact copy in the working folder
    article(workdir, "one.txt")
    article(workdir, "two.txt")
    memory = ("--memory", str(workdir / "tm.sqlite3"))

    by_path = in_process("mt", "one.txt", *MT, "--model", "./tiny", *memory)
    assert by_path.exit_code == 0, by_path.output
    notes = [e.comment for e in polib.pofile(str(workdir / "locales" / "km" / "LC_MESSAGES" / "one.po"))]
    assert notes and all("\nmt: tiny@local-" in c for c in notes)

    flip_last_byte(models / "model.safetensors")  # only the locked copy is altered
    by_name = translate(workdir, "mt", "two.txt", *MT, "--model", "tiny", *memory)
    assert by_name.returncode == 1  # "tiny" is the locked model, whatever ./tiny holds
    assert_one_line(by_name.stderr, where=str(models / "model.safetensors"))

    shutil.move(workdir / "tiny", workdir / "mine")
    unknown = translate(workdir, "mt", "two.txt", *MT, "--model", "mine", *memory)
    assert unknown.returncode == 1
    found = assert_one_line(unknown.stderr, where=str(workdir / "models.lock"))
    assert found["message"] == "unknown model 'mine'" and found["hint"] == "use one of: tiny; for the folder mine, write ./mine"


# --------------------------------------------------------------------------- models.lock


REPO_IDS = [
    "facebook/nllb-200-distilled-600M", "Helsinki-NLP/opus-mt-en-mul", "google/madlad400-3b-mt", "a/b", "user_1/model.v2",
    "evil/..", "../etc", "evil/../x", "owner/", "/name", "owner/na me", "owner/name.git", "own--er/x", "owner/.hidden",
    "owner/name-", "owner/né", "a" * 50 + "/" + "b" * 50, "owner/name/extra", "justname",
]


@pytest.mark.parametrize("repo", REPO_IDS)
def test_repo_ids_follow_the_hugging_face_rules(repo: str) -> None:
    problem = repo_id_problem(repo)
    if repo.count("/") == 1:  # the hub's own validator (which also allows a bare name) agrees on owner/name ids
        from huggingface_hub.errors import HFValidationError
        from huggingface_hub.utils import validate_repo_id

        try:
            validate_repo_id(repo)
            hub_accepts = True
        except HFValidationError:
            hub_accepts = False
        assert (problem is None) == hub_accepts, problem
    else:
        assert problem is not None


def test_a_lock_with_repo_evil_dotdot_is_refused_with_its_line(workdir: Path) -> None:
    folder = workdir / "m"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    (workdir / "bad.lock").write_text(lock_for(folder, repo="evil/.."), encoding="utf-8")
    proc = translate(workdir, "models", "list", "--lock", "bad.lock")
    assert proc.returncode == 1
    found = assert_one_line(proc.stderr, where="bad.lock")
    assert found["line"] == "4" and found["message"].startswith("repo of tiny must be a Hugging Face id owner/name, not 'evil/..'")


@pytest.mark.parametrize("path", ["../config.json", "a/../../b", "/etc/passwd", "./config.json", "a//b", "C:/x", "a\\b", "x\ny", ".translate-verified.json"])
def test_locked_file_paths_stay_inside_the_model_folder(path: str) -> None:
    text = (
        'version = 1\n[models.m]\nrepo = "a/b"\nrevision = ""\nfamily = "nllb"\nlicense = "MIT"\ncommercial_use = true\ndefault = true\n'
        f"files = [{{ path = {json.dumps(path)}, sha256 = \"\" }}]\n"
    )
    with pytest.raises(ModelError, match="must stay inside the model folder") as caught:
        parse_lock(text, Path("models.lock"))
    assert caught.value.line == 9


# --------------------------------------------------------------------------- pickles


class Payload:
    """What a malicious checkpoint holds: unpickling it runs a shell command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("kind", ["torch-save", "plain-pickle"])
def test_a_malicious_pickle_is_refused_in_one_line_and_never_runs(
    workdir: Path, tiny_nllb_folder: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    torch = pytest.importorskip("torch")
    monkeypatch.setenv("TRANSLATE_MODELS", str(workdir / "models"))
    evil = workdir / "evil"
    shutil.copytree(tiny_nllb_folder, evil, ignore=shutil.ignore_patterns("*.safetensors"))
    marker = workdir / "PWNED"
    weights = evil / "pytorch_model.bin"
    if kind == "torch-save":
        torch.save({"model.shared.weight": Payload(marker)}, weights)
    else:
        weights.write_bytes(pickle.dumps({"model.shared.weight": Payload(marker)}))
    assert b"system" in weights.read_bytes()
    article(workdir)
    before = snapshot(workdir / "locales")

    proc = translate(workdir, "mt", "story.txt", *MT, "--model", "./evil", "--memory", str(workdir / "tm.sqlite3"))
    assert proc.returncode == 1
    found = assert_one_line(proc.stderr, where="evil/pytorch_model.bin")
    assert found["message"].startswith("refusing to load this pickle: ") and "could run code" in found["message"]
    if kind == "torch-save":
        assert "it asks for posix.system" in found["message"]
    assert found["hint"] == "use .safetensors weights, or get the weights from a trusted source"
    assert not marker.exists()
    assert snapshot(workdir / "locales") == before

    if kind == "torch-save" and _has_ctranslate2():
        converted = in_process("models", "convert", "./evil")
        assert converted.exit_code == 1
        assert_one_line(converted.stderr, where="evil/pytorch_model.bin")
        assert not marker.exists() and not list((workdir / "models").rglob("model.bin"))


def _has_ctranslate2() -> bool:
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True
