"""The WSGI entry point gunicorn imports: ``backend.wsgi:app``."""

from backend.app import create_app

app = create_app()
