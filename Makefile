# Two commands: `make run` (the demo on embedded services) and `make test`.
# Each creates the virtual environment and installs what it needs on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: install run test lint bench schemas clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[embedded,test,train]'
	touch $@

run: install
	$(VENV)/bin/riskscorer demo

# The Prometheus deploy tests need promtool and prometheus (Debian's `prometheus` package;
# .ci/run installs it). Without them they are skipped, and `make test` says so at the end.
PROMETHEUS_MISSING = ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1

test: install
	@if $(PROMETHEUS_MISSING); then echo "make test: no promtool/prometheus: the Prometheus deploy tests will be skipped" >&2; fi
	$(PY) -m pytest -q; status=$$?; \
	if $(PROMETHEUS_MISSING); then \
	    echo "make test: SKIPPED the Prometheus deploy tests (tests/deploy: promtool and prometheus not installed;" \
	         "apt-get install prometheus to run them)" >&2; \
	fi; exit $$status

lint: install
	$(VENV)/bin/ruff check scoring streams tests bench
	$(VENV)/bin/mypy scoring streams

bench: install
	$(PY) bench/throughput.py
	$(PY) bench/text_bench.py

schemas: install
	$(PY) -m streams.batch.schemas.publish

clean:
	rm -rf $(VENV) riskscorer-demo .riskscorer-data
