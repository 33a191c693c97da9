"""The pinned model registry: models.lock, model folders, verification, pulling offline.

No test touches the network: the model folders are built here, and pulling is
tried only with the hub made unreachable.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest
from safetensors.numpy import save_file

from conftest import ROOT
from translate.errors import TranslateError
from translate.mt import models
from translate.mt.models import (
    FileStatus,
    ModelError,
    ModelMissingError,
    check_weights_safe,
    formats_present,
    license_warning,
    list_models,
    load_kwargs,
    load_lock,
    lock_hashes,
    model_path,
    models_dir,
    pull,
    resolve_model,
    verify,
)

LOCK = ROOT / "models.lock"
REV = "0123456789abcdef0123456789abcdef01234567"
NAME = "tiny-nllb"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_tiny_model(folder: Path, *, model_type: str = "m2m_100", tokenizer_class: str = "NllbTokenizer") -> Path:
    """A small but real model folder: config, tokenizer config, safetensors weights."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps({"model_type": model_type, "d_model": 8}, indent=2) + "\n")
    tokenizer = {"tokenizer_class": tokenizer_class}
    if tokenizer_class == "NllbTokenizer":
        tokenizer["src_lang"] = "eng_Latn"
    (folder / "tokenizer_config.json").write_text(json.dumps(tokenizer, indent=2) + "\n")
    save_file({"shared.weight": np.arange(32, dtype=np.float32).reshape(4, 8)}, str(folder / "model.safetensors"))
    return folder


def lock_text(folder: Path, *, unrecorded: tuple[str, ...] = (), name: str = NAME) -> str:
    """A models.lock listing the files of ``folder`` with their true hashes."""
    lines = []
    for file in ("config.json", "model.safetensors", "tokenizer_config.json"):
        if file in unrecorded:
            lines.append(f'  {{ path = "{file}", sha256 = "" }},  # to be recorded')
        else:
            size = (folder / file).stat().st_size
            lines.append(f'  {{ path = "{file}", sha256 = "{sha(folder / file)}", size = {size} }},')
    entries = "\n".join(lines)
    return (
        "# A test lock: keep this comment.\n"
        "version = 1\n\n"
        f"# The tiny model, also keep me.\n[models.{name}]\n"
        'repo = "example/tiny-nllb"\n'
        f'revision = "{REV}"\n'
        'family = "nllb"\nlicense = "CC-BY-NC-4.0"\ncommercial_use = false\n'
        'languages = ["eng_Latn", "khm_Khmr"]\nformats = ["transformers"]\ndefault = true\n'
        f"files = [\n{entries}\n]\n"
    )


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, Path]:
    """(models folder, lock path) with the tiny model pulled and locked."""
    root = tmp_path / "models"
    folder = write_tiny_model(root / NAME / REV)
    lock_path = tmp_path / "models.lock"
    lock_path.write_text(lock_text(folder))
    return root, lock_path


# --------------------------------------------------------------------------- the real lock


def test_real_lock_has_one_default_nllb_and_a_permissive_alternative() -> None:
    lock = load_lock(LOCK)
    assert lock.default.name == "nllb-200-distilled-600m"
    assert lock.default.repo == "facebook/nllb-200-distilled-600M"
    assert lock.default.family == "nllb" and lock.default.license == "CC-BY-NC-4.0"
    assert [m.name for m in lock.models if m.default] == ["nllb-200-distilled-600m"]
    permissive = [m for m in lock.models if m.commercial_use and m.license in ("MIT", "Apache-2.0")]
    assert permissive, "models.lock needs at least one model usable commercially"


@pytest.mark.parametrize("model", load_lock(LOCK).models, ids=lambda m: m.name)
def test_real_lock_entries_are_pinned_and_safe(model: models.LockedModel) -> None:
    assert model.revision == "" or (len(model.revision) == 40 and int(model.revision, 16) >= 0)
    paths = {f.path for f in model.files}
    assert "config.json" in paths
    pickles = {p for p in paths if p.startswith("pytorch_model") and p.endswith(".bin")}
    assert any(p.endswith(".safetensors") for p in paths) or pickles
    if any(p.endswith(".safetensors") for p in paths):
        assert not pickles, "never lock pickle weights beside safetensors"
    if len(pickles) > 1:
        assert "pytorch_model.bin.index.json" in paths, "sharded weights need their index"
    for file in model.files:
        assert file.sha256 == "" or len(file.sha256) == 64


