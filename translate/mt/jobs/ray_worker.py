"""What runs inside a Ray actor: find and verify the model on its node, load the engine once, translate chunks.

Nothing here imports Ray: :mod:`translate.mt.jobs.ray_pool` wraps
:class:`TranslationWorker` with ``ray.remote`` on the driver, and Ray imports
this module by name on each worker (so the model is loaded once per actor,
not once per task, and every node needs ``translate`` installed).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.errors import TranslateError
from translate.languages import Language
from translate.mt.decoding import DecodingConfig
from translate.mt.models import ResolvedModel, models_dir, sha256_file
from translate.mt.types import EngineSignature, Translation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerRequest:
    """What a worker loads: backend, the model as the driver names it, decoding settings, engine options."""

    backend: str
    model: ResolvedModel
    config: DecodingConfig
    options: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Hello:
    """A worker's answer after loading: its signature, or the one-line error that stopped it."""

    host: str
    pid: int
    signature: EngineSignature | None
    error: str | None = None

    @property
    def name(self) -> str:
        return f"{self.host}:{self.pid}"


@dataclass(frozen=True)
class Reply:
    """The translations of one chunk, with who made them and the model calls it took."""

    translations: tuple[Translation, ...]
    calls: int
    host: str
    pid: int


def locate(model: ResolvedModel, backend: str, host: str) -> ResolvedModel:
    """The model on this node: a locked model in this node's models folder, or the same local folder.

    A locked model is looked for under its name and revision in
    :func:`translate.mt.models.models_dir` of this node (its files are then
    checked against their sha256 when the engine loads). A local folder must
    be readable here at the driver's path and hold the same ``config.json``.

    Raises:
        TranslateError: the model is missing or differs, with the node named.
    """
    if backend == "fake":
        return model
    if model.revision.startswith("local-"):
        folder = Path(model.path)
        config = folder / "config.json"
        if not config.is_file():
            raise TranslateError(f"on {host}: no model folder at {folder}", hint="copy the folder to the same path on every node, or use a model from models.lock")
        revision = "local-" + sha256_file(config)[:12]
        if revision != model.revision:
            raise TranslateError(f"on {host}: the model folder {folder} is not the driver's ({revision}, driver {model.revision})",
                                 hint="copy the same folder to every node")
        return model
    folder = models_dir() / model.name / model.revision
    missing = [f.path for f in model.files if not (folder / f.path).is_file()]
    if not folder.is_dir() or missing:
        what = "is not" if not folder.is_dir() else f"is incomplete ({', '.join(missing[:3])} missing)"
        raise TranslateError(f"on {host}: model {model.name} revision {model.revision[:12]} {what} in {folder}",
                             hint=f"run translate models pull {model.name} on that node (or set TRANSLATE_MODELS there)")
    return dataclasses.replace(model, path=folder)


class TranslationWorker:
    """One engine on one node, loaded when the actor starts.

    A load that fails is kept as a one-line message for :meth:`hello`
    instead of raising, so the driver can stop the run and name the node.
    """

    def __init__(self, request: WorkerRequest) -> None:
        from translate.mt.engine import create_engine

        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.engine = None
        self.error: str | None = None
        try:
            model = locate(request.model, request.backend, self.host)
            self.engine = create_engine(request.backend, model, request.config, options=dict(request.options))
        except TranslateError as error:
            message = str(error)
            self.error = message if message.startswith(("on ", f"{self.host}")) else f"on {self.host}: {message}"
        except Exception as error:  # noqa: BLE001 - any failure to load is reported with the node's name
            self.error = f"on {self.host}: cannot load the engine: {type(error).__name__}: {error}".splitlines()[0]

    def hello(self) -> Hello:
        """The signature of the loaded engine, or why it could not be loaded."""
        signature = getattr(self.engine, "signature", None) if self.engine is not None else None
        return Hello(self.host, self.pid, signature, self.error)

    def translate(self, texts: Sequence[str], src: Language, tgt: Language) -> Reply:
        """Translate one chunk."""
        if self.engine is None:
            raise RuntimeError(self.error or "no engine")
        before = self.engine.model_calls
        translations = self.engine.translate(list(texts), src, tgt)
        return Reply(tuple(translations), self.engine.model_calls - before, self.host, self.pid)
