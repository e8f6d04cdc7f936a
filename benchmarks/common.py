"""What every benchmark shares: its own PostgreSQL database, real-shaped synthetic rows, servers
started and stopped by pid, ``wrk`` runs read back as JSON, and the table + JSON report.

Benchmarks measure our code beside a floor in the same process run, so a noisy machine moves
both figures together and the ratio stays meaningful.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import psycopg2

from backend.catalog.rows import CatalogRow
from backend.sources.openrouter import entry_to_row, parse_models_payload

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
FEED = DATA / "openrouter-models-2026-08-18-output_modalities-all.json"
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RESULTS_DIR = ROOT / "var" / "bench"
# Providers of the registry that the synthetic rows are spread over.
SYNTHETIC_PROVIDERS = ("openrouter", "openai", "anthropic", "google", "mistral", "deepseek", "groq",
                       "together", "fireworks", "deepinfra", "bedrock", "azure", "nebius", "novita")


# -- data ----------------------------------------------------------------------------------------

def feed_items() -> list[dict]:
    import orjson

    return orjson.loads(FEED.read_bytes())["data"]


def varied_price(value: object, index: int) -> object:
    """A real per-token price nudged per copy, so synthetic rows do not all share one price."""
    if not isinstance(value, str) or value == "-1":
        return value
    return str((Decimal(value) * (1 + Decimal(index % 97) / 1000)).normalize())


def synthetic_feed(count: int, *, changed_every: int = 0) -> list[dict]:
    """``count`` OpenRouter-format entries built from the real feed with varied ids and prices.

    ``changed_every=100`` changes the prompt price of every 100th entry (1%).
    """
    items = feed_items()
    entries = []
    for index in range(count):
        item = dict(items[index % len(items)])
        copy = index // len(items)
        item["id"] = item["id"] if copy == 0 else f"{item['id']}-r{copy}"
        pricing = {name: varied_price(value, copy) for name, value in item["pricing"].items()}
        if changed_every and index % changed_every == 0 and pricing.get("prompt") not in (None, "-1"):
            pricing["prompt"] = str((Decimal(pricing["prompt"]) * 2 + Decimal("0.0000001")).normalize())
        item["pricing"] = pricing
        entries.append(item)
    return entries


def synthetic_rows(count: int) -> list[CatalogRow]:
    """``count`` catalog rows over several registry providers, each from a real feed entry."""
    entries = parse_models_payload(synthetic_feed(count))
    rows = []
    for index, entry in enumerate(entries):
        provider = SYNTHETIC_PROVIDERS[index % len(SYNTHETIC_PROVIDERS)]
        row = entry_to_row(entry, provider=provider, model=entry.id, base_url=None, source="bench")
        if "embedding" in entry.output_modalities:
            row = replace(row, family="emb", components=("EMB",))
        rows.append(row)
    return rows


# -- PostgreSQL ----------------------------------------------------------------------------------

def _admin_connection():
    from playhouse.db_url import parse as parse_db_url

    params = parse_db_url(POSTGRES_ADMIN_URL)
    params.pop("engine", None)
    params["dbname"] = params.pop("database")
    connection = psycopg2.connect(**params)
    connection.autocommit = True
    return connection


def fresh_database(name: str) -> str:
    """Drop and create the benchmark's own database; its URL."""
    connection = _admin_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(name: str) -> None:
    connection = _admin_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


# -- processes -----------------------------------------------------------------------------------

def ensure_tools(*names: str) -> None:
    """Install Debian's wrk/nginx when missing (the benchmark machine runs as root)."""
    missing = [name for name in names
               if shutil.which(name) is None and not Path(f"/usr/sbin/{name}").exists()]
    if missing:
        print(f"installing {' '.join(missing)} from Debian's packages…", flush=True)
        subprocess.run(["/usr/bin/apt-get", "update", "-qq"], check=True)
        subprocess.run(["/usr/bin/apt-get", "install", "-y", "-qq", *missing], check=True)  # noqa: S603


