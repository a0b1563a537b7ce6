# Two commands do all the setup on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.fairhire-installed

.PHONY: demo test lint docs bench bench-quick clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/demo.py

# The docs are built first (a broken page fails in seconds, not after the suite); the browser
# tests then read that site (FAIRHIRE_DOCS_SITE) instead of building it a second time.
test: $(STAMP)
	$(PY) -m ruff check fairhire tests benchmarks examples
	rm -rf site && NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --quiet --site-dir site
	FAIRHIRE_DOCS_SITE="$(CURDIR)/site" $(PY) -m pytest -q -n 2 --dist loadgroup -p no:cacheprovider

lint: $(STAMP)
	$(PY) -m ruff check fairhire tests benchmarks examples

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --site-dir site

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

bench-quick: $(STAMP)
	$(PY) benchmarks/run_all.py --quick

clean:
	rm -rf $(VENV) site reports .pytest_cache
