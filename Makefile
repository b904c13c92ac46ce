# Trợ lý Nghị quyết — `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
TROLY  := $(VENV)/bin/troly
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean-index

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Build or update the index (offline defaults), then start the assistant.
run: $(STAMP)
	$(TROLY) ingest
	$(TROLY) docs
	$(TROLY) chat

test: $(STAMP)
	bash scripts/test_setup.sh
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) scripts/bench_ingest.py

clean-index:
	rm -rf data/index