def production_environment(database_url: str, work: Path, *, bundled: Path,
                           **extra: str) -> dict[str, str]:
    """The service's environment for a benchmark: production mode, throwaway secrets and files
    under ``work``, the scheduler off, quiet logs; ``extra`` adds or overrides variables."""
    return {
        "APP_ENV": "production",
        "DATABASE_URL": database_url,
        "ADMIN_API_KEY": secrets.token_hex(16),
        "CATALOG_KEK": "bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "CATALOG_PATH": str(work / "data" / "models.json"),
        "CATALOG_MIRROR_PATH": str(work / "public" / "models.json"),
        "BUNDLED_CATALOG_PATH": str(bundled),
        "VAR_DIR": str(work / "var"),
        "LOG_LEVEL": "WARNING",
        "SCHEDULER_ENABLED": "false",
        **extra,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, *, timeout: float = 60.0, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s")


@contextlib.contextmanager
def running(command: Sequence[str], *, env: dict | None = None, ready_url: str,
            log: Path) -> Iterator[subprocess.Popen]:
    """Start a server in its own process group, wait for ``ready_url``, stop that group after."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 (our own fixed command lines)
            list(command), env={**os.environ, **(env or {})}, cwd=ROOT, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            wait_until_serving(ready_url, process=process)
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def gunicorn_command(app: str, port: int) -> list[str]:
    """The production gunicorn configuration (docker/gunicorn.conf.py), bound to ``port``."""
    command = [str(ROOT / ".venv" / "bin" / "gunicorn")]
    config = ROOT / "docker" / "gunicorn.conf.py"
    if config.exists():
        command += ["--config", str(config)]
    else:
        # Until the runtime's config lands: its documented shape, spelled out.
        command += ["--workers", "5", "--worker-class", "sync", "--timeout", "30",
                    "--keep-alive", "5", "--access-logfile", "-"]
    return [*command, "--bind", f"127.0.0.1:{port}", app]


# -- wrk -----------------------------------------------------------------------------------------

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.6f, "bytes": %d, "errors": %d, "non_2xx_3xx": %d, ' ..
    '"p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}\\n',
    summary.requests, summary.duration / 1e6, summary.bytes, errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) used so far by every live process of process group ``pgid``.

    CPU per request is steadier than requests/s on a machine shared with other work: it is
    what the server spent, not what it managed to get scheduled.
    """
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after "(comm)": state, ppid, pgrp, …
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class WrkResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    bad_status: int
    bytes_per_request: float


def run_wrk(url: str, *, headers: dict[str, str], seconds: int, connections: int = 32,
            threads: int = 2, script_dir: Path = RESULTS_DIR) -> WrkResult:
    script_dir.mkdir(parents=True, exist_ok=True)
    script = script_dir / "report.lua"
    script.write_text(WRK_SCRIPT)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout  # noqa: S603
    report = json.loads(output.strip().splitlines()[-1])
    return WrkResult(
        requests=report["requests"],
        rps=report["requests"] / report["seconds"],
        p50_ms=report["p50_ms"],
        p99_ms=report["p99_ms"],
        errors=report["errors"],
        bad_status=report["non_2xx_3xx"],
        bytes_per_request=report["bytes"] / max(report["requests"], 1),
    )


# -- report --------------------------------------------------------------------------------------

def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(column), *(len(row[i]) for row in cells)) for i, column in enumerate(columns)]
    print(f"\n{title}")
    print("  ".join(column.ljust(width) for column, width in zip(columns, widths, strict=True)))
    print("  ".join("-" * width for width in widths))
    for row in cells:
        print("  ".join(value.rjust(width) for value, width in zip(row, widths, strict=True)))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def write_report(name: str, report: dict) -> Path:
    """Print ``report`` as JSON and keep it in var/bench/<name>.json."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    text = json.dumps(report, indent=2, default=str)
    path.write_text(text + "\n")
    print(f"\n{name} JSON ({path.relative_to(ROOT)}):\n{text}", flush=True)
    return path


def machine_conditions() -> dict:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "loadavg_1m_at_start": round(load[0], 2),
        "python": sys.version.split()[0],
        "gunicorn_config": "docker/gunicorn.conf.py" if (ROOT / "docker" / "gunicorn.conf.py").exists()
        else "explicit flags (docker/gunicorn.conf.py absent)",
    }
