"""Publishing the canonical catalog file and its mirror, atomically and crash-safely.

A write goes to a temp file in the target directory, is fsynced, replaces the target with
``os.replace`` and is made durable by an fsync of the directory; the canonical file is written
first, then the mirror. Writers serialize on an advisory file lock, and ``reconcile_files``
repairs what a crash can leave behind: stale temp files, or a mirror that differs from the
canonical file.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FILE_MODE = 0o644
TEMP_MARKER = ".tmp-"


@dataclass(frozen=True)
class CatalogPaths:
    canonical: Path
    mirror: Path

    @property
    def lock(self) -> Path:
        return self.canonical.with_name(f".{self.canonical.name}.lock")


def _temp_prefix(target: Path) -> str:
    return f".{target.name}{TEMP_MARKER}"


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` so readers see the old bytes or the new, never a mix."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f"{_temp_prefix(target)}{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, FILE_MODE)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    _fsync_directory(target.parent)


def read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def writer_lock(paths: CatalogPaths) -> Iterator[None]:
    """Serialize every writer of these files across threads and processes."""
    paths.lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def remove_stale_temp_files(paths: CatalogPaths) -> int:
    """Delete temp files a killed writer left behind (call with the writer lock held)."""
    removed = 0
    for target in (paths.canonical, paths.mirror):
        if not target.parent.is_dir():
            continue
        for leftover in target.parent.glob(f"{_temp_prefix(target)}*"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
                removed += 1
    return removed


def write_catalog_files(paths: CatalogPaths, data: bytes) -> bool:
    """Publish ``data`` to canonical then mirror (writer lock held). False if both already match."""
    wrote = False
    for target in (paths.canonical, paths.mirror):
        if read_bytes(target) != data:
            atomic_write(target, data)
            wrote = True
    return wrote


def repair_mirror(paths: CatalogPaths) -> bool:
    """Make the mirror byte-identical to the canonical file (writer lock held)."""
    canonical = read_bytes(paths.canonical)
    if canonical is None or read_bytes(paths.mirror) == canonical:
        return False
    atomic_write(paths.mirror, canonical)
    log.warning("repaired catalog mirror %s from %s", paths.mirror, paths.canonical)
    return True
