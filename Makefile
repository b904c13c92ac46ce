# Trợ lý Nghị quyết — `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
TROLY  := $(VENV)/bin/troly
STAMP  := $(VENV)/.installed
# make run SKIP_GATE=1 opens the assistant even if the evaluation gate is not passed (warns).
UI_FLAGS := $(if $(SKIP_GATE),--bo-qua-gate,)

.PHONY: run test bench eval gate chat load-ui load load-shared clean-index

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,server]'
	touch $(STAMP)

# Build or update the index (offline defaults, with progress), check the evaluation gate,
# then open the Streamlit app at http://localhost:8501.
run: $(STAMP)
	-bash scripts/ocr_setup.sh
	$(TROLY) ingest
	-$(TROLY) eval --gate
	$(TROLY) ui $(UI_FLAGS)

chat: $(STAMP)
	$(TROLY) ingest
	$(TROLY) chat

test: $(STAMP)
	bash scripts/test_setup.sh
	$(PY) -m pytest

eval: $(STAMP)
	$(TROLY) eval

gate: $(STAMP)
	$(TROLY) ingest --quiet
	$(TROLY) eval --gate

load-ui: $(STAMP)
	$(PY) scripts/load_ui.py

# troly serve under N concurrent openai-SDK clients: throughput, p50/p95/p99, errors, the ceiling
load: $(STAMP)
	$(TROLY) ingest --quiet
	$(PY) scripts/load_api.py --ramp 1,10,25,50,100 --duration 20 --workers 2

# the same against two replicas sharing one Chroma server (a throw-away `chroma run`)
load-shared: $(STAMP)
	$(PY) scripts/load_api.py --chroma --replicas 2 --ramp 1,10,25,50,100 --duration 20 --workers 1

bench: $(STAMP)
	$(PY) scripts/bench_ingest.py
	$(PY) scripts/bench_search.py
	$(PY) scripts/compare_baselines.py

clean-index:
	rm -rf data/index
