# Setup is idempotent: the editable install reruns only when pyproject.toml
# is newer than the stamp, so a second `make run` starts at once.
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT   := out

.PHONY: run test gate validate clean python chromium ocr bench bench-large variants variants-score typeset-debs

run: python $(STAMP) ocr
	$(VENV)/bin/compendium extract raw --out $(OUT)

test: python $(STAMP) gate chromium ocr
	$(PY) -m pytest -q

# The gate before the tests: formatted (ruff format), linted (ruff: pycodestyle, pyflakes,
# bugbear, isort), typed (mypy on pipeline/ and schemas/), and the import contracts kept
# (import-linter: no circles, layers; see pyproject.toml). `ruff format .` fixes the first.
LINTED := pipeline schemas tests bench typeset
gate: $(STAMP)
	$(VENV)/bin/ruff format --check --quiet $(LINTED)
	$(VENV)/bin/ruff check --quiet $(LINTED)
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache >/dev/null || $(VENV)/bin/lint-imports --no-cache

# The report test opens the report in a real headless browser: Debian's chromium,
# installed once (apt-get as root, else through sudo if it asks no password); a no-op
# when a Chromium is on the PATH. Where it cannot be installed it says so and goes on:
# the browser test then skips, saying why.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
CAN_APT = command -v apt-get >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  command -v google-chrome >/dev/null 2>&1 || { \
	  if $(CAN_APT); then \
	    echo "installing Debian's chromium for the report's browser test"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	      || echo "could not install chromium: the browser test skips"; \
	  else \
	    echo "not installing chromium (that needs apt-get, as root or through sudo): the browser test skips"; \
	  fi; }

# OCR for scans (extract --ocr auto, the default): Debian's OCRmyPDF and Tesseract with its
# English model, installed once (apt-get as root, else through sudo if it asks no password);
# a no-op when they are there. Where they cannot be installed it says so and goes on: scans
# then fail as no-text-layer, saying why, and the tests that need OCR skip.
OCR_DEBS := ocrmypdf tesseract-ocr tesseract-ocr-eng
OCR_SKIPPED := scans will fail as no-text-layer and the OCR tests skip
ocr:
	@command -v ocrmypdf >/dev/null 2>&1 && command -v tesseract >/dev/null 2>&1 || { \
	  if $(CAN_APT); then \
	    echo "installing Debian's $(OCR_DEBS) for OCR of scans"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(OCR_DEBS) \
	      >/dev/null || echo "could not install $(OCR_DEBS): $(OCR_SKIPPED)"; \
	  else \
	    echo "not installing $(OCR_DEBS) (that needs apt-get, as root or through sudo): $(OCR_SKIPPED)"; \
	  fi; }

validate: $(STAMP)
	$(VENV)/bin/compendium validate $(OUT)

# Timings against the floor (pdfplumber reading the characters) and PyMuPDF4LLM,
# peak memory, 100 against 1,000 pages: a table, and $(OUT)/_bench.json. The bench
# extra (PyMuPDF4LLM, pypdf, pyinstrument) is installed once, like the dev one.
# BENCH_RUNS=N changes the number of runs a median is taken of (default 3).
BENCH_STAMP := $(VENV)/.installed-bench
bench: $(BENCH_STAMP)
	$(PY) bench/bench.py --out $(OUT)

# The sample concatenated to 1,000 and 10,000 pages, once each: time linear in pages and
# peak memory flat ($(OUT)/_bench-large.json). Long: about an hour on two cores.
bench-large: $(BENCH_STAMP)
	$(PY) bench/bench.py --out $(OUT) --large-only --large-pages 1000,10000 --runs 1

$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(PY) -m pip install -q -e '.[dev,bench]'
	touch $(BENCH_STAMP)

# The sample set again in six other layouts (typeset/), each PDF with a truth that
# describes it, in $(OUT)/variants; a variant is rendered again only when the
# typesetter, its stylesheets or the truth changed. The typeset extra (WeasyPrint)
# is installed once, like the bench one; WeasyPrint draws text with Debian's pango,
# and the layouts name fonts Debian packages (CJK in the notes: WenQuanYi).
VARIANTS_DIR := $(OUT)/variants
TYPESET_STAMP := $(VENV)/.installed-typeset
TYPESET_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-crosextra-carlito \
                fonts-crosextra-caladea fonts-liberation2 fonts-linuxlibertine fonts-wqy-microhei
variants: typeset-debs $(TYPESET_STAMP)
	$(PY) -m typeset --out $(VARIANTS_DIR)

# Extracts the variants with the pipeline and scores each against its own truth with
# ../shared/eval/score.py (skipped, saying so, when ../shared is absent).
variants-score: variants
	$(VENV)/bin/compendium extract $(VARIANTS_DIR) --out $(OUT)/variants-out
	$(PY) -m typeset.score --variants $(VARIANTS_DIR) --out $(OUT)/variants-out

typeset-debs:
	@dpkg -s $(TYPESET_DEBS) >/dev/null 2>&1 || { \
	  echo "installing Debian's pango and fonts for the typesetter"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TYPESET_DEBS) >/dev/null; }

$(TYPESET_STAMP): pyproject.toml | $(STAMP)
	$(PY) -m pip install -q -e '.[dev,typeset]'
	touch $(TYPESET_STAMP)

# Python >= 3.11, checked before anything is installed: the one that made .venv, or
# $(PYTHON) that will make it (`make PYTHON=python3.12 run` to choose another).
PYTHON ?= python3
NEEDS_PYTHON := import sys; sys.exit(sys.version_info < (3, 11))
python:
	@if [ -e $(PY) ]; then \
	  $(PY) -c '$(NEEDS_PYTHON)' 2>/dev/null || { \
	    echo "$(VENV) was made by $$($(PY) -V 2>/dev/null || echo a Python that is gone), and compendium needs" \
	         "Python >= 3.11: remove $(VENV) and run make again (PYTHON=python3.X chooses the Python)"; exit 1; }; \
	else \
	  $(PYTHON) -c '$(NEEDS_PYTHON)' 2>/dev/null || { \
	    echo "compendium needs Python >= 3.11; $(PYTHON) is $$($(PYTHON) -V 2>/dev/null || echo missing):" \
	         "run make PYTHON=python3.11 (or newer)"; exit 1; }; \
	fi

$(PY):
	$(PYTHON) -m venv $(VENV)

# (the distribution was called compendium before: a .venv holding it loses it first)
$(STAMP): pyproject.toml | $(PY)
	@$(PY) -m pip uninstall -y -q compendium 2>/dev/null || true
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis .mypy_cache .ruff_cache build *.egg-info
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
