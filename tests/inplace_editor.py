"""An editor that saves a file in place, with a pause in the middle: run as a separate process by the tests.

    python inplace_editor.py TARGET CONTENT --cut header|half --pause SECONDS [--reopen] [--ready FILE] [--until FILE]

Saves the bytes of CONTENT into TARGET as editors that write in place do:
truncate TARGET, write its first part (the PO header, or the first half of
the entries), pause, write the rest. With ``--reopen`` the file is closed
during the pause and opened again to append the rest (nobody has it open
while it is cut short); without it the file stays open for writing, as in
most editors. It prints ``paused`` (and writes FILE, when given) once the
first part is on disk, and ``saved`` at the end. With ``--until`` the pause
ends as soon as FILE exists (``--pause`` is then the longest wait), so a test
can keep the save half done for exactly as long as a command runs, however
slow the machine is.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def split(content: bytes, cut: str) -> int:
    """Where the first part ends: after the header entry, or after half of the entries."""
    blocks = content.split(b"\n\n")
    keep = 1 if cut == "header" else max(1, len(blocks) // 2)
    return len(b"\n\n".join(blocks[:keep])) + 2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("target", type=Path)
    parser.add_argument("content", type=Path)
    parser.add_argument("--cut", choices=["header", "half"], default="header")
    parser.add_argument("--pause", type=float, default=1.0)
    parser.add_argument("--reopen", action="store_true")
    parser.add_argument("--ready", type=Path)
    parser.add_argument("--until", type=Path)
    args = parser.parse_args()
    content = args.content.read_bytes()
    at = split(content, args.cut)
    handle = open(args.target, "r+b")  # noqa: SIM115 (held open across the pause, as an editor does)
    handle.truncate(0)
    handle.write(content[:at])
    handle.flush()
    os.fsync(handle.fileno())
    if args.reopen:
        handle.close()
    print("paused", flush=True)
    if args.ready:
        args.ready.write_text("paused", encoding="utf-8")
    if args.until is None:
        time.sleep(args.pause)
    else:
        deadline = time.monotonic() + args.pause
        while not args.until.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    if args.reopen:
        handle = open(args.target, "ab")  # noqa: SIM115
    handle.write(content[at:])
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()
    print("saved", flush=True)


if __name__ == "__main__":
    sys.exit(main())
