# Setup is idempotent: the editable install reruns only when pyproject.toml
# is newer than the stamp, so a second `make run` starts at once.
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT   := out

.PHONY: run test validate clean chromium bench

run: $(STAMP)
	$(VENV)/bin/compendium extract raw --out $(OUT)

test: $(STAMP) chromium
	$(PY) -m pytest -q

# The report test opens the report in a real headless browser: Debian's
# chromium, installed once (apt-get as root, else through sudo); a no-op when
# a chromium is already on the PATH.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the report's browser test"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

validate: $(STAMP)
	$(VENV)/bin/compendium validate $(OUT)

# Timings against the floor (pdfplumber reading the characters) and PyMuPDF4LLM,
# peak memory, 100 against 1,000 pages: a table, and $(OUT)/_bench.json. The bench
# extra (PyMuPDF4LLM, pypdf, pyinstrument) is installed once, like the dev one.
# BENCH_RUNS=N changes the number of runs a median is taken of (default 3).
BENCH_STAMP := $(VENV)/.installed-bench
bench: $(BENCH_STAMP)
	$(PY) bench/bench.py --out $(OUT)

$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(PY) -m pip install -q -e '.[dev,bench]'
	touch $(BENCH_STAMP)

$(PY):
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis build *.egg-info
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
