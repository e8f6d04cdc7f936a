"""``python -m backend``: serve the API and the console on the embedded default (``make run``)."""

from __future__ import annotations

import sys

from backend.config import Config
from backend.errors import ConfigError


def main() -> int:
    try:
        config = Config.from_env()
        from backend.app import create_app

        app = create_app(config)
    except ConfigError as error:
        print(f"model-catalog: configuration error: {error.message}", file=sys.stderr)
        return 2
    key_source = "ADMIN_API_KEY" if config.environ.get("ADMIN_API_KEY") else config.var_dir / "admin_api_key"
    print(f"Model Catalog on http://127.0.0.1:{config.port} (admin key: {key_source})", file=sys.stderr)
    app.run(host="127.0.0.1", port=config.port, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