@pytest.mark.parametrize("model", load_lock(LOCK).models, ids=lambda m: m.name)
def test_real_lock_entries_say_what_a_newsroom_needs_to_choose(model: models.LockedModel) -> None:
    from translate.mt.licensing import permits_commercial

    assert model.parameter_count and model.sources, "parameters and sources of the hashes are recorded"
    assert permits_commercial(model.license) is model.commercial_use, "commercial_use follows the license"
    weights = [f for f in model.files if f.path.endswith((".bin", ".safetensors"))]
    assert any(f.sha256 for f in weights) or model.family == "marian", "the weights' hash is published for every large model"
    if model.quality is not None:
        assert model.quality.source and 0 < model.quality.score < 100


def test_real_lock_lists_the_models_a_newsroom_chooses_between() -> None:
    from translate.mt.recommend import khmer_score

    lock = load_lock(LOCK)
    assert len(lock.models) >= 6
    assert {m.family for m in lock.models} == {"nllb", "m2m100", "madlad", "marian"}
    assert {m.name for m in lock.models if not m.commercial_use} == {
        "nllb-200-distilled-600m", "nllb-200-distilled-1.3b", "nllb-200-3.3b"}
    scores = {m.name: khmer_score(m) for m in lock.models}
    assert scores["nllb-200-distilled-600m"] == 29.0 and scores["nllb-200-3.3b"] == 32.0
    assert scores["m2m100-1.2b"] == 19.7
    madlad = lock.get("madlad400-3b-mt")
    assert madlad.license == "Apache-2.0" and [f.path for f in madlad.files if f.path.endswith(".safetensors")] == ["model.safetensors"]
    assert all(f.sha256 and f.size for f in madlad.files), "every MADLAD-400 file is published for its revision"


def test_license_warning_only_for_the_non_commercial_models() -> None:
    warnings = {m.name: license_warning(m) for m in load_lock(LOCK).models}
    assert warnings.pop("nllb-200-distilled-600m") == (
        "warning: nllb-200-distilled-600m is licensed CC-BY-NC-4.0: non-commercial use only"
    )
    assert warnings.pop("nllb-200-distilled-1.3b") and warnings.pop("nllb-200-3.3b")
    assert set(warnings.values()) == {None}


# --------------------------------------------------------------------------- lock errors


def broken(valid: str, old: str, new: str) -> str:
    assert old in valid
    return valid.replace(old, new, 1)


@pytest.mark.parametrize(
    ("change", "message", "line"),
    [
        (("family = \"nllb\"", "family = nllb\""), "invalid TOML", 8),
        (("default = true", "default = true\ndefault = false"), "invalid TOML", 14),
        (("default = true", "default = false"), "0 models are marked default", None),
        ((f'revision = "{REV}"', 'revision = "main"'), "must be a 40-hex commit hash", 7),
        (('family = "nllb"', 'family = "gpt"'), "unknown family 'gpt'", 8),
        (('repo = "example/tiny-nllb"', 'repo = "tiny"'), "owner/name", 6),
        (("commercial_use = false", "commercial_use = false\nrevison = \"x\""), "unknown key 'revison'", 11),
    ],
    ids=["bad-syntax", "duplicate-key", "no-default", "bad-revision", "bad-family", "bad-repo", "typo-key"],
)
def test_lock_errors_name_file_and_line(store: tuple[Path, Path], change: tuple[str, str], message: str, line: int | None) -> None:
    _, lock_path = store
    lock_path.write_text(broken(lock_path.read_text(), *change))
    with pytest.raises(ModelError) as caught:
        load_lock(lock_path)
    text = str(caught.value)
    assert message in text and str(lock_path) in text and "\n" not in text
    assert caught.value.line == line
    if line is not None:
        assert f"{lock_path}:{line}: " in text
    assert caught.value.hint, "every lock error says how to fix it"


def test_two_defaults_point_at_the_second(store: tuple[Path, Path]) -> None:
    root, lock_path = store
    folder = root / NAME / REV
    second = lock_text(folder, name="other").split("# The tiny model, also keep me.\n", 1)[1]
    lock_path.write_text(lock_path.read_text() + "\n" + second)
    with pytest.raises(ModelError, match=r"2 models are marked default \(tiny-nllb, other\)") as caught:
        load_lock(lock_path)
    assert caught.value.line == lock_path.read_text().splitlines().index("default = true", 20) + 1


