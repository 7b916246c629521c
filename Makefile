# The two commands of the README, `make report` and `make test`, set everything up
# themselves: they create or update .venv (Python 3.11 + pip is all a machine needs).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= data/sample/articles.jsonl
REPORTS ?= reports

.PHONY: setup report test lab bench battery eval lint clean embeddings

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or make PYTHON=python3)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (presslens)" >/dev/null
	touch $(STAMP)

# The optional sentence embeddings are not installed here (about 1.1 GB with CPU torch); one line
# says what they would add (held-out figures in the README) and how to get them.
report: $(STAMP)
	@$(BIN)/python -c "import importlib.util as u, sys; sys.exit(u.find_spec('sentence_transformers') is None)" 2>/dev/null \
	  || echo "presslens: running without the optional sentence embeddings; 'make embeddings' (about 1.1 GB) adds them to the persuasion model (+0.03 macro paragraph F1) and the trained MFC frame model (+0.012 micro-F1)."
	$(BIN)/presslens report $(CORPUS) --out $(REPORTS)

# Lint, unit tests, the docstrings' examples, then every notebook executed on the sample corpus
# under nbval.
test: $(STAMP)
	$(BIN)/ruff check lib tests benchmarks scripts
	$(BIN)/python -m pytest tests -p no:cacheprovider
	$(BIN)/python -m pytest lib/presslens --doctest-modules -q -p no:cacheprovider
	PRESSLENS_HEADLESS=1 $(BIN)/python -m pytest notebooks --nbval-lax --nbval-sanitize-with notebooks/sanitize.cfg -p no:cacheprovider

# JupyterLab on notebooks/: `make lab PORT=8899 LAB_FLAGS="--no-browser --ip=0.0.0.0"`.
# Jupyter refuses to run as root without --allow-root (containers, CI): added when root.
PORT ?= 8888
LAB_FLAGS ?=
LAB_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ --port=$(PORT) $(LAB_ROOT) $(LAB_FLAGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# presslens report on awkward corpora (a .txt folder, one article, only non-English, dates
# 1900-2200, 2,000 articles): every page clean, exit code and memory (about 10 minutes on 2 idle cores).
battery: $(STAMP)
	$(BIN)/python benchmarks/report_battery.py

# The figures of the README's quality table: with the optional sentence embeddings of the
# MFC frame model (pip takes torch's CPU build from PIP_FIND_LINKS where the machine has one).
EMBED_STAMP := $(VENV)/.installed-embeddings

$(EMBED_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,embeddings]"
	touch $(EMBED_STAMP)

embeddings: $(EMBED_STAMP)

eval: $(EMBED_STAMP)
	$(BIN)/python -m presslens.evaluate all

lint: $(STAMP)
	$(BIN)/ruff check lib tests benchmarks scripts

clean:
	rm -rf $(VENV) .cache reports
