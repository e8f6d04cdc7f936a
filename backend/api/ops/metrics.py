"""Prometheus metrics: request counts and latency per route, and figures read from the database.

Request metrics live in each process. Under gunicorn set ``PROMETHEUS_MULTIPROC_DIR`` (the image
does) and ``prometheus_client``'s multiprocess mode sums every worker's files at scrape time;
without it, a scrape shows only the worker that answered it. Database figures (sync runs by
provider and result, catalog version and age, rows by status) are queried at scrape time by
``CatalogCollector``, so every replica reports the same, correct numbers.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from backend.services.health import catalog_status, database_error, sync_run_counts

REQUESTS = Counter(
    "model_catalog_http_requests", "HTTP requests answered, by route template",
    ("method", "route", "status"), registry=None,
)
LATENCY = Histogram(
    "model_catalog_http_request_duration_seconds", "HTTP request latency, by route template",
    ("method", "route"), registry=None,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def _epoch(moment: datetime) -> float:
    return moment.replace(tzinfo=UTC).timestamp()


class CatalogCollector(Collector):
    """Gauges and counters computed from the database whenever Prometheus scrapes."""

    def collect(self):
        error = database_error()
        yield GaugeMetricFamily("model_catalog_database_up", "1 when the database answers",
                                value=0 if error else 1)
        if error:
            return
        yield from self._catalog()
        yield from self._sync_runs()

    def _catalog(self):
        status = catalog_status()
        info = GaugeMetricFamily("model_catalog_catalog_version_info",
                                 "The catalog version in force (value 1)", labels=["version"])
        rows = GaugeMetricFamily("model_catalog_models", "Catalog rows by status", labels=["status"])
        rows.add_metric(["active"], status.rows_active)
        rows.add_metric(["deprecated"], status.rows_deprecated)
        yield rows
        if status.version is None:
            yield info
            return
        info.add_metric([status.version], 1)
        yield info
        yield GaugeMetricFamily("model_catalog_catalog_applied_timestamp_seconds",
                                "When the catalog version in force was applied (Unix time)",
                                value=_epoch(status.applied_at))
        yield GaugeMetricFamily(
            "model_catalog_catalog_age_seconds",
            "Seconds since the catalog was last known current (version applied or a clean sync)",
            value=max(0.0, time.time() - _epoch(status.confirmed_at)),
        )

    def _sync_runs(self):
        runs = CounterMetricFamily("model_catalog_sync_runs", "Finished and running syncs/refreshes",
                                   labels=["kind", "provider", "result"])
        last = GaugeMetricFamily("model_catalog_sync_last_finished_timestamp_seconds",
                                 "When the last run of each kind, provider and result finished",
                                 labels=["kind", "provider", "result"])
        for count in sync_run_counts():
            labels = [count.kind, count.provider, count.status]
            runs.add_metric(labels, count.count)
            if count.last_finished_at is not None:
                last.add_metric(labels, _epoch(count.last_finished_at))
        yield runs
        yield last


def render_metrics() -> bytes:
    """The exposition text for one scrape."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(CatalogCollector())
    return generate_latest(registry)


def install_request_metrics(app: Flask) -> None:
    """Count and time every request under its route template (``/api/models/<provider>``)."""

    @app.before_request
    def start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def record(response):
        started = g.pop("metrics_started", None)
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "<unmatched>"
            observe_request(request.method, route, response.status_code, time.perf_counter() - started)
        return response


# (method, route, status) -> the counter's and the histogram's labelled children: ``labels()``
# validates and locks on every call, and the set of routes is small and fixed.
_CHILDREN: dict[tuple[str, str, int], tuple] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its latency (also called by the WSGI fast path)."""
    children = _CHILDREN.get((method, route, status))
    if children is None:
        children = (REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route))
        _CHILDREN[(method, route, status)] = children
    children[0].inc()
    children[1].observe(seconds)