def test_missing_lock_file_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read the model lock"):
        load_lock(tmp_path / "models.lock")


# --------------------------------------------------------------------------- verify and record


def test_verify_ok(store: tuple[Path, Path]) -> None:
    root, lock_path = store
    report = verify(load_lock(lock_path), NAME, root)
    assert report.ok and report.complete
    assert [c.status for c in report.files] == [FileStatus.OK] * 3


def test_verify_detects_a_tampered_byte(store: tuple[Path, Path]) -> None:
    root, lock_path = store
    weights = root / NAME / REV / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0x01  # same size, different content
    weights.write_bytes(bytes(data))
    report = verify(load_lock(lock_path), NAME, root)
    assert not report.ok and not report.complete
    (check,) = report.problems
    assert check.path == "model.safetensors" and check.status is FileStatus.MISMATCH
    assert check.actual_sha256 == sha(weights) != check.expected_sha256
    assert check.describe().startswith("model.safetensors: mismatch (sha256 expected ")


def test_verify_detects_a_missing_file(store: tuple[Path, Path]) -> None:
    root, lock_path = store
    (root / NAME / REV / "tokenizer_config.json").unlink()
    report = verify(load_lock(lock_path), NAME, root)
    assert [(c.path, c.status) for c in report.problems] == [("tokenizer_config.json", FileStatus.MISSING)]
    with pytest.raises(ModelMissingError, match="incomplete: tokenizer_config.json missing"):
        model_path(load_lock(lock_path), NAME, root)


def test_unrecorded_hashes_are_reported_then_recorded_keeping_comments(store: tuple[Path, Path]) -> None:
    root, lock_path = store
    folder = root / NAME / REV
    lock_path.write_text(lock_text(folder, unrecorded=("model.safetensors", "config.json")))
    report = verify(load_lock(lock_path), NAME, root)
    assert report.complete and not report.ok
    assert {c.path: c.status for c in report.problems} == {
        "config.json": FileStatus.UNRECORDED,
        "model.safetensors": FileStatus.UNRECORDED,
    }

    recorded = lock_hashes(lock_path, NAME, root)

    assert {f.path: (f.sha256, f.size) for f in recorded} == {
        "config.json": (sha(folder / "config.json"), (folder / "config.json").stat().st_size),
        "model.safetensors": (sha(folder / "model.safetensors"), (folder / "model.safetensors").stat().st_size),
    }
    text = lock_path.read_text()
    assert "# A test lock: keep this comment." in text and "# The tiny model, also keep me." in text
    assert text.count("# to be recorded") == 2  # the entries' own comments survive too
    assert text == lock_text(folder).replace(
        '},\n  { path = "model.safetensors"', '},  # to be recorded\n  { path = "model.safetensors"'
    ).replace('},\n  { path = "tokenizer_config.json"', '},  # to be recorded\n  { path = "tokenizer_config.json"')
    assert verify(load_lock(lock_path), NAME, root).ok
    assert lock_hashes(lock_path, NAME, root) == ()


def test_recording_refuses_a_file_that_contradicts_the_lock(store: tuple[Path, Path]) -> None:
    root, lock_path = store
    folder = root / NAME / REV
    lock_path.write_text(lock_text(folder, unrecorded=("config.json",)))
    before = lock_path.read_text()
    (folder / "tokenizer_config.json").write_text('{"tokenizer_class": "Changed"}\n')
    with pytest.raises(ModelError, match="does not match models.lock: tokenizer_config.json: mismatch"):
        lock_hashes(lock_path, NAME, root)
    assert lock_path.read_text() == before


# --------------------------------------------------------------------------- paths, listing


def test_missing_model_says_what_to_run(store: tuple[Path, Path]) -> None:
    root, _ = store
    lock = load_lock(LOCK)
    with pytest.raises(ModelMissingError) as caught:
        model_path(lock, "nllb-200-distilled-600m", root)
    assert str(caught.value) == (
        "model 'nllb-200-distilled-600m' is not downloaded (run: translate models pull nllb-200-distilled-600m)"
    )
    assert isinstance(caught.value, TranslateError)


