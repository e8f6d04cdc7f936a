# Model Catalog — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-slow lint audit clean bench

install: $(STAMP)

$(STAMP): pyproject.toml frontend/package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.2
	$(PY) -m pip install --quiet -e '.[dev]'
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

run: install
	$(PY) -m backend

# Two pytest workers: most tests wait on a browser, a subprocess or a socket, not the CPU.
PYTEST_WORKERS ?= 2

test: install
	$(PY) -m pytest -m "not slow" -n $(PYTEST_WORKERS)
	node --test frontend/tests/

# The long runs (the long fuzzing run, …): CI runs them once, on SQLite.
test-slow: install
	$(PY) -m pytest -m slow -n $(PYTEST_WORKERS)

# Benchmarks against their floors (docs/performance.md); installs Debian's wrk and nginx if missing.
bench: install
	$(PY) -m benchmarks.read
	$(PY) -m benchmarks.sync
	$(PY) -m benchmarks.preview

lint: install
	$(PY) -m ruff check backend tests scripts

# Static and supply-chain checks: ruff's security rules (in lint), bandit at medium severity and
# above, actionlint over .github/workflows, pip-audit and npm audit (an unreachable advisory
# service is reported, not failed).
audit: install
	$(PY) -m bandit --quiet --recursive backend --severity-level medium
	$(VENV)/bin/actionlint
	$(PY) scripts/audit_dependencies.py

clean:
	rm -rf $(VENV) frontend/node_modules
