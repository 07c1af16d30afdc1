# Two commands for a newcomer: `make demo` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[all]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## make demo: the main job (an error budget with a table and a plot, written to demo_output/)
demo: install
	$(BIN)/qecsim demo --out demo_output

## make test: ruff, then pytest (unit tests, doctests, statistical tests, notebooks at small scale)
test: install lint
	QECSIM_QUICK=1 MPLBACKEND=Agg $(BIN)/python -m pytest -q --nbmake notebooks tests qecsim

lint: install
	$(BIN)/ruff check qecsim tests benchmarks

clean:
	rm -rf $(VENV) demo_output .pytest_cache