def test_unknown_model_lists_the_lock(store: tuple[Path, Path]) -> None:
    root, _ = store
    with pytest.raises(ModelError, match=r"unknown model 'nllb-3b' .*nllb-200-distilled-600m, m2m100-418m"):
        model_path(load_lock(LOCK), "nllb-3b", root)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TRANSLATE_MODELS": "/data/m", "XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/data/m"),
        ({"XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/x/translate/models"),
        ({"HOME": "/h"}, "/h/.cache/translate/models"),
    ],
    ids=["explicit", "xdg", "home"],
)
def test_models_dir_precedence(env: dict[str, str], expected: str) -> None:
    assert models_dir(env) == Path(expected)


def test_list_models_and_formats(store: tuple[Path, Path]) -> None:
    root, lock_path = store
    folder = root / NAME / REV
    (status,) = list_models(load_lock(lock_path), root)
    assert (status.name, status.present, status.default, status.formats) == (NAME, True, True, ("transformers",))
    (folder / "ct2-int8").mkdir()
    (folder / "ct2-int8" / "model.bin").write_bytes(b"\0")
    assert formats_present(folder) == ("transformers", "ct2")
    (status,) = list_models(load_lock(lock_path), root)
    files = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert status.disk_bytes == files and status.disk_bytes > status.model.size_bytes  # the conversion counts
    statuses = list_models(load_lock(LOCK), root)
    assert [(s.present, s.formats, s.disk_bytes) for s in statuses] == [(False, (), 0)] * len(statuses)
    assert [s.name for s in statuses] == list(load_lock(LOCK).names)


# --------------------------------------------------------------------------- local folders and safety


@pytest.mark.parametrize(
    ("model_type", "tokenizer_class", "family"),
    [
        ("m2m_100", "NllbTokenizer", "nllb"),
        ("m2m_100", "NllbTokenizerFast", "nllb"),
        ("m2m_100", "M2M100Tokenizer", "m2m100"),
        ("marian", "MarianTokenizer", "marian"),
        ("t5", "T5Tokenizer", "madlad"),
    ],
)
def test_resolve_a_local_folder(tmp_path: Path, model_type: str, tokenizer_class: str, family: str) -> None:
    folder = write_tiny_model(tmp_path / "my-model", model_type=model_type, tokenizer_class=tokenizer_class)
    resolved = resolve_model(str(folder), load_lock(LOCK), tmp_path / "models")
    assert (resolved.name, resolved.path, resolved.family) == ("my-model", folder, family)
    assert resolved.revision == "local-" + sha(folder / "config.json")[:12]
    assert resolved.license == "unknown" and license_warning(resolved) is None


def test_resolve_a_relative_folder_and_a_locked_name(store: tuple[Path, Path], workdir: Path) -> None:
    root, lock_path = store
    write_tiny_model(workdir / "local")
    assert resolve_model("./local", load_lock(lock_path), root).family == "nllb"
    resolved = resolve_model(NAME, load_lock(lock_path), root)
    assert (resolved.path, resolved.revision, resolved.repo) == (root / NAME / REV, REV, "example/tiny-nllb")
    assert license_warning(resolved) == f"warning: {NAME} is licensed CC-BY-NC-4.0: non-commercial use only"


def test_resolve_rejects_unknown_specs(store: tuple[Path, Path], tmp_path: Path) -> None:
    root, lock_path = store
    with pytest.raises(ModelError, match=f"unknown model 'nllb' .*use one of: {NAME}"):
        resolve_model("nllb", load_lock(lock_path), root)
    with pytest.raises(ModelError, match="no model folder at ./nowhere"):
        resolve_model("./nowhere", load_lock(lock_path), root)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="no config.json"):
        resolve_model(str(tmp_path / "empty"), load_lock(lock_path), root)
    folder = write_tiny_model(tmp_path / "bert", model_type="bert")
    with pytest.raises(ModelError, match="unsupported model_type 'bert'"):
        resolve_model(str(folder), load_lock(lock_path), root)


def test_weights_safety(tmp_path: Path) -> None:
    folder = write_tiny_model(tmp_path / "safe")
    assert check_weights_safe(folder) == "safetensors"
    assert load_kwargs(folder) == {"trust_remote_code": False, "local_files_only": True, "use_safetensors": True}
    pickled = tmp_path / "pickled"
    pickled.mkdir()
    (pickled / "config.json").write_text("{}")
    (pickled / "pytorch_model.bin").write_bytes(b"\x80\x02}q\x00.")
    assert check_weights_safe(pickled, torch_version="2.6.0") == "pytorch"
    assert check_weights_safe(pickled, torch_version="2.13.0+cpu") == "pytorch"
    with pytest.raises(ModelError, match=r"refusing pickle weights pytorch_model.bin with torch 2.5"):
        check_weights_safe(pickled, torch_version="2.5.1")
    (pickled / "pytorch_model.bin").unlink()
    with pytest.raises(ModelError, match="no model weights"):
        check_weights_safe(pickled)


