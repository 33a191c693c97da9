"""End to end: ``translate run`` over one article, and where its time goes.

``mt_speed.py`` writes the benchmark sentences as a plain-text article and runs
this file in a fresh process (``python benchmarks/mt_e2e.py REPORT -- ARGS``),
which runs the real click command line (``translate ARGS``) in that process
with light instrumentation: every ``Engine.translate`` call is timed (the
engine-only time), and so are the fixed costs around it (imports, model load,
extraction, catalog writes, publishing). The output length is forced to the
benchmark's 48 tokens, as in the other settings, and the report is written to
``REPORT`` as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
STARTED_AT = time.time()  # wall clock, to compare with the parent's
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


@dataclass
class Timings:
    """Seconds spent in each part of one ``translate run`` (measured inside its process)."""

    imports_s: float = 0.0  # importing translate's command line and library
    load_s: float = 0.0  # creating the engine (heavy imports, tokenizer, model) and models it loads on first use
    engine_s: float = 0.0  # Engine.translate calls: the machine translation itself
    engine_cpu_s: float = 0.0  # CPU time of this process during those calls
    engine_stall_s: float = 0.0  # time some task waited for a CPU during those calls (other work)
    extract_s: float = 0.0  # reading, segmenting, writing templates and catalogs
    catalog_write_s: float = 0.0  # writing machine suggestions into the catalogs
    publish_s: float = 0.0  # writing the localized article
    total_s: float = 0.0  # from this process's first line to the end of the command
    started_at: float = 0.0  # time.time() at this process's first line
    finished_at: float = 0.0  # time.time() at the end of the command (the process still has to exit)
    sentences: int = 0  # sentences the engine translated


def article_text(sentences: list[str], per_paragraph: int = 4) -> str:
    """A plain-text article holding ``sentences`` in paragraphs (and nothing else to translate)."""
    paragraphs = [" ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)]
    return "\n\n".join(paragraphs) + "\n"


def decoding_toml(decoding: dict[str, Any]) -> str:
    """A ``translate.toml`` ``[decoding]`` table."""
    lines = ["[decoding]"]
    for key, value in decoding.items():
        lines.append(f"{key} = {json.dumps(value) if not isinstance(value, bool) else str(value).lower()}")
    return "\n".join(lines) + "\n"


def _timed(timings: Timings, attribute: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            setattr(timings, attribute, getattr(timings, attribute) + time.perf_counter() - start)

    return wrapper


def instrument(timings: Timings, backend: str | None = None) -> None:
    """Wrap the library functions that ``translate run`` calls, to time them.

    Args:
        backend: load this engine backend whatever ``--backend`` says (for a
            backend the command line does not offer yet).
    """
    from mt_settings import (
        cpu_seconds,
        cpu_stall_seconds,
        engine_for,
        force_length,
        lazy_load_seconds,
    )

    from translate import api
    from translate.mt import service

    api.extract = _timed(timings, "extract_s", api.extract)
    api.publish = _timed(timings, "publish_s", api.publish)
    service._write = _timed(timings, "catalog_write_s", service._write)
    load_engine = api.load_engine

    def load_and_wrap(settings: Any, model: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        engine = engine_for(backend, model, settings.decoding) if backend else load_engine(settings, model, *args, **kwargs)
        force_length(engine)
        timings.load_s += time.perf_counter() - start
        translate = engine.translate

        def timed_translate(sentences: Any, src: Any, tgt: Any) -> Any:
            begin, cpu, stall, lazy = time.perf_counter(), cpu_seconds(), cpu_stall_seconds(), lazy_load_seconds(engine)
            out = translate(sentences, src, tgt)
            loading = lazy_load_seconds(engine) - lazy  # a translator loaded on first use is load, not MT
            timings.load_s += loading
            timings.engine_s += time.perf_counter() - begin - loading
            timings.engine_cpu_s += cpu_seconds() - cpu
            timings.engine_stall_s += cpu_stall_seconds() - stall
            timings.sentences += len(sentences)
            return out

        engine.translate = timed_translate
        return engine

    api.load_engine = load_and_wrap


def inner(report: Path, args: list[str], backend: str | None = None) -> None:
    """Run ``translate ARGS`` in this process, instrumented; write the timings to ``report``."""
    timings = Timings()
    start = time.perf_counter()
    from translate.cli import cli

    instrument(timings, backend)
    timings.imports_s = time.perf_counter() - start
    try:
        cli.main(args=args, prog_name="translate", standalone_mode=False)
    finally:
        timings.total_s = time.perf_counter() - STARTED
        timings.started_at, timings.finished_at = STARTED_AT, time.time()
        report.write_text(json.dumps(asdict(timings)), encoding="utf-8")


def cli_backends() -> tuple[str, ...]:
    """The backends ``translate run --backend`` accepts."""
    from translate.cli.mt import run

    option = next(p for p in run.params if p.name == "backend")
    return tuple(option.type.choices)  # type: ignore[attr-defined]


if __name__ == "__main__":
    # mt_e2e.py REPORT [--engine BACKEND] -- ARGS
    own_args = sys.argv[1 : sys.argv.index("--")]
    forced = own_args[own_args.index("--engine") + 1] if "--engine" in own_args else None
    inner(Path(own_args[0]), sys.argv[sys.argv.index("--") + 1 :], forced)
