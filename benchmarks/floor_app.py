"""The framework floor: a bare Flask app answering with bytes already in memory.

It serves exactly the bytes (plain and gzip) and ETags our service answered with, captured by the
read benchmark into ``BENCH_FLOOR_DIR`` (``responses.json`` + the body files), and does the least
a correct endpoint must: pick the encoding, compare If-None-Match, set the same headers. Whatever
our service spends beyond this is the cost of our code.

Run under gunicorn with the production settings: ``gunicorn benchmarks.floor_app:app``.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from flask import Flask, Response, request

app = Flask(__name__)

_DIRECTORY = Path(os.environ.get("BENCH_FLOOR_DIR", "var/bench/floor"))


def _load() -> dict[str, dict]:
    index = orjson.loads((_DIRECTORY / "responses.json").read_bytes())
    return {
        path: {
            "plain": (_DIRECTORY / entry["plain_file"]).read_bytes(),
            "gzip": (_DIRECTORY / entry["gzip_file"]).read_bytes(),
            "etag": entry["etag"],
            "gzip_etag": entry["gzip_etag"],
        }
        for path, entry in index.items()
    }


RESPONSES = _load()

# docker/gunicorn.conf.py's fork hooks check each worker's database connection; give them one
# (once per worker, never per request) so the floor runs under exactly those settings.
if os.environ.get("DATABASE_URL"):
    from backend.store.db import bind_database

    bind_database(os.environ["DATABASE_URL"])


@app.get("/healthz")
def healthz():
    return "ok"


@app.get("/<path:path>")
def serve(path: str):
    entry = RESPONSES.get("/" + path)
    if entry is None:
        return Response(status=404)
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    etag = entry["gzip_etag"] if gzipped else entry["etag"]
    if request.headers.get("If-None-Match") == etag:
        response = Response(status=304)
    else:
        response = Response(entry["gzip"] if gzipped else entry["plain"], mimetype="application/json")
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Vary"] = "Accept-Encoding"
    return response
