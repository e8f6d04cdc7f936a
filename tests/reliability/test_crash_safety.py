"""kill -9 the catalog writer at random points, hundreds of times, and check what it leaves.

A forked child writes catalog versions through the real path (``upsert_model`` ->
``write_catalog`` -> ``apply_diff`` -> ``publish_catalog``) against the test database and real
catalog files, and is SIGKILLed after a random delay. After every kill: both files parse as one
complete catalog generation; after the reconcile that start-up runs (``publish_catalog``, and
every so often the whole ``prepare_database``), the canonical file holds exactly the database's
current version, byte for byte, the mirror is identical to it, no temp file is left and the modes
are 0644. A second test kills a large apply mid-transaction: the catalog is entirely the old
version or entirely the new one.
"""

from __future__ import annotations

import os
import random
import signal
import stat
import time
from decimal import Decimal

import pytest

from backend.catalog.document import parse_catalog_file
from backend.catalog.files import FILE_MODE, TEMP_MARKER
from backend.catalog.publish import publish_catalog, render_stored_catalog
from backend.catalog.repository import current_version_string
from backend.catalog.rows import CatalogRow
from backend.services.bootstrap import prepare_database
from backend.services.catalog_writes import catalog_paths, write_catalog
from backend.services.upsert import UpsertRequest, upsert_model
from backend.store.db import bind_database, db
from backend.store.tables import CatalogModel, CatalogVersion

pytestmark = pytest.mark.slow

WRITER_KILLS = 200
APPLY_KILLS = 10
BULK_ROWS = 2000
# Kill delays: up to a few writes' worth, so kills land at every phase of a write.
MAX_KILL_DELAY = 0.08
FULL_RESTART_EVERY = 25


def run_child_until_killed(config, work, delay: float) -> None:
    """Fork a child that runs ``work`` on its own database connection; SIGKILL it after ``delay``."""
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's cleanup
        inherited = db.obj  # kept referenced so no inherited connection is closed under the parent
        try:
            bind_database(config.database_url)
            db.connect()
            work()
        finally:
            del inherited
            os._exit(0)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the writer died early"


def keep_upserting(config, first_step: int):
    def work():
        step = first_step
        while True:
            upsert_model(config, UpsertRequest(
                provider="openai", model=f"crash-model-{step % 16}", family="gen",
                unit="1m_tokens", input_price=Decimal(step) / 100, output_price=Decimal(step) / 50,
            ), trigger="crash-test")
            step += 1
    return work


def assert_files_are_complete_generations(paths) -> None:
    for path in (paths.canonical, paths.mirror):
        if path.exists():
            parsed = parse_catalog_file(path.read_bytes())
            assert parsed.rows, path


def temp_files(paths) -> list[str]:
    return [p.name for target in (paths.canonical, paths.mirror)
            for p in target.parent.iterdir() if TEMP_MARKER in p.name]


def reconcile_and_check(config, paths, full_restart: bool) -> None:
    if full_restart:
        prepare_database(config)
    else:
        publish_catalog(paths)
    canonical = paths.canonical.read_bytes()
    assert parse_catalog_file(canonical).version == current_version_string()
    assert canonical == render_stored_catalog()
    assert paths.mirror.read_bytes() == canonical
    assert temp_files(paths) == []
    for path in (paths.canonical, paths.mirror):
        assert stat.S_IMODE(path.stat().st_mode) == FILE_MODE


def test_the_files_survive_hundreds_of_kill_9s_of_the_writer(bundled_catalog, config, app, store):
    paths = catalog_paths(config)
    rng = random.Random(20261121)
    versions_before = CatalogVersion.select().count()
    dirty = 0
    for kill in range(WRITER_KILLS):
        run_child_until_killed(config, keep_upserting(config, first_step=kill * 1000),
                               rng.uniform(0, MAX_KILL_DELAY))
        assert_files_are_complete_generations(paths)
        behind = (not paths.canonical.exists()
                  or parse_catalog_file(paths.canonical.read_bytes()).version != current_version_string())
        dirty += bool(temp_files(paths)) or behind or (
            paths.mirror.read_bytes() != paths.canonical.read_bytes())
        reconcile_and_check(config, paths, full_restart=kill % FULL_RESTART_EVERY == 0)
    written = CatalogVersion.select().count() - versions_before
    print(f"crash safety: {WRITER_KILLS} SIGKILLs of the writer survived; {written} versions "
          f"written; {dirty} kills left files needing the reconcile; 0 torn files")


def bulk_rows(attempt: int) -> list[CatalogRow]:
    return [CatalogRow("openai", f"bulk-{attempt}-{n}", f"Bulk {attempt} #{n}", "gen", ("GEN",),
                       pricing_prompt=Decimal(n + 1) / 10**7, pricing_completion=Decimal(n + 2) / 10**7,
                       context_length=8192, source="crash-test")
            for n in range(BULK_ROWS)]


def apply_bulk(config, attempt: int):
    def work():
        write_catalog(bulk_rows(attempt), config=config, source="crash-test", trigger="crash-test",
                      providers=["openai"])
        while True:  # applied before the kill: wait for it
            time.sleep(1)
    return work


def measure_bulk_apply(config) -> float:
    started = time.monotonic()
    write_catalog(bulk_rows(-1), config=config, source="crash-test", trigger="crash-test",
                  providers=["openai"])
    return time.monotonic() - started


def test_a_kill_during_a_large_apply_leaves_the_old_version_or_the_new_one(
        bundled_catalog, config, app, store):
    paths = catalog_paths(config)
    duration = measure_bulk_apply(config)
    rng = random.Random(7)
    outcomes = {"old": 0, "new": 0}
    for attempt in range(APPLY_KILLS):
        rows, versions = CatalogModel.select().count(), CatalogVersion.select().count()
        run_child_until_killed(config, apply_bulk(config, attempt), duration * rng.uniform(0.3, 2.5))
        landed = CatalogModel.select().where(
            CatalogModel.provider_model_id.startswith(f"bulk-{attempt}-")).count()
        state = (CatalogModel.select().count() - rows, CatalogVersion.select().count() - versions)
        assert (landed, *state) in ((0, 0, 0), (BULK_ROWS, BULK_ROWS, 1)), (landed, state)
        outcomes["new" if landed else "old"] += 1
        assert_files_are_complete_generations(paths)
        reconcile_and_check(config, paths, full_restart=False)
    print(f"crash safety: {APPLY_KILLS} SIGKILLs during a {BULK_ROWS}-row apply "
          f"({duration:.2f}s each): {outcomes['old']} left the old version whole, "
          f"{outcomes['new']} the new one whole, 0 partial")
