"""No sync, refresh or catalog apply can write Provider Models: none of them imports that table."""

from __future__ import annotations

import ast
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1] / "backend"
CATALOG_WRITERS = [
    *sorted((BACKEND / "catalog").rglob("*.py")),
    *sorted((BACKEND / "sources").rglob("*.py")),
    *[BACKEND / "services" / f"{name}.py"
      for name in ("sync", "refresh", "catalog_writes", "bundled", "upsert")],
]
FORBIDDEN = ("backend.store.operator_tables", "backend.services.provider_models")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_catalog_writer_imports_the_operator_tables():
    offenders = {
        str(path.relative_to(BACKEND)): sorted(m for m in imported_modules(path)
                                               if m.startswith(FORBIDDEN) or "ProviderModel" in m)
        for path in CATALOG_WRITERS if path.exists()
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_scan_covers_the_catalog_writers():
    scanned = {path.name for path in CATALOG_WRITERS if path.exists()}
    assert {"apply.py", "catalog_writes.py", "bundled.py", "upsert.py", "registry.py"} <= scanned
