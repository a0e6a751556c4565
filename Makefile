# Setup is idempotent: the editable install reruns only when pyproject.toml
# is newer than the stamp, so a second `make run` starts at once.
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT   := out

.PHONY: run test validate clean

run: $(STAMP)
	$(VENV)/bin/compendium extract raw --out $(OUT)

test: $(STAMP)
	$(PY) -m pytest -q

validate: $(STAMP)
	$(VENV)/bin/compendium validate $(OUT)

$(PY):
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis build *.egg-info
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
