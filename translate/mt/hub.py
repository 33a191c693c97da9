"""Downloading locked models from the Hugging Face hub, and recording their hashes in models.lock.

``huggingface_hub`` is imported only inside :func:`pull`, when a download
really starts: listing, verifying and loading models never touch it.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from translate.mt.models import (
    FileStatus,
    LockedFile,
    LockedModel,
    ModelError,
    ModelLock,
    model_folder,
    parse_lock,
    verify_folder,
)

logger = logging.getLogger(__name__)


def pull(lock: ModelLock, name: str, root: Path, progress: bool = False) -> Path:
    """Download a locked model at its pinned revision into ``<root>/<name>/<revision>/``.

    Only the locked files are fetched (``allow_patterns``), into a temporary
    folder beside the destination; the folder is verified against models.lock
    and renamed into place only when complete, so an interrupted or failed
    pull leaves nothing behind. A model already present and intact is not
    downloaded again. Remote code is never fetched or run.

    Args:
        lock: the parsed models.lock.
        name: the model to pull.
        root: the models folder (see :func:`translate.mt.models.models_dir`).
        progress: show the hub's download progress bars (on stderr).

    Returns:
        The model folder. Files whose hash is not recorded yet are accepted
        (``verify`` reports them as unrecorded).

    Raises:
        ModelError: unknown or unpinned model, the hub cannot be reached, the
            repository or revision does not exist, or a file fails verification.
    """
    model = lock.get(name)
    if not model.revision:
        raise ModelError(f"model '{name}' has no pinned revision", path=lock.path,
                         hint='set revision = "<40-hex commit>" in its [models.NAME] table')
    target = model_folder(model, root)
    if target.is_dir() and verify_folder(model, target, trust_record=True).complete:
        logger.info("%s is already present in %s", name, target)
        return target
    parent = target.parent
    created = [p for p in (Path(root), parent) if not p.exists()]
    parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".partial-{model.revision[:12]}-", dir=parent))
    try:
        _download(model, partial, target, progress)
        shutil.rmtree(partial / ".cache", ignore_errors=True)  # the hub's download metadata
        bad = [c for c in verify_folder(model, partial).problems if c.status is not FileStatus.UNRECORDED]
        if bad:
            raise ModelError(
                f"downloaded {name} does not match models.lock: {bad[0].describe()}",
                path=lock.path,
                hint="the repository changed at that revision or the lock is wrong; check it before trusting it",
            )
        _move_into_place(partial, target, model)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    logger.info("pulled %s@%s into %s", model.repo, model.revision, target)
    return target


@contextmanager
def _progress_bars(enabled: bool) -> Iterator[None]:
    from huggingface_hub.utils import (
        are_progress_bars_disabled,
        disable_progress_bars,
        enable_progress_bars,
    )

    was_disabled = are_progress_bars_disabled()
    if enabled == was_disabled:
        (enable_progress_bars if enabled else disable_progress_bars)()
    try:
        yield
    finally:
        if are_progress_bars_disabled() != was_disabled:
            (disable_progress_bars if was_disabled else enable_progress_bars)()


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line if len(line) <= 160 else line[:157] + "..."


def _download(model: LockedModel, dest: Path, target: Path, progress: bool) -> None:
    """Fetch the locked files of ``model`` into ``dest``, turning hub errors into one-line ModelErrors."""
    offline_hint = f"copy the model folder to {target} or pass --model ./dir"
    try:
        from huggingface_hub import constants, snapshot_download
        from huggingface_hub.errors import (
            HfHubHTTPError,
            LocalEntryNotFoundError,
            OfflineModeIsEnabled,
            RepositoryNotFoundError,
            RevisionNotFoundError,
        )
    except ImportError as error:
        raise ModelError("huggingface_hub is not installed, so models cannot be downloaded",
                         hint=f"pip install huggingface_hub, or {offline_hint}") from error
    network_errors: tuple[type[BaseException], ...] = (
        LocalEntryNotFoundError, OfflineModeIsEnabled, ConnectionError, TimeoutError, *_transport_errors()
    )
    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)  # its retry warnings would bury our message
    unresolvable = None if constants.HF_HUB_OFFLINE else _unresolvable_host(constants.ENDPOINT)
    if unresolvable:
        raise ModelError(f"cannot reach the Hugging Face hub to download {model.name}: {unresolvable}", hint=offline_hint)
    try:
        with _progress_bars(progress):
            snapshot_download(
                model.repo,
                revision=model.revision,
                local_dir=dest,
                allow_patterns=[glob_escape(f.path) for f in model.files],
            )
    except RepositoryNotFoundError as error:  # also gated repositories
        raise ModelError(f"repository {model.repo} not found on the Hugging Face hub (or it needs a login)",
                         hint="check repo in models.lock") from error
    except RevisionNotFoundError as error:
        raise ModelError(f"revision {model.revision} not found in {model.repo}",
                         hint="check revision in models.lock") from error
    except network_errors as error:
        cause = error.__cause__ or error
        reason = "HF_HUB_OFFLINE is set" if constants.HF_HUB_OFFLINE else _first_line(cause)
        raise ModelError(f"cannot reach the Hugging Face hub to download {model.name}: {reason}",
                         hint=offline_hint) from error
    except HfHubHTTPError as error:
        raise ModelError(f"downloading {model.name} failed: {_first_line(error)}", hint=offline_hint) from error
    except OSError as error:
        raise ModelError(f"cannot write the download: {error.strerror or error}", path=dest,
                         hint="check free space and permissions of the models folder") from error


def _unresolvable_host(endpoint: str) -> str | None:
    """Why the hub's host name cannot be resolved, or None; saves the client's half-minute of retries."""
    import socket
    from urllib.parse import urlsplit

    host = urlsplit(endpoint).hostname
    if not host:
        return None
    try:
        socket.getaddrinfo(host, None)
    except OSError as error:
        return f"cannot resolve {host} ({error.strerror or error})"
    return None


def _transport_errors() -> tuple[type[BaseException], ...]:
    """Connection errors of the HTTP client the installed huggingface_hub uses (its name changed over versions)."""
    found: list[type[BaseException]] = []
    for module in ("httpx2", "httpx"):
        try:
            found.append(importlib.import_module(module).TransportError)
        except (ImportError, AttributeError):
            pass
    return tuple(found)


def glob_escape(path: str) -> str:
    """A file name as an exact ``fnmatch`` pattern (``allow_patterns`` are globs)."""
    return re.sub(r"([*?\[])", r"[\1]", path)


def _move_into_place(partial: Path, target: Path, model: LockedModel) -> None:
    """Rename the verified download to its final name, replacing a broken copy if one is there."""
    if target.exists():
        if verify_folder(model, target, trust_record=True).complete:  # another pull finished first
            shutil.rmtree(partial)
            return
        old = Path(tempfile.mkdtemp(prefix=".old-", dir=target.parent))
        os.replace(target, old / target.name)
        os.replace(partial, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(partial, target)


# --------------------------------------------------------------------------- recording hashes


def record_files(lock_path: Path, name: str, entries: Sequence[LockedFile]) -> None:
    """Write SHA-256 values and sizes into models.lock, keeping its comments and layout.

    Only the ``sha256 = ""`` (and a missing ``size``) on each entry's own line is
    changed; the result is parsed again before it replaces the file atomically.

    Raises:
        ModelError: the entry cannot be found on one line, or the result does not parse.
    """
    lock_path = Path(lock_path)
    text = lock_path.read_text(encoding="utf-8")
    new_text = record_in_text(text, name, entries, lock_path)
    _write_atomic(lock_path, new_text)


def record_in_text(text: str, name: str, entries: Sequence[LockedFile], path: Path) -> str:
    """The lock text with ``entries``' hashes and sizes recorded (see :func:`record_files`)."""
    lines = text.splitlines(keepends=True)
    quoted = re.escape(name)
    header = re.compile(rf"""\s*\[\s*models\s*\.\s*(?:"{quoted}"|'{quoted}'|{quoted})\s*\]""")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"\s*\[", lines[i])), len(lines)) if start is not None else 0

    def by_hand(entry: LockedFile) -> ModelError:
        return ModelError(
            f"cannot record {entry.path} of {name} automatically",
            path=path,
            hint=f'set sha256 = "{entry.sha256}", size = {entry.size} on its entry by hand',
        )

    for entry in entries:
        if start is None:
            raise by_hand(entry)
        key = re.compile(r"\bpath\s*=\s*" + re.escape(json.dumps(entry.path, ensure_ascii=False)))
        index = next((i for i in range(start, end) if key.search(lines[i])), None)
        if index is None:
            raise by_hand(entry)
        line = lines[index]
        body, newline = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        body = re.sub(r'(\bsha256\s*=\s*)""', rf'\g<1>"{entry.sha256}"', body, count=1)
        if not re.search(r"\bsize\s*=", body):
            closing = re.search(r"\s*\}\s*,?\s*(#.*)?$", body)
            if closing is None:
                raise by_hand(entry)
            body = body[: closing.start()] + f", size = {entry.size}" + body[closing.start():]
        lines[index] = body + newline
    new_text = "".join(lines)
    recorded = {f.path: f for f in parse_lock(new_text, path).get(name).files}
    for entry in entries:
        got = recorded.get(entry.path)
        if got is None or got.sha256 != entry.sha256 or got.size != entry.size:
            raise by_hand(entry)
    return new_text


def _write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` via a synced temporary file in the same folder."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copymode(path, temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
