"""One-line structured logs: ``time level logger message key=value…``."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    if not any(getattr(h, "_model_catalog", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT, "%Y-%m-%dT%H:%M:%S%z"))
        handler.addFilter(SecretRedactor())
        handler._model_catalog = True
        root.addHandler(handler)
    root.setLevel(level)


class RunLogger(logging.LoggerAdapter):
    """Appends ``run_id=… key=value`` to every line, so one run's lines grep together."""

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        fields = " ".join(f"{key}={value}" for key, value in self.extra.items() if value is not None)
        return f"{msg} {fields}", kwargs


def run_logger(logger: logging.Logger, run_id: str, **fields: Any) -> RunLogger:
    """``run_logger(log, run.run_id, provider="groq").info("fetched %d models", n)``."""
    return RunLogger(logger, {"run_id": run_id, **fields})


# Bearer tokens and key=value / "key": "value" pairs whose name says they hold a secret.
_SECRET_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[^\s\"',]+"),
    re.compile(r"(?i)((?:api[_-]?key|token|secret|password)[\"']?\s*[:=]\s*[\"']?)[^\s\"',&]+"),
    re.compile(r"(?i)(postgres(?:ql)?://[^:/@\s]+:)[^@\s]+(?=@)"),
)


class SecretRedactor(logging.Filter):
    """Last line of defence: masks anything shaped like a credential before a line is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        for pattern in _SECRET_PATTERNS:
            redacted = pattern.sub(r"\1***", redacted)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
