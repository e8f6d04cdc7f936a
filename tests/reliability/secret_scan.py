"""A session-wide watch for secrets leaving the app: every response body and header, every log line.

``tests/conftest.py`` installs one ``SecretScan`` for the whole test session. It learns the secrets
of every app that serves a request (its admin key, the KEKs of its keyring in the forms they are
written in, its feed signing key), plus any a test registers with ``watch()`` (a provider
credential), and records where one of them showed up. A finished response is read unless it is
streamed (reading would consume it). Log records are kept as formatted text and checked at the
end, so a line logged before its secret was learned is still caught.
"""

from __future__ import annotations

import base64
import logging

from flask import Flask, Response, request, request_finished

MIN_SECRET_LENGTH = 8  # shorter values would match by accident (and no real secret is that short)


class _LogCapture(logging.Handler):
    def __init__(self, lines: set[str]):
        super().__init__(level=logging.DEBUG)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {record.exc_info[1]!r}"
        self.lines.add(f"{record.name}: {text}")


class SecretScan:
    def __init__(self):
        self.secrets: dict[str, str] = {}
        self.leaks: list[str] = []
        self.responses_scanned = 0
        self.log_lines: set[str] = set()
        self._handler = _LogCapture(self.log_lines)

    def watch(self, secret: str | bytes, what: str) -> None:
        text = secret.decode("latin-1") if isinstance(secret, bytes) else secret
        if text and len(text) >= MIN_SECRET_LENGTH:
            self.secrets.setdefault(text, what)

    def learn(self, app: Flask) -> None:
        config = app.config["CATALOG"]
        self.watch(config.admin_api_key, "the admin key")
        if config.catalog_signing_key:
            self.watch(config.catalog_signing_key, "the feed signing key")
        keyring = app.extensions.get("keyring")
        for kek_id, key in (keyring.keys.items() if keyring else ()):
            self.watch(base64.b64encode(key).decode(), f"KEK {kek_id} (base64)")
            self.watch(key.hex(), f"KEK {kek_id} (hex)")

    def _on_response(self, sender: Flask, response: Response, **extra) -> None:
        self.learn(sender)
        if response.is_streamed:
            return
        self.responses_scanned += 1
        body = response.get_data().decode("latin-1")
        headers = str(response.headers)
        for secret, what in self.secrets.items():
            if secret in body or secret in headers:
                self.leaks.append(f"{request.method} {request.path}: {what} in the response")

    def install(self) -> SecretScan:
        request_finished.connect(self._on_response)
        logging.getLogger().addHandler(self._handler)
        return self

    def uninstall(self) -> None:
        request_finished.disconnect(self._on_response)
        logging.getLogger().removeHandler(self._handler)

    def findings(self) -> list[str]:
        """Every leak seen in a response, plus every log line that holds a secret."""
        logged = [f"log line: {what} in {line[:200]!r}"
                  for line in sorted(self.log_lines)
                  for secret, what in self.secrets.items() if secret in line]
        return self.leaks + logged
