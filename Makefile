# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PORT   ?= 5000
FLASK  := $(VENV)/bin/flask --app portal

.PHONY: run test install install-test browser lint bench clean

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q -e '.[test]'
	$(PIP) install -q -e tests/example_plugin
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test browser

# Debian's Chromium for the browser tests; the playwright package drives it,
# no browser download (there is no internet here).
browser:
	@bash scripts/install-chromium.sh

run: install
	$(FLASK) init-db --demo
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install-test
	$(VENV)/bin/ruff check portal plugins tests bench
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check portal plugins tests bench

bench: install-test
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) instance/portal.sqlite3*
