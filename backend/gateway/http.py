"""The gateway's outbound HTTP session: pooled connections, no automatic retries.

Failover to the next backend is the gateway's retry, so a retry inside the session would only
delay it. Every call passes an explicit ``(connect, read)`` timeout.
"""

from __future__ import annotations

import functools

import requests
from requests.adapters import HTTPAdapter

CONNECT_TIMEOUT_SECONDS = 10
USER_AGENT = "model-catalog-gateway/1.0"


@functools.cache
def gateway_session() -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=16, pool_maxsize=64, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def timeouts(read_seconds: int) -> tuple[int, int]:
    return (min(CONNECT_TIMEOUT_SECONDS, read_seconds), read_seconds)
