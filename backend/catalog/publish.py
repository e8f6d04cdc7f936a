"""Rendering the stored catalog and publishing it to the canonical file and its mirror."""

from __future__ import annotations

import logging
import re

from backend.catalog.document import render_catalog_file
from backend.catalog.files import (
    CatalogPaths,
    read_bytes,
    remove_stale_temp_files,
    repair_mirror,
    write_catalog_files,
    writer_lock,
)
from backend.catalog.repository import current_version, load_stored_rows
from backend.catalog.snapshots import committed_snapshot
from backend.catalog.versions import is_newer, version_key
from backend.errors import Invalid

log = logging.getLogger(__name__)

_VERSION_AT_TOP = re.compile(rb'^\{\s*"version":\s*"([0-9.]+)"')


def render_stored_catalog() -> bytes | None:
    """The catalog file the database holds now; None for an empty catalog.

    That is the current version's snapshot, stored by the apply that committed it; the rows
    are loaded and rendered only for a version without one.
    """
    latest = current_version()
    if latest is None:
        return None
    snapshot = committed_snapshot(latest.version)
    if snapshot is not None:
        return snapshot
    rows = load_stored_rows().values()
    return render_catalog_file(latest.version, latest.source, latest.created_at, rows)


def file_version(paths: CatalogPaths) -> str | None:
    """The version at the top of the canonical file (which this service always writes first)."""
    head = (read_bytes(paths.canonical) or b"")[:256]
    match = _VERSION_AT_TOP.match(head)
    if not match:
        return None
    try:
        version_key(match.group(1).decode())
    except Invalid:
        return None
    return match.group(1).decode()


def publish_catalog(paths: CatalogPaths) -> bool:
    """Make both files hold the database's catalog; also the reconcile step at start-up.

    Removes stale temp files first. A canonical file newer than the database (an upgrade shipped
    it) is left for the admin to review; the mirror is still repaired to match it.
    Returns whether any file was written.
    """
    with writer_lock(paths):
        removed = remove_stale_temp_files(paths)
        if removed:
            log.warning("removed %d stale catalog temp file(s)", removed)
        latest = current_version()
        on_disk = file_version(paths)
        if latest is None or (on_disk and is_newer(on_disk, latest.version)):
            return repair_mirror(paths)
        data = render_stored_catalog()
        wrote = write_catalog_files(paths, data)
        if wrote:
            log.info("published catalog %s to %s and %s", latest.version, paths.canonical,
                     paths.mirror)
        return wrote
