# newsetl — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint audit bench eval eval-ner constraints clean

install: $(STAMP)

# Reinstalls only when the project metadata or the pins change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/newsetl demo

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check etl dags tests bench

# Known vulnerabilities in the frozen pins; fails when a package could not be checked (README: Reliability).
audit: install
	$(BIN)/python -m pip install --quiet pip-audit
	$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r constraints.txt

bench: install
	$(BIN)/python bench/bench_fetch.py
	$(BIN)/python bench/bench_ner.py
	$(BIN)/python bench/bench_long_article.py
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_dedup.py

eval: install
	$(BIN)/python bench/eval_extract.py
	$(BIN)/python bench/eval_claims.py
	$(BIN)/python bench/eval_polnear.py
	$(BIN)/python bench/eval_polnear.py --ner
	$(BIN)/python bench/eval_dedup.py

# Blocked 5-fold CV and cross-corpus NER scores (about 20 minutes on two cores).
eval-ner: install
	$(BIN)/python bench/eval_ner.py

# Refreeze the pins after changing dependencies (Airflow's published constraints can't be fetched here).
constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^newsetl' > constraints.txt

clean:
	rm -rf $(VENV) .newsetl .pytest_cache