# --------------------------------------------------------------------------- pulling


def test_pull_of_a_present_model_needs_no_network(store: tuple[Path, Path]) -> None:
    root, lock_path = store
    assert pull(load_lock(lock_path), NAME, root) == root / NAME / REV


def test_pull_refuses_an_unpinned_model(store: tuple[Path, Path]) -> None:
    root, lock_path = store
    lock_path.write_text(lock_path.read_text().replace(f'revision = "{REV}"', 'revision = ""'))
    with pytest.raises(ModelError, match="has no pinned revision"):
        pull(load_lock(lock_path), NAME, root)


PULL_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from translate.errors import TranslateError
    from translate.mt.models import load_lock, models_dir, pull

    try:
        print(pull(load_lock(Path(sys.argv[1])), sys.argv[2], models_dir()))
    except TranslateError as error:
        print(error)
        sys.exit(3)
    """
)


def run_pull(lock_path: Path, name: str, root: Path, **env_vars: str) -> subprocess.CompletedProcess[str]:
    """Run pull in a fresh interpreter: huggingface_hub reads HF_* variables once, at import."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE"))}
    env.update(HF_HOME=str(root.parent / "hf-home"), TRANSLATE_MODELS=str(root), PYTHONPATH=str(ROOT), **env_vars)
    return subprocess.run([sys.executable, "-c", PULL_SCRIPT, str(lock_path), name],
                          capture_output=True, text=True, env=env, cwd=root.parent, timeout=120, check=False)


def nothing_left(root: Path) -> bool:
    return not root.exists() or not any(root.rglob("*"))


@pytest.mark.parametrize("name", ["nllb-200-distilled-600m", "m2m100-418m"])
def test_pull_without_network_fails_cleanly(tmp_path: Path, name: str) -> None:
    root = tmp_path / "models"
    proc = run_pull(LOCK, name, root, HF_HUB_OFFLINE="1", HF_ENDPOINT="http://127.0.0.1:9")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    (line,) = proc.stdout.splitlines()
    assert line.startswith(f"cannot reach the Hugging Face hub to download {name}: HF_HUB_OFFLINE is set (")
    assert f"copy the model folder to {root / name}" in line and "--model ./dir" in line
    assert nothing_left(root), "a failed pull leaves nothing behind"


@pytest.fixture
def fake_hub() -> Iterator[Callable[[dict[str, bytes]], str]]:
    """Serve files as the Hugging Face hub would, on a loopback port, for repo example/tiny-nllb at REV."""
    servers: list[ThreadingHTTPServer] = []

    def serve(files: dict[str, bytes]) -> str:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                self.answer(head=True)

            def do_GET(self) -> None:
                self.answer(head=False)

            def answer(self, head: bool) -> None:
                path = urlparse(self.path).path
                resolve = f"/example/tiny-nllb/resolve/{REV}/"
                if path == f"/api/models/example/tiny-nllb/tree/{REV}":
                    listing = [{"type": "file", "path": n, "size": len(d), "oid": hashlib.sha1(d).hexdigest()}
                               for n, d in files.items()]
                    self.send(200, json.dumps(listing).encode(), {"Content-Type": "application/json"}, head)
                elif path.startswith(resolve) and path[len(resolve):] in files:
                    data = files[path[len(resolve):]]
                    self.send(200, data, {"X-Repo-Commit": REV, "ETag": f'"{hashlib.sha256(data).hexdigest()}"'}, head)
                else:
                    self.send(404, b"{}", {"X-Error-Code": "EntryNotFound"}, head)

            def send(self, code: int, body: bytes, headers: dict[str, str], head: bool) -> None:
                self.send_response(code)
                for key, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(key, value)
                self.end_headers()
                if not head:
                    self.wfile.write(body)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def upstream(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """The tiny model as the hub holds it (plus a file the lock does not list)."""
    folder = write_tiny_model(tmp_path / "upstream")
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    return folder, {**files, "pytorch_model.bin": b"not in the lock"}


def test_pull_downloads_exactly_the_locked_files(tmp_path: Path, fake_hub: Callable[[dict[str, bytes]], str]) -> None:
    folder, files = upstream(tmp_path)
    lock_path = tmp_path / "models.lock"
    lock_path.write_text(lock_text(folder))
    root = tmp_path / "models"
    proc = run_pull(lock_path, NAME, root, HF_ENDPOINT=fake_hub(files))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    target = root / NAME / REV
    assert proc.stdout.strip() == str(target)
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        NAME, f"{NAME}/{REV}", f"{NAME}/{REV}/config.json",
        f"{NAME}/{REV}/model.safetensors", f"{NAME}/{REV}/tokenizer_config.json",
    ], "only the locked files, no hub metadata, no temporary folder"
    assert verify(load_lock(lock_path), NAME, root).ok
    assert resolve_model(NAME, load_lock(lock_path), root).family == "nllb"


