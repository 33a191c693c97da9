"""What travels between the machine-translation service and an executor."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from translate.errors import ConfigError, TranslateError
from translate.languages import Language
from translate.mt.decoding import DecodingConfig
from translate.mt.models import ResolvedModel
from translate.mt.types import EngineSignature, SentenceContext, Translation

if TYPE_CHECKING:
    from translate.mt.llm.settings import LLMSettings

#: Distinct sentences per chunk: the unit of work of an executor, and of what an
#: interrupted run keeps (each finished chunk goes to the memory at once).
CHUNK = 256
EXECUTORS = ("local", "ray")


class PoolError(TranslateError):
    """The workers of a pool cannot translate: a model they cannot find or verify, signatures that disagree, Ray missing."""


@dataclass(frozen=True)
class EngineSpec:
    """Which engine the run asks for: backend, model and decoding settings (and an LLM server's prompt settings).

    ``options`` go to the engine class (the fake engine's ``delay``); they never change the text.
    """

    backend: str
    model: ResolvedModel
    config: DecodingConfig
    llm: LLMSettings | None = None
    options: tuple[tuple[str, float], ...] = field(default=(), compare=False)

    @property
    def takes_context(self) -> bool:
        """Whether the engine translates each sentence with its place in the article (an LLM)."""
        return self.llm is not None

    def settings_for(self, tgt: Language | None, signature: EngineSignature | None = None) -> str:
        """The signature of output in ``tgt``: an LLM's prompt template depends on the language; else the engine's."""
        if self.llm is not None:
            return self.llm.signature(self.config, tgt)
        return (signature or self.predicted()).settings

    def predicted(self) -> EngineSignature:
        """The signature an engine loaded on this machine would report (nothing is loaded)."""
        from translate.mt.engine import predict_signature

        return predict_signature(self.backend, self.model, self.config)

    @property
    def settings(self) -> str:
        """Backend and decoding signature of an engine loaded here: part of the memory key and the provenance."""
        return self.predicted().settings


@dataclass(frozen=True)
class Job:
    """Deduplicated sentences that need the model, masked, in one language pair.

    Attributes:
        texts: the sentences as the model sees them (after masking), each once.
        src, tgt: the languages.
        chunk: sentences per unit of work.
        contexts: for an engine that translates with context, each text's
            place in its article (one per text); empty otherwise.
    """

    texts: tuple[str, ...]
    src: Language
    tgt: Language
    chunk: int = CHUNK
    contexts: tuple[SentenceContext, ...] = ()

    def chunks(self) -> list[tuple[str, ...]]:
        """The texts cut into chunks, in order; chunk ``i`` is result ``index`` ``i``."""
        return [self.texts[start : start + self.chunk] for start in range(0, len(self.texts), self.chunk)]

    def chunk_contexts(self, index: int) -> tuple[SentenceContext, ...]:
        """The contexts of chunk ``index`` (empty when the job has none)."""
        return self.contexts[index * self.chunk : (index + 1) * self.chunk]


@dataclass(frozen=True)
class ChunkResult:
    """The translations of one chunk of a job.

    Attributes:
        index: the chunk's position in :meth:`Job.chunks`.
        texts: the chunk's texts; ``translations`` has one per text, in order.
        worker: who translated it (``local``, or ``<host>:<pid>`` of a Ray actor).
        calls: model calls it took.
    """

    index: int
    texts: tuple[str, ...]
    translations: tuple[Translation, ...]
    worker: str = "local"
    calls: int = 0


@dataclass(frozen=True)
class PoolState:
    """How many workers a pool has, how many are up, how often one was restarted.

    ``alive`` counts workers started and not stopped: one that Ray is
    restarting still counts (Ray keeps its chunks), and its restart is
    counted in ``restarts`` when it answers again, as a new process.
    """

    workers: int
    alive: int
    restarts: int = 0


@dataclass(frozen=True)
class TranslateProgress:
    """How far the model work of one language is: ``done`` of ``total`` distinct sentences."""

    lang: str
    done: int
    total: int
    pool: PoolState


@dataclass(frozen=True)
class ExecutorSettings:
    """Where the model work runs: ``[executor]`` of translate.toml, then the flags.

    Attributes:
        kind: ``local`` (in this process, the default) or ``ray``.
        address: Ray only: the cluster to join (``auto``: ``RAY_ADDRESS``);
            ``None`` starts a private Ray on this machine for the run.
        gpu_actors: Ray only: workers with one GPU each.
        cpu_actors: Ray only: CPU workers with ``threads`` CPUs each (0 and
            no GPU workers: one CPU worker).
        threads: CPUs of each CPU worker (also its engine's threads).
        chunk: distinct sentences per unit of work.
        in_flight: chunks queued on each worker at once.
        wave: sync: articles extracted, translated and published together.
    """

    kind: str = "local"
    address: str | None = None
    gpu_actors: int = 0
    cpu_actors: int = 0
    threads: int = 1
    chunk: int = CHUNK
    in_flight: int = 2
    wave: int = 500

    def __post_init__(self) -> None:
        problems = []
        if self.kind not in EXECUTORS:
            problems.append(f"kind must be one of {', '.join(EXECUTORS)}, not {self.kind!r}")
        if self.gpu_actors < 0 or self.cpu_actors < 0:
            problems.append("gpu_actors and cpu_actors must not be negative")
        if self.threads < 1:
            problems.append("threads must be at least 1")
        if self.chunk < 1 or self.in_flight < 1 or self.wave < 1:
            problems.append("chunk, in_flight and wave must be at least 1")
        if problems:
            raise ConfigError("invalid [executor] settings: " + "; ".join(problems), hint="see docs/scale.md")

    @property
    def actors(self) -> tuple[int, int]:
        """``(GPU workers, CPU workers)`` of a Ray pool: one CPU worker when none is asked for."""
        if self.gpu_actors == 0 and self.cpu_actors == 0:
            return 0, 1
        return self.gpu_actors, self.cpu_actors


_SETTINGS = {"kind": str, "address": str, "gpu_actors": int, "cpu_actors": int, "threads": int, "chunk": int, "in_flight": int, "wave": int}


def executor_settings(*layers: Mapping[str, Any] | None, path: str | None = None) -> ExecutorSettings:
    """Executor settings from layers applied in order (later wins): ``[executor]`` of translate.toml, then flags.

    ``None`` values are ignored (a flag that was not given).

    Raises:
        ConfigError: an unknown key or a value of the wrong type or range.
    """
    values: dict[str, Any] = {}
    for layer in layers:
        for key, value in (layer or {}).items():
            name = key.replace("-", "_")
            if name not in _SETTINGS:
                raise ConfigError(f"[executor] has an unknown setting {key!r}", path=path, hint="known: " + ", ".join(sorted(_SETTINGS)))
            if value is None:
                continue
            kind = _SETTINGS[name]
            if isinstance(value, bool) or not isinstance(value, kind):
                raise ConfigError(f"[executor] {key} must be {'a whole number' if kind is int else 'a string'}, not {value!r}", path=path)
            values[name] = value
    try:
        return ExecutorSettings(**values)
    except ConfigError as error:
        error.path = error.path or path
        raise


BatchCallback = Callable[[int], None]


class Executor(Protocol):
    """Runs the model work of a run: local (in this process) or on a pool of workers.

    ``start`` is called once before anything is looked up in the memory (its
    signature is part of every key); ``translate`` yields each chunk's
    result as soon as it is done, in any order; ``close`` releases the workers.
    """

    #: model calls made so far (all workers)
    model_calls: int
    #: model loads so far (a restarted worker loads again)
    loads: int
    #: seconds spent loading models before the first result (start-up)
    load_seconds: float

    def start(self, spec: EngineSpec) -> EngineSignature:
        """Prepare the workers and return the signature they all report.

        Raises:
            PoolError: a worker cannot load or verify the model, or the workers disagree.
        """
        ...

    def translate(self, job: Job, on_batch: BatchCallback | None = None) -> Iterator[ChunkResult]:
        """Translate ``job``, yielding each chunk as it finishes; ``on_batch`` hears of finished batches inside chunks where the executor can tell."""
        ...

    def state(self) -> PoolState:
        """Workers and how many are alive."""
        ...

    def close(self) -> None:
        """Stop the workers (nothing is left half-written: results reach the caller whole)."""
        ...
