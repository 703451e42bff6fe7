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

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check scoring streams tests bench
	$(VENV)/bin/mypy scoring streams

bench: install
	$(PY) bench/throughput.py
	$(PY) bench/text_bench.py

schemas: install
	$(PY) -m streams.schemas.publish

clean:
	rm -rf $(VENV) riskscorer-demo .riskscorer-data
