"""The Ray executor on a real local Ray (2 CPUs, one cluster for the module): same output as local,
a real tiny model, a worker killed mid-run, workers that disagree, Ray missing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import FROZEN_NOW
from test_sync import env, make_workspace, tree
from translate.api import Workspace, extract
from translate.errors import TranslateError
from translate.languages import language
from translate.mt.decoding import DecodingConfig
from translate.mt.jobs import EngineSpec, ExecutorSettings, Job, PoolError, TranslateProgress
from translate.mt.jobs.local import LocalExecutor
from translate.mt.memory import TranslationMemory
from translate.mt.service import machine_translate
from translate.workspace.setup import FAKE_MODEL

EN, KM = language("en"), language("km")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """One local Ray for every test of the module; its address, for processes that join it."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, configure_logging=False, log_to_driver=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


def memory_rows(path: Path) -> list[tuple[str, ...]]:
    """Every machine translation of a memory, without the time it was written."""
    with sqlite3.connect(path) as db:
        return sorted(db.execute("SELECT source, src, tgt, model, revision, settings, target, issues FROM machine"))


def test_sync_through_ray_gives_the_same_catalogs_memory_and_site(tmp_path: Path, cluster: str) -> None:
    local = make_workspace(tmp_path / "local", articles=9)
    pooled = make_workspace(tmp_path / "ray", articles=9, extra="\n[executor]\nkind = \"ray\"\nchunk = 16\nwave = 4\n")
    done = subprocess.run([sys.executable, "-m", "translate", "sync", "--json"], cwd=local, env=env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    command = [sys.executable, "-m", "translate", "sync", "--json", "--address", cluster, "--cpu-actors", "2"]
    proc = subprocess.run(command, cwd=pooled, env=env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert tree(pooled) == tree(local)
    assert memory_rows(pooled / ".translate" / "memory.sqlite3") == memory_rows(local / ".translate" / "memory.sqlite3")
    report, reference = json.loads(proc.stdout), json.loads(done.stdout)
    assert report["model"]["loads"] == 2 and report["sentences"] == reference["sentences"]
    assert report["sentences"]["translated"] > 100
    # progress is reported on a pipe too, for each of the 3 waves
    assert "sync: translate km, wave 3/3" in proc.stderr and "workers 2/2" in proc.stderr
    again = subprocess.run(command, cwd=pooled, env=env(), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and json.loads(again.stdout)["model"]["loads"] == 0  # nothing changed: no pool started


def test_a_real_tiny_model_translates_the_same_through_ray(tiny_nllb_folder: Path, cluster: str) -> None:
    from translate.mt.engine import create_engine
    from translate.mt.jobs.ray_pool import RayExecutor
    from translate.mt.models import resolve_model
    from translate.mt.setup import _empty_lock

    model = resolve_model(str(tiny_nllb_folder), _empty_lock(), Path("."))
    config = DecodingConfig(beam_size=1, retry=False, max_new_tokens_factor=0.5, max_new_tokens_extra=2)
    spec = EngineSpec("transformers", model, config)
    sentences = tuple(f"The council in province {n} said on Monday that rice prices rose by {n} percent." for n in range(12))
    job = Job(sentences, EN, KM, chunk=4)
    local = LocalExecutor(lambda: create_engine("transformers", model, config))
    expected_signature = local.start(spec)
    expected = {r.index: r.translations for r in local.translate(job)}
    pool = RayExecutor(ExecutorSettings(kind="ray", cpu_actors=1, chunk=4))  # one worker: torch is slow to import on 2 cores
    try:
        assert pool.start(spec) == expected_signature
        results = list(pool.translate(job))
    finally:
        pool.close()
    assert {r.index: r.translations for r in results} == expected
    assert all(r.worker != "local" and r.calls > 0 for r in results)
    assert expected_signature.settings.startswith("transformers|") and expected_signature.device == "cpu"


def test_a_worker_killed_mid_run_is_restarted_and_every_sentence_is_stored_once(workdir: Path, cluster: str) -> None:
    from translate.mt.jobs.ray_pool import RayExecutor

    article = workdir / "long.txt"
    article.write_text("A long story\n\n" + "\n\n".join(f"Paragraph {n} says that the price rose by {n} percent in March." for n in range(240)) + "\n", encoding="utf-8")
    [result] = extract([article], [KM], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    assert result.error is None
    pool = RayExecutor(ExecutorSettings(kind="ray", cpu_actors=2, chunk=8, in_flight=1))
    spec = EngineSpec("fake", FAKE_MODEL, DecodingConfig(), options=(("delay", 0.01),))
    killed: list[int] = []

    def kill_after_the_first_result(event: TranslateProgress) -> None:
        if event.done > 0 and not killed:
            killed.append(pool.pids()[1])
            os.kill(killed[0], signal.SIGKILL)

    try:
        with TranslationMemory(workdir / "memory.sqlite3") as memory:
            run = machine_translate([(article, "long")], [KM], workdir / "locales", spec, None, memory,
                                    progress=kill_after_the_first_result, executor=pool, chunk=8)
    finally:
        restarts = pool.state().restarts
        pids = pool.pids()
        pool.close()
    assert killed and killed[0] not in pids and restarts == 1
    assert run.errors == () and run.translated == run.sentences == 241
    rows = memory_rows(workdir / "memory.sqlite3")
    assert len(rows) == len({row[0] for row in rows}) == 241
    catalog = (workdir / "locales" / "km" / "LC_MESSAGES" / "long.po").read_text(encoding="utf-8")
    assert catalog.count('msgstr "[km] ') == 241


def test_ctrl_c_stops_the_workers_and_the_next_run_resumes_from_the_memory(tmp_path: Path, cluster: str) -> None:
    import time

    import ray

    root = make_workspace(tmp_path / "ws", articles=6, delay=0.3)  # slow enough that the run is still translating when Ctrl-C arrives
    command = [sys.executable, "-m", "translate", "sync", "--json", "--executor", "ray", "--address", cluster, "--cpu-actors", "2", "--chunk", "4"]
    proc = subprocess.Popen(command, cwd=root, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("sync: translate km") and not line.startswith("sync: translate km 0/"):
            break
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=120)
    assert proc.returncode == 1  # click's "Aborted!"
    deadline = time.monotonic() + 30
    while ray.available_resources().get("CPU", 0) < 2 and time.monotonic() < deadline:  # the workers gave their CPUs back
        time.sleep(0.2)
    assert ray.available_resources().get("CPU", 0) == 2
    kept = memory_rows(root / ".translate" / "memory.sqlite3")
    assert kept and all(row[6] == f"[{row[2]}] {row[0]}" for row in kept)  # whole chunks only
    assert not list(root.rglob("*.tmp"))
    again = subprocess.run(command, cwd=root, env=env(), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["sentences"]["memory_hits"] >= len(kept) > 0 and report["partial"] is False


class _DisagreeingPool:
    """A pool whose second worker is given other decoding settings, as a node with another configuration would be."""

    @staticmethod
    def make() -> object:
        from translate.mt.jobs.ray_pool import RayExecutor

        class Disagreeing(RayExecutor):
            def plan(self, spec: EngineSpec) -> list:  # type: ignore[type-arg]
                import dataclasses

                planned = super().plan(spec)
                resources, request = planned[1]
                planned[1] = (resources, dataclasses.replace(request, config=dataclasses.replace(request.config, beam_size=5)))
                return planned

        return Disagreeing(ExecutorSettings(kind="ray", cpu_actors=2))


def test_workers_that_would_translate_differently_are_refused_before_any_work(cluster: str) -> None:
    pool = _DisagreeingPool.make()
    with pytest.raises(PoolError) as caught:
        pool.start(EngineSpec("fake", FAKE_MODEL, DecodingConfig()))  # type: ignore[attr-defined]
    message = str(caught.value)
    assert "\n" not in message and "the workers would translate differently" in message
    assert "beam:4" in message and "beam:5" in message
    assert pool.pids() == []  # type: ignore[attr-defined]


def test_a_worker_without_the_model_stops_the_run_naming_its_node(tmp_path: Path, cluster: str) -> None:
    import socket

    from translate.mt.jobs.ray_pool import RayExecutor
    from translate.mt.lockfile import LockedFile
    from translate.mt.models import ResolvedModel

    locked = ResolvedModel("nllb-200-distilled-600M", tmp_path / "driver-copy", "nllb", "f" * 40, "CC-BY-NC-4.0", "facebook/nllb-200-distilled-600M",
                           False, (LockedFile("config.json", "0" * 64, 10),))
    pool = RayExecutor(ExecutorSettings(kind="ray", cpu_actors=1))
    with pytest.raises(PoolError) as caught:
        pool.start(EngineSpec("transformers", locked, DecodingConfig()))
    message = str(caught.value)
    assert "\n" not in message and f"on {socket.gethostname()}: model nllb-200-distilled-600M revision ffffffffffff is not in" in message
    assert "translate models pull nllb-200-distilled-600M" in message


NO_RAY = "import sys; sys.modules['ray'] = None; from translate.cli import main; sys.argv[0] = 'translate'; main()"


def test_ray_executor_without_ray_installed_says_what_to_install(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", articles=2)
    proc = subprocess.run([sys.executable, "-c", NO_RAY, "sync", "--executor", "ray"], cwd=root, env=env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ['Error: the ray executor needs Ray, which is not installed (install it: pip install "newsroom-translate[ray]")']
    assert not (root / "locales").exists()  # said before any work


def test_a_local_run_never_imports_ray(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", articles=2)
    script = "import sys; from translate.cli import main; sys.argv[0] = 'translate'\ntry:\n    main()\nfinally:\n    print(sorted(m for m in sys.modules if m == 'ray' or m.startswith('ray.')), file=sys.stderr)"
    proc = subprocess.run([sys.executable, "-c", script, "sync"], cwd=root, env=env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "[]"
    assert (root / "site" / "story-001.km.txt").is_file()


def test_executor_settings_are_checked_with_the_file_named(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", articles=1, extra="\n[executor]\nkind = \"dask\"\n")
    proc = subprocess.run([sys.executable, "-m", "translate", "sync"], cwd=root, env=env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"Error: {root / 'translate.toml'}: invalid [executor] settings: kind must be one of local, ray, not 'dask' (see docs/scale.md)"]
    with pytest.raises(TranslateError, match="in_flight"):
        ExecutorSettings(in_flight=0)
