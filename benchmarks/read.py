"""Read benchmark: our ``/api/models`` under production gunicorn on PostgreSQL, beside its floors.

Four servers run at once, each answering the same bytes:
- ``ours``: ``backend.wsgi:app`` under docker/gunicorn.conf.py on the benchmark's own database;
- ``framework floor``: a bare Flask app (benchmarks/floor_app.py) under the same gunicorn settings,
  returning our captured bytes and ETags from memory;
- ``machine floor``: nginx serving those bytes as static files, ``gzip_static`` and ``etag on``;
- ``edge``: docker/nginx/edge.conf in front of our gunicorn, serving the pre-rendered files.

Each scenario is measured with wrk at 32 connections, in rounds; within a round the servers run
back to back (in an order rotated every round) and a ratio is taken between runs of the same
round. Figures are medians over rounds. Usage: ``python -m benchmarks.read [--rows 5000]``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import shutil
import urllib.request
from pathlib import Path
from statistics import median

import orjson

from benchmarks.common import (
    RESULTS_DIR,
    ROOT,
    drop_database,
    ensure_tools,
    free_port,
    fresh_database,
    group_cpu_seconds,
    gunicorn_command,
    machine_conditions,
    print_table,
    production_environment,
    run_wrk,
    running,
    synthetic_rows,
    write_report,
)

DATABASE = "mc_bench_read"
WORK = RESULTS_DIR / "read"
EDGE_CONF = ROOT / "docker" / "nginx" / "edge.conf"
ENDPOINTS = {"catalog": "/api/models", "by-type GEN": "/api/models/by-type/GEN"}
GZIP = {"Accept-Encoding": "gzip"}

MACHINE_FLOOR_CONF = """
worker_processes auto;
pid {work}/nginx-floor.pid;
error_log {work}/nginx-floor.error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    default_type application/json;
    gzip_static on;
    gzip_vary on;
    etag on;
    add_header Cache-Control no-cache;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location = /healthz {{ return 200 "ok"; }}
        location = /api/models {{ try_files /api/models.json =404; }}
        location /api/models/ {{ try_files $uri.json =404; }}
    }}
}}
"""

EDGE_MAIN_CONF = """
worker_processes auto;
pid {work}/nginx-edge.pid;
error_log {work}/nginx-edge.error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    include /etc/nginx/mime.types;
    include {site};
}}
"""


def app_environment(database_url: str) -> dict[str, str]:
    return production_environment(
        database_url, WORK, bundled=WORK / "bundled.json", PRERENDER_DIR=str(WORK / "prerender"),
        # As the production image sets it: request metrics aggregated across workers.
        PROMETHEUS_MULTIPROC_DIR=str(WORK / "prometheus"),
    )


def load_catalog(env: dict[str, str], rows: int) -> None:
    """Write the synthetic catalog as the bundled file and let start-up apply it, once."""
    from datetime import datetime

    from backend.app import create_app
    from backend.catalog.document import render_catalog_file
    from backend.config import Config
    from backend.store.db import db

    bundled = Path(env["BUNDLED_CATALOG_PATH"])
    bundled.parent.mkdir(parents=True, exist_ok=True)
    document = render_catalog_file("2026.11.01", "bench", datetime(2026, 11, 1), synthetic_rows(rows))
    bundled.write_bytes(document)
    create_app(Config.from_env(env))
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def fetch(url: str, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback only)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read(), dict(response.headers)


def capture_responses(base: str, directory: Path) -> None:
    """Keep our exact bytes and ETags for the floors."""
    index = {}
    for path in ENDPOINTS.values():
        plain, plain_headers = fetch(base + path, {})
        packed, packed_headers = fetch(base + path, GZIP)
        if packed_headers.get("Content-Encoding") != "gzip":
            # A server without gzip (the baseline before it had it): the floors still compress.
            packed, packed_headers = gzip.compress(plain, mtime=0), plain_headers
        stem = path.lstrip("/")
        target = directory / f"{stem}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(plain)
        target.with_name(target.name + ".gz").write_bytes(packed)
        index[path] = {
            "plain_file": f"{stem}.json", "gzip_file": f"{stem}.json.gz",
            "etag": plain_headers["ETag"], "gzip_etag": packed_headers["ETag"],
        }
    (directory / "responses.json").write_bytes(orjson.dumps(index))


@contextlib.contextmanager
def nginx(config_text: str, name: str, port: int, ready_path: str = "/healthz"):
    config = WORK / f"{name}.conf"
    config.write_text(config_text)
    with running(["nginx", "-c", str(config), "-g", "daemon off;"], ready_url=f"http://127.0.0.1:{port}{ready_path}",
                 log=WORK / f"{name}.log") as process:
        yield process


def edge_site(port: int, app_port: int) -> Path:
    """docker/nginx/edge.conf with this run's prerender directory and upstream."""
    text = EDGE_CONF.read_text()
    text = text.replace("${PRERENDER_DIR}", str(WORK / "prerender")).replace(
        "${APP_UPSTREAM}", f"127.0.0.1:{app_port}").replace("${EDGE_PORT}", f"127.0.0.1:{port}")
    site = WORK / "edge-site.conf"
    site.write_text(text)
    return site