def test_pull_then_record_unrecorded_hashes(tmp_path: Path, fake_hub: Callable[[dict[str, bytes]], str]) -> None:
    folder, files = upstream(tmp_path)
    lock_path = tmp_path / "models.lock"
    lock_path.write_text(lock_text(folder, unrecorded=("model.safetensors",)))
    root = tmp_path / "models"
    assert run_pull(lock_path, NAME, root, HF_ENDPOINT=fake_hub(files)).returncode == 0
    report = verify(load_lock(lock_path), NAME, root)
    assert [(c.path, c.status) for c in report.problems] == [("model.safetensors", FileStatus.UNRECORDED)]
    assert [f.path for f in lock_hashes(lock_path, NAME, root)] == ["model.safetensors"]
    assert verify(load_lock(lock_path), NAME, root).ok


@pytest.mark.parametrize(
    ("served", "problem"),
    [
        ({"model.safetensors": "tampered"}, "model.safetensors: mismatch (sha256 expected"),
        ({"tokenizer_config.json": None}, "tokenizer_config.json: missing"),
    ],
    ids=["tampered-upstream", "file-absent-upstream"],
)
def test_pull_rejects_what_does_not_match_the_lock(
    tmp_path: Path, fake_hub: Callable[[dict[str, bytes]], str], served: dict[str, str | None], problem: str
) -> None:
    folder, files = upstream(tmp_path)
    lock_path = tmp_path / "models.lock"
    lock_path.write_text(lock_text(folder))
    for name, change in served.items():
        if change is None:
            del files[name]
        else:
            files[name] = files[name][:-1] + bytes([files[name][-1] ^ 1])
    root = tmp_path / "models"
    proc = run_pull(lock_path, NAME, root, HF_ENDPOINT=fake_hub(files))
    assert proc.returncode == 3 and "Traceback" not in proc.stderr, proc.stderr
    (line,) = proc.stdout.splitlines()
    assert line.startswith(f"{lock_path}: downloaded {NAME} does not match models.lock: {problem}")
    assert nothing_left(root)


def test_a_pulled_folder_loads_offline_with_the_safe_arguments(tmp_path: Path) -> None:
    """Both weight formats the lock uses load from a plain folder with load_kwargs()."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    config = transformers.M2M100Config(
        vocab_size=64, d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=32,
    )
    torch.manual_seed(0)
    model = transformers.M2M100ForConditionalGeneration(config)
    safe = tmp_path / "safe"
    model.save_pretrained(safe)
    pickled = tmp_path / "pickled"
    pickled.mkdir()
    (pickled / "config.json").write_bytes((safe / "config.json").read_bytes())
    torch.save(model.state_dict(), pickled / "pytorch_model.bin")
    loaded = {}
    for folder in (safe, pickled):
        kwargs = load_kwargs(folder)
        assert kwargs["trust_remote_code"] is False and kwargs["local_files_only"] is True
        loaded[folder.name] = transformers.AutoModelForSeq2SeqLM.from_pretrained(folder, **kwargs)
    for a, b in zip(loaded["safe"].state_dict().values(), loaded["pickled"].state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_importing_the_registry_stays_light() -> None:
    code = (
        "import sys, translate.mt.models, translate.mt.hub; "
        "print(sorted(m for m in ('torch', 'transformers', 'huggingface_hub') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip() == "[]"
