"""Pre-rendered public read responses, for the edge (``docker/nginx/edge.conf``) to serve.

On every publish the current version's public read responses are written under ``PRERENDER_DIR``
as the exact bytes the API answers for the same URL (built by the same functions), each with its
gzip form beside it for nginx ``gzip_static``::

    PRERENDER_DIR/versions/<version>/api/models.json        GET /api/models
    PRERENDER_DIR/versions/<version>/api/models.json.gz
    PRERENDER_DIR/versions/<version>/api/models/by-type/GEN.json (EMB, RERANK)
    PRERENDER_DIR/versions/<version>/api/models/providers.json
    PRERENDER_DIR/current -> versions/<version>              swapped atomically

nginx answers them with ``etag on``, whose strong ETag is the file's modification time and size.
Every version's files are stamped with a modification time strictly later than the previous
version's, so each new version has new ETags and a validator of an older version never matches:
that is the invalidation. A version's files are complete before ``current`` points at them; the
two previous versions stay for requests in flight and older ones are removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from backend.catalog.document import encode_json
from backend.catalog.rows import COMPONENT_TYPES
from backend.catalog.versions import is_newer, version_key
from backend.config import Config
from backend.services.catalog_reads import (
    CatalogReader,
    CatalogSnapshot,
    RenderedBody,
    catalog_body,
    provider_names_body,
    rows_body,
)

log = logging.getLogger(__name__)

CURRENT = "current"
VERSIONS = "versions"
KEEP_PREVIOUS = 2
CATALOG_FILE = "api/models.json"


def public_responses(snapshot: CatalogSnapshot) -> dict[str, RenderedBody]:
    """Relative file path -> the body the API serves for that URL without a query string."""
    responses = {CATALOG_FILE: catalog_body(snapshot),
                 "api/models/providers.json": provider_names_body(snapshot)}
    for component in COMPONENT_TYPES:
        responses[f"api/models/by-type/{component}.json"] = rows_body(snapshot, component=component)
    return {path: RenderedBody.of(encode_json(body)) for path, body in responses.items()}


def current_version_of(directory: Path) -> str | None:
    """The version ``current`` points at, if any."""
    try:
        return Path(os.readlink(directory / CURRENT)).name
    except (FileNotFoundError, OSError):
        return None


def _previous_stamp(directory: Path) -> int:
    try:
        return int((directory / CURRENT / CATALOG_FILE).stat().st_mtime)
    except FileNotFoundError:
        return 0


def _write_version(target: Path, responses: dict[str, RenderedBody], stamp: int) -> None:
    """Write every file into a temp directory, stamp it, then rename it to ``target``."""
    temp = target.with_name(f".tmp-{target.name}-{secrets.token_hex(4)}")
    try:
        for relative, rendered in responses.items():
            path = temp / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            gzipped = path.with_name(path.name + ".gz")
            path.write_bytes(rendered.body)
            gzipped.write_bytes(rendered.gzip_body)
            for written in (path, gzipped):
                os.utime(written, (stamp, stamp))
        if target.exists():  # left by a publish that died before pointing ``current`` at it
            shutil.rmtree(target)
        temp.rename(target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _point_current(directory: Path, version: str) -> None:
    link = directory / f".{CURRENT}-{secrets.token_hex(4)}"
    os.symlink(f"{VERSIONS}/{version}", link)
    os.replace(link, directory / CURRENT)


def _prune(directory: Path, keep: str) -> None:
    versions = sorted((p for p in (directory / VERSIONS).iterdir() if p.name != keep),
                      key=lambda p: version_key(p.name), reverse=True)
    for stale in versions[KEEP_PREVIOUS:]:
        shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def _prerender_lock(directory: Path) -> Iterator[None]:
    fd = os.open(directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def prerender_catalog(directory: Path) -> str | None:
    """Pre-render the database's current version into ``directory``; the version written, or
    None when there was nothing to do (empty catalog, already current, or a newer one is)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / VERSIONS).mkdir(exist_ok=True)
    with _prerender_lock(directory):
        snapshot = CatalogReader().snapshot()
        version = snapshot.version
        current = current_version_of(directory)
        if version is None or version == current or (current and is_newer(current, version)):
            return None
        stamp = max(int(time.time()), _previous_stamp(directory) + 1)
        _write_version(directory / VERSIONS / version, public_responses(snapshot), stamp)
        _point_current(directory, version)
        _prune(directory, keep=version)
    log.info("pre-rendered catalog %s into %s", version, directory)
    return version


def publish_prerendered(config: Config) -> str | None:
    """The publish step for the edge: a no-op unless ``PRERENDER_DIR`` is set."""
    if config.prerender_dir is None:
        return None
    return prerender_catalog(config.prerender_dir)