def scenarios(etags: dict[str, str]) -> dict[str, tuple[str, dict[str, str]]]:
    return {
        "GET /api/models (gzip)": ("/api/models", GZIP),
        "GET /api/models/by-type/GEN (gzip)": ("/api/models/by-type/GEN", GZIP),
        "conditional GET /api/models -> 304": (
            "/api/models", {**GZIP, "If-None-Match": etags["/api/models"]}),
    }


def current_etag(base: str, path: str) -> str:
    return fetch(base + path, GZIP)[1]["ETag"]


def measure(servers: dict[str, tuple[str, int]], *, seconds: int, rounds: int) -> dict[str, dict[str, dict]]:
    """Every scenario on every server, in rounds; each round rotates the servers' order so that
    none is always measured first, and each server's figure is the median of its rounds."""
    plan: dict[str, dict[str, tuple[str, dict]]] = {}
    for server, (base, _) in servers.items():
        etags = {"/api/models": current_etag(base, "/api/models")}
        for scenario, (path, headers) in scenarios(etags).items():
            run_wrk(base + path, headers=headers, seconds=1)  # warm every worker
            plan.setdefault(scenario, {})[server] = (path, headers)
    runs: dict[str, dict[str, list]] = {scenario: {server: [] for server in servers} for scenario in plan}
    names = list(servers)
    for round_index in range(rounds):
        order = names[round_index % len(names):] + names[:round_index % len(names)]
        for scenario, by_server in plan.items():
            for server in order:
                path, headers = by_server[server]
                base, pgid = servers[server]
                cpu_before = group_cpu_seconds(pgid)
                outcome = run_wrk(base + path, headers=headers, seconds=seconds)
                cpu_us = (group_cpu_seconds(pgid) - cpu_before) / max(outcome.requests, 1) * 1e6
                runs[scenario][server].append((outcome, cpu_us))
                print(f"  {scenario:<38} {server:<16} {outcome.rps:>10,.0f} req/s  "
                      f"p50 {outcome.p50_ms:.2f} ms  p99 {outcome.p99_ms:.2f} ms  "
                      f"{cpu_us:,.0f} CPU-µs/req", flush=True)
    return {scenario: {server: _summary(server, server_runs, by_server)
                       for server, server_runs in by_server.items()}
            for scenario, by_server in runs.items()}


def _summary(server: str, server_runs: list, by_server: dict[str, list]) -> dict:
    if any(run.errors or run.bad_status for run, _ in server_runs):
        raise RuntimeError(f"wrk saw errors or bad statuses: {server_runs}")
    summary = {
        "rps": round(median(run.rps for run, _ in server_runs), 1),
        "p50_ms": round(median(run.p50_ms for run, _ in server_runs), 3),
        "p99_ms": round(median(run.p99_ms for run, _ in server_runs), 3),
        "cpu_us_per_request": round(median(cpu for _, cpu in server_runs), 1),
        "bytes_per_response": round(server_runs[0][0].bytes_per_request),
        "rounds_rps": [round(run.rps, 1) for run, _ in server_runs],
    }
    # Ratios of runs taken side by side in the same round, then their median: steadier on a
    # shared machine than a ratio of medians. The CPU ratio (floor's CPU per request / ours) is
    # what the throughput ratio becomes on an idle machine where the server is CPU-bound.
    floors = {"ours": ("framework", "machine"), "edge": ("machine",)}.get(server, ())
    for name in floors:
        pairs = list(zip(server_runs, by_server[f"{name} floor"], strict=True))
        summary[f"ratio_to_{name}_floor"] = round(median(a.rps / b.rps for (a, _), (b, _) in pairs), 3)
        summary[f"cpu_ratio_to_{name}_floor"] = round(median(b / a for (_, a), (_, b) in pairs), 3)
    return summary


