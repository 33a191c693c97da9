"""The Ray executor: chunks of a job spread over a pool of Ray actors.

Each actor (:class:`translate.mt.jobs.ray_worker.TranslationWorker`) loads
the engine once on its node and reports its signature; the pool is refused
before any work is sent when a worker cannot load or verify the model, or
when the workers' signatures differ. Chunks go to whichever actor has a free
slot (``in_flight`` per actor), so faster actors do more. Actors are created
with unlimited restarts and task retries: a worker that dies is restarted
(loading the model again) and its chunks are run again; the driver gets
each chunk's result once.

Ray is imported only here, and only when this executor is chosen.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from translate.mt.jobs.ray_worker import WorkerRequest
from translate.mt.jobs.types import BatchCallback, ChunkResult, EngineSpec, ExecutorSettings, Job, PoolError, PoolState
from translate.mt.types import EngineSignature

log = logging.getLogger(__name__)

INSTALL_HINT = 'pip install "newsroom-translate[ray]"'


def import_ray() -> Any:
    """The ``ray`` module.

    Raises:
        PoolError: Ray is not installed (one line saying what to install).
    """
    try:
        import ray
    except ImportError as error:
        raise PoolError("the ray executor needs Ray, which is not installed", hint=f"install it: {INSTALL_HINT}") from error
    return ray


@dataclass
class _Actor:
    """One actor as the driver sees it: its handle, kind and the process that answered last."""

    handle: Any
    kind: str  # gpu or cpu
    name: str = ""
    pid: int = 0
    busy: int = 0
    done: int = 0
    restarts: int = 0


class RayExecutor:
    """Translate on a pool of Ray actors (see the module docstring).

    Args:
        settings: address, numbers of GPU and CPU workers, chunk size, chunks in flight.
        start_timeout: seconds to wait for every worker to be placed and loaded.
    """

    def __init__(self, settings: ExecutorSettings, *, start_timeout: float = 900.0) -> None:
        self.settings = settings
        self.start_timeout = start_timeout
        self._ray = import_ray()
        self._actors: list[_Actor] = []
        self._signature: EngineSignature | None = None
        self._own_ray = False
        self.model_calls = 0
        self.loads = 0
        self.load_seconds = 0.0

    # ------------------------------------------------------------------ start-up

    def _connect(self) -> None:
        ray = self._ray
        if ray.is_initialized():
            return
        address = self.settings.address
        if address == "auto" and not os.environ.get("RAY_ADDRESS"):
            raise PoolError("address = auto needs RAY_ADDRESS, which is not set", hint="set RAY_ADDRESS=host:6379, or give --address host:6379")
        try:
            if address is None:
                log.info("starting a private Ray on this machine")
                ray.init(include_dashboard=False, configure_logging=False, log_to_driver=False)
            else:
                ray.init(address=address, configure_logging=False, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise PoolError(f"cannot join the Ray cluster at {address}: {str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__}",
                            hint="start it with ray start --head on the head node, or check --address") from error
        self._own_ray = True

    def _check_room(self, gpus: int, cpus: int) -> None:
        resources = self._ray.cluster_resources()
        have_gpus, have_cpus = resources.get("GPU", 0), resources.get("CPU", 0)
        if gpus > have_gpus:
            raise PoolError(f"{gpus} GPU workers asked for, and the Ray cluster has {have_gpus:g} GPUs",
                            hint="join GPU nodes (ray start --address HEAD:6379 --num-gpus N) or ask for fewer gpu_actors")
        if cpus * self.settings.threads > have_cpus:
            raise PoolError(f"{cpus} CPU workers of {self.settings.threads} CPUs asked for, and the Ray cluster has {have_cpus:g} CPUs",
                            hint="ask for fewer cpu_actors or threads, or join more nodes")

    def start(self, spec: EngineSpec) -> EngineSignature:
        """Start the actors, wait until each has loaded the model, and check they agree.

        Raises:
            PoolError: Ray cannot be joined, the cluster lacks the GPUs or CPUs
                asked for, a worker cannot find, verify or load the model
                (the message names its node), or the workers' signatures differ.
        """
        if self._signature is not None:
            return self._signature
        if spec.llm is not None:
            raise PoolError(
                f"the {spec.backend} backend sends sentences to an LLM server, which spreads its own work",
                hint="use --executor local with it; scale the server instead: docs/scale.md",
            )
        from translate.mt.jobs.ray_worker import TranslationWorker

        started = time.perf_counter()
        self._connect()
        gpus, cpus = self.settings.actors
        if gpus and spec.config.device == "cpu":
            raise PoolError("gpu_actors were asked for with [decoding] device = cpu", hint="set device to auto or cuda, or use cpu_actors")
        self._check_room(gpus, cpus)
        remote = self._ray.remote(TranslationWorker)
        options = {"max_restarts": -1, "max_task_retries": -1}  # a dead worker is restarted and its chunks run again
        for resources, request in self.plan(spec):
            kind = "gpu" if resources["num_gpus"] else "cpu"
            self._actors.append(_Actor(remote.options(**resources, **options).remote(request), kind))
        hellos = self._hellos()
        failed = [h for h in hellos if h.error]
        if failed:
            self.close()
            raise PoolError(failed[0].error or "a Ray worker failed to start")
        for actor, hello in zip(self._actors, hellos, strict=True):
            actor.name, actor.pid = hello.name, hello.pid
        signatures = {h.signature for h in hellos}
        if len(signatures) != 1 or None in signatures:
            self.close()
            first, other = hellos[0], next(h for h in hellos if h.signature != hellos[0].signature)
            raise PoolError(
                f"the workers would translate differently: {first.name} runs {_describe(first.signature)}, "
                f"{other.name} runs {_describe(other.signature)}",
                hint="give every worker the same device, dtype or compute type, and the same version of translate and its backend",
            )
        signature = signatures.pop()
        assert signature is not None
        from translate.mt.protect import VERSION as MASK_VERSION

        if signature.mask != MASK_VERSION:
            self.close()
            raise PoolError(f"the workers mask with rules v{signature.mask}, this machine with v{MASK_VERSION}",
                            hint="install the same version of translate on every node")
        self.loads = len(self._actors)
        self.load_seconds = time.perf_counter() - started
        self._signature = signature
        log.info("%d Ray workers ready in %.1f s: %s", len(self._actors), self.load_seconds, signature.describe())
        return signature

    def plan(self, spec: EngineSpec) -> list[tuple[dict[str, float], WorkerRequest]]:
        """The Ray resources and the request of each worker: GPU workers first (device cuda), then CPU workers (device cpu)."""
        gpus, cpus = self.settings.actors
        planned: list[tuple[dict[str, float], WorkerRequest]] = []
        gpu = WorkerRequest(spec.backend, spec.model, dataclasses.replace(spec.config, device="cuda"), spec.options)
        threads = spec.config.threads or self.settings.threads
        cpu = WorkerRequest(spec.backend, spec.model, dataclasses.replace(spec.config, device="cpu", threads=threads), spec.options)
        planned += [({"num_gpus": 1, "num_cpus": 1}, gpu)] * gpus
        planned += [({"num_gpus": 0, "num_cpus": self.settings.threads}, cpu)] * cpus
        return planned

    def _hellos(self) -> list[Any]:
        ray = self._ray
        refs = [actor.handle.hello.remote() for actor in self._actors]
        ready, waiting = ray.wait(refs, num_returns=len(refs), timeout=self.start_timeout)
        if waiting:
            self.close()
            raise PoolError(f"{len(waiting)} of {len(refs)} Ray workers did not start within {self.start_timeout:g} s",
                            hint="check that the cluster has the resources free (ray status) and that the model loads on each node")
        return list(ray.get(refs))

    # ------------------------------------------------------------------ work

    def translate(self, job: Job, on_batch: BatchCallback | None = None) -> Iterator[ChunkResult]:
        """Send the chunks to free actors, ``in_flight`` each; yield each result as it comes back.

        Raises:
            PoolError: a worker failed on a chunk (not a crash: those are retried).
        """
        if self._signature is None:
            raise PoolError("the Ray pool was not started")
        ray = self._ray
        chunks = deque(enumerate(job.chunks()))
        pending: dict[Any, tuple[int, tuple[str, ...], _Actor]] = {}
        try:
            while chunks or pending:
                for actor in self._actors:
                    while chunks and actor.busy < self.settings.in_flight:
                        index, texts = chunks.popleft()
                        pending[actor.handle.translate.remote(texts, job.src, job.tgt)] = (index, texts, actor)
                        actor.busy += 1
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    index, texts, actor = pending.pop(ref)
                    actor.busy -= 1
                    reply = self._get(ref, actor)
                    if reply.pid != actor.pid:
                        actor.restarts += 1
                        self.loads += 1
                        log.warning("Ray worker %s was restarted as %s:%d", actor.name, reply.host, reply.pid)
                        actor.name, actor.pid = f"{reply.host}:{reply.pid}", reply.pid
                    actor.done += len(texts)
                    self.model_calls += reply.calls
                    yield ChunkResult(index, texts, reply.translations, actor.name, reply.calls)
        finally:
            for ref in pending:  # stopped early (an error, Ctrl-C): queued chunks are dropped
                try:
                    ray.cancel(ref)
                except Exception:  # noqa: BLE001 - cancelling is best effort; close() kills the actors
                    pass

    def _get(self, ref: Any, actor: _Actor) -> Any:
        try:
            return self._ray.get(ref)
        except self._ray.exceptions.RayTaskError as error:
            cause = getattr(error, "cause", None) or error
            first = str(cause).strip().splitlines()[-1] if str(cause).strip() else type(cause).__name__
            raise PoolError(f"worker {actor.name} failed on a chunk: {first}") from error

    def state(self) -> PoolState:
        return PoolState(len(self._actors), len(self._actors), sum(a.restarts for a in self._actors))

    def pids(self) -> list[int]:
        """Process ids of the workers, as they last answered (tests kill one)."""
        return [actor.pid for actor in self._actors]

    def close(self) -> None:
        """Stop the actors, and the private Ray if this executor started one."""
        ray = self._ray
        for actor in self._actors:
            try:
                ray.kill(actor.handle, no_restart=True)
            except Exception:  # noqa: BLE001 - an actor that is gone already
                pass
        self._actors = []
        if self._own_ray and ray.is_initialized():
            ray.shutdown()
            self._own_ray = False


def _describe(signature: EngineSignature | None) -> str:
    return signature.describe() + f" ({signature.settings})" if signature is not None else "nothing"
