"""Progress on stderr: one implementation for mt, run and sync; lines when stderr is not a terminal."""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA

from translate.cli import cli
from translate.cli.progress import Progress, clock_text, interval_from_environment

LINE = re.compile(r"^(mt|run): translate km (\d+)/(\d+) sentences, (.*)$")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_lines_every_interval_with_rate_and_eta_from_the_first_sentences() -> None:
    clock, stream = Clock(), io.StringIO()
    progress = Progress("mt", stream, every=10, tty=False, clock=clock, heartbeat=False)
    count = progress.counter("translate km", "sentences")
    count(0, 1000)
    clock.now = 30.0  # the model loaded for 26 s, then 4 sentences took 4 s
    count(4, 1000)
    for done in range(5, 101):
        clock.now = 30.0 + (done - 4)  # one sentence a second from then on
        count(done, 1000)
    clock.now = 1000.0
    count(1000, 1000)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "mt: translate km 4/1000 sentences, 8.0 sentences/min, ETA 2:04:30"  # first ETA: loading included
    assert lines[1] == "mt: translate km 14/1000 sentences, 1.0 sentences/s, ETA 16:26"  # then measured after the first sentences
    assert len(lines) == 1 + 96 // 10 + 1
    assert lines[-1] == "mt: translate km 1000/1000 sentences, done in 16:40"


def test_one_done_line_however_often_the_total_is_reported() -> None:
    clock, stream = Clock(), io.StringIO()
    progress = Progress("mt", stream, every=10, tty=False, clock=clock, heartbeat=False)
    count = progress.counter("translate km", "sentences")
    count(0, 24)
    for now, done in ((2.0, 4), (3.0, 24), (4.0, 24), (5.0, 24)):  # retried batches report the total again
        clock.now = now
        count(done, 24)
    progress.close()
    assert stream.getvalue().splitlines() == ["mt: translate km 4/24 sentences, 2.0 sentences/s, ETA 0:10", "mt: translate km 24/24 sentences, done in 0:03"]


def test_the_heartbeat_speaks_while_the_model_loads_and_a_quick_failure_prints_nothing() -> None:
    stream = io.StringIO()
    with Progress("mt", stream, every=0.1, tty=False) as progress:
        progress.update("translate km", "sentences", 0, 100)
    assert stream.getvalue() == ""  # stopped at once: no progress line before the error line
    with Progress("mt", stream, every=0.1, tty=False) as progress:
        progress.update("translate km", "sentences", 0, 100)
        time.sleep(0.35)
    lines = stream.getvalue().splitlines()
    assert lines and all(re.fullmatch(r"mt: translate km 0/100 sentences, 0:00 so far, first sentences under way", line) for line in lines)


def test_a_line_every_interval_while_a_long_batch_runs() -> None:
    stream = io.StringIO()
    with Progress("mt", stream, every=0.1, tty=False) as progress:
        progress.update("translate km", "sentences", 0, 100)
        progress.update("translate km", "sentences", 4, 100)
        time.sleep(0.6)  # no update: the heartbeat keeps writing
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 5
    assert all(line.startswith("mt: translate km 4/100 sentences, ") and "ETA" in line for line in lines)


def test_a_terminal_gets_one_redrawn_line_with_a_bar() -> None:
    clock, stream = Clock(), io.StringIO()
    progress = Progress("run", stream, tty=True, clock=clock, heartbeat=False)
    progress.update("translate km", "sentences", 0, 8)
    clock.now = 2.0
    progress.update("translate km", "sentences", 4, 8)
    progress.close()
    out = stream.getvalue()
    assert out.count("\r\x1b[2K") == 2 and out.endswith("\n") and out.count("\n") == 1
    assert "run: translate km [############------------] 4/8 sentences, 2.0 sentences/s, ETA 0:02" in out


def test_a_new_language_starts_a_new_phase() -> None:
    clock, stream = Clock(), io.StringIO()
    progress = Progress("mt", stream, every=1000, tty=False, clock=clock, heartbeat=False)
    progress.update("translate km", "sentences", 0, 10)
    progress.update("translate km", "sentences", 10, 10)
    progress.update("translate th", "sentences", 0, 10)
    progress.update("translate th", "sentences", 5, 10)
    progress.close()
    assert [line.split(",")[0] for line in stream.getvalue().splitlines()] == [
        "mt: translate km 10/10 sentences",
        "mt: translate th 5/10 sentences",
    ]


@pytest.mark.parametrize(("value", "expected"), [("", 10.0), ("2.5", 2.5), ("0", 0.0), ("soon", 10.0), ("-3", 0.0)])
def test_interval_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str, expected: float) -> None:
    monkeypatch.setenv("TRANSLATE_PROGRESS_INTERVAL", value)
    assert interval_from_environment() == expected


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 59.6, 61, 3600, 7325)] == ["0:00", "1:00", "1:01", "1:00:00", "2:02:05"]


@pytest.mark.parametrize(("command", "retry"), [("mt", False), ("run", False), ("run", True)])
def test_mt_and_run_write_progress_lines_when_stderr_is_not_a_terminal(
    workdir: Path, tiny_nllb_folder: Path, command: str, retry: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRANSLATE_PROGRESS_INTERVAL", "0")  # a line for every update
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    (workdir / "translate.toml").write_text("[decoding]\nmax_new_tokens_factor = 0.2\nmax_new_tokens_extra = 1\n", encoding="utf-8")
    if command == "mt":
        assert CliRunner().invoke(cli, ["extract", "wages.txt", "--to", "km"]).exit_code == 0
    args = [command, "wages.txt", "--to", "km", "--model", str(tiny_nllb_folder), "--memory", str(workdir / "tm.sqlite3"), "--beam-size", "1"]
    args.append("--retry" if retry else "--no-retry")  # retried batches (the tiny model hits the length cap) are not progress
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = [LINE.match(line) for line in result.stderr.splitlines() if LINE.match(line)]
    assert lines, result.stderr
    total = int(lines[0].group(3))
    assert int(lines[0].group(2)) == 4  # the first small batch gives the first rate
    assert "sentences/" in lines[0].group(4) and "ETA" in lines[0].group(4)
    assert int(lines[-1].group(2)) == total and lines[-1].group(4).startswith("done in")
    assert sum(m.group(4).startswith("done in") for m in lines) == 1
    assert all(m.group(1) == command for m in lines)