def report(figures: dict, rows: int, body_sizes: dict) -> dict:
    table = []
    for scenario, by_server in figures.items():
        for server, figure in by_server.items():
            ratio = ""
            if server == "ours":
                ratio = (f"{figure['ratio_to_framework_floor']:.2f} "
                         f"({figure['cpu_ratio_to_framework_floor']:.2f}) of framework, "
                         f"{figure['ratio_to_machine_floor']:.2f} "
                         f"({figure['cpu_ratio_to_machine_floor']:.2f}) of machine")
            elif server == "edge":
                ratio = (f"{figure['ratio_to_machine_floor']:.2f} "
                         f"({figure['cpu_ratio_to_machine_floor']:.2f}) of machine")
            table.append([scenario, server, figure["rps"], figure["p50_ms"], figure["p99_ms"],
                          figure["cpu_us_per_request"], ratio])
    columns = ["scenario", "server", "req/s", "p50 ms", "p99 ms", "CPU µs/req",
               "req/s ratio (CPU ratio)"]
    print_table(f"read: {rows} catalog rows, wrk -t2 -c32", columns, table)
    return {"benchmark": "read", "rows": rows, "body_bytes": body_sizes, "machine": machine_conditions(),
            "figures": figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_READ_ROWS", 5000)))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 4)))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 3)))
    args = parser.parse_args()
    ensure_tools("wrk", "nginx")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    env = app_environment(fresh_database(DATABASE))
    print(f"loading {args.rows} synthetic rows into PostgreSQL…", flush=True)
    load_catalog(env, args.rows)
    ports = {name: free_port() for name in ("ours", "framework", "machine", "edge")}
    with contextlib.ExitStack() as stack:
        ours_process = stack.enter_context(running(
            gunicorn_command("backend.wsgi:app", ports["ours"]), env=env,
            ready_url=f"http://127.0.0.1:{ports['ours']}/api/models/providers", log=WORK / "ours.log"))
        ours = f"http://127.0.0.1:{ports['ours']}"
        floor_dir = WORK / "floor"
        capture_responses(ours, floor_dir)
        body_sizes = {path: {"plain": (floor_dir / f"{path.lstrip('/')}.json").stat().st_size,
                             "gzip": (floor_dir / f"{path.lstrip('/')}.json.gz").stat().st_size}
                      for path in ENDPOINTS.values()}
        # The floor gets no metrics directory: the config's on_starting would empty ours.
        floor_env = {key: value for key, value in env.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
        framework_process = stack.enter_context(running(
            gunicorn_command("benchmarks.floor_app:app", ports["framework"]),
            env={**floor_env, "BENCH_FLOOR_DIR": str(floor_dir)},
            ready_url=f"http://127.0.0.1:{ports['framework']}/healthz", log=WORK / "framework.log"))
        machine_conf = MACHINE_FLOOR_CONF.format(work=WORK, port=ports["machine"], root=floor_dir)
        machine_process = stack.enter_context(nginx(machine_conf, "nginx-floor", ports["machine"]))
        servers = {"ours": (ours, ours_process.pid),
                   "framework floor": (f"http://127.0.0.1:{ports['framework']}", framework_process.pid),
                   "machine floor": (f"http://127.0.0.1:{ports['machine']}", machine_process.pid)}
        if EDGE_CONF.exists():
            site = edge_site(ports["edge"], ports["ours"])
            edge_conf = EDGE_MAIN_CONF.format(work=WORK, site=site)
            edge_process = stack.enter_context(nginx(edge_conf, "nginx-edge", ports["edge"],
                                                     "/api/models/providers"))
            servers["edge"] = (f"http://127.0.0.1:{ports['edge']}", edge_process.pid)
        figures = measure(servers, seconds=args.seconds, rounds=args.rounds)
    drop_database(DATABASE)
    write_report("read", report(figures, args.rows, body_sizes))


if __name__ == "__main__":
    main()
