# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PORT   ?= 5000
FLASK  := $(VENV)/bin/flask --app portal

.PHONY: run test install install-test browser lint format bench clean faults \
	translations translations-extract translations-update

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q -e '.[test]'
	$(PIP) install -q -e tests/example_plugin
	touch $@

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test browser translations

# The parents' pages in their language (portal/i18n.py): gettext catalogues, Dutch the source.
# `make translations-extract` collects the marked texts into messages.pot, `make
# translations-update` adds new ones to every language's messages.po (then translate them:
# tests/test_i18n.py fails while one lacks a translation), and the compiled .mo files are
# made at install (they are not committed).
BABEL      := $(VENV)/bin/pybabel
CATALOGUES := portal/translations
MO_FILES   := $(patsubst %.po,%.mo,$(wildcard $(CATALOGUES)/*/LC_MESSAGES/messages.po))

translations: $(MO_FILES)

$(CATALOGUES)/%/LC_MESSAGES/messages.mo: $(CATALOGUES)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BABEL) compile -d $(CATALOGUES) -l $*

translations-extract: $(VENV)/.installed
	$(BABEL) extract -F babel.cfg -k translatable -k _l -k lazy_gettext --no-location --sort-output \
		--project veiligheidsportaal --copyright-holder "Veiligheidsportaal" -o $(CATALOGUES)/messages.pot .

translations-update: translations-extract
	$(BABEL) update -i $(CATALOGUES)/messages.pot -d $(CATALOGUES) --no-fuzzy-matching --ignore-obsolete

# Debian's Chromium for the browser tests (the playwright package drives it,
# no browser download: there is no internet here) and age for the back-up test.
browser:
	@bash scripts/install-test-tools.sh

# The outbox worker runs beside the web server (the web server never sends mail).
# Both run in the background and the shell waits, so that Ctrl-C, a SIGTERM to make
# or the web server ending all reach the EXIT trap, which stops both.
# The demo's logins have a published password and no second factor: PORTAL_REQUIRE_MFA=0
# is the deliberate opt-out that a real deployment never sets.
run: export PORTAL_REQUIRE_MFA ?= 0
run: install
	$(FLASK) init-db --demo
	@$(FLASK) outbox work & worker=$$!; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT) & web=$$!; \
	trap 'kill $$worker $$web 2>/dev/null; wait $$worker $$web 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	wait $$web

test: install-test
	$(VENV)/bin/ruff check portal plugins tests bench faults
	$(VENV)/bin/ruff format --check portal plugins tests bench faults
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check portal plugins tests bench faults
	$(VENV)/bin/ruff format --check portal plugins tests bench faults

# ruff format rewrites the code in the project's one style (make test checks it).
format: install-test
	$(VENV)/bin/ruff format portal plugins tests bench faults

# The benchmark (docs/performance.md). On PostgreSQL: make bench ARGS="--database
# postgresql://postgres@127.0.0.1:5432" (or BENCH_DATABASE=…): it makes and drops bench_<size>.
bench: install-test
	$(PY) bench/run.py $(ARGS)

clean:
	rm -rf $(VENV) instance/portal.sqlite3* $(CATALOGUES)/*/LC_MESSAGES/messages.mo

# Fault injection against a served portal (not part of `make test`; about 10 minutes).
# Options through ARGS, e.g. make faults ARGS="--only upgrade --db sqlite --portal /tmp/old".
faults: $(VENV)/.installed-test
	$(PY) -m faults $(ARGS)
