# The two commands of the README: `make run` (the main job, no server needed) and
# `make test` (the whole suite, starting the real Neo4j it needs). Both install what they use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck pytest clean neo4j-start neo4j-stop bench bench-quick

# PYTHONWARNINGS mutes setuptools' informational "Editable installation" banner, nothing else.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

run: $(STAMP)
	$(BIN)/kg validate
	$(BIN)/kg build
	$(BIN)/kg stats
	$(BIN)/kg export rdf --shacl -o exports/graph.ttl
	$(BIN)/kg export graph --projection full -o exports/graph.graphml
	$(BIN)/kg centrality --measure all --top 0 --format csv > exports/centrality.csv
	@echo "wrote exports/centrality.csv"
	$(BIN)/kg draw -o exports/graph.png --html exports/graph.html
	@echo "Top 10 actors by PageRank:"
	@$(BIN)/kg centrality --measure pagerank --top 10
	@if [ -n "$$NEO4J_URI" ] || $(BIN)/kg neo4j status >/dev/null 2>&1; then \
	  $(BIN)/kg load && $(BIN)/kg query incidents-timeline; \
	else \
	  echo "Neo4j: no server configured, so nothing was loaded. Start one with"; \
	  echo "  $(BIN)/kg neo4j start    (or: docker compose up -d --wait, and set NEO4J_URI/NEO4J_PASSWORD)"; \
	  echo "and run 'make run' again to load the graph and print the incidents timeline."; \
	fi

LINT_PATHS := kg tests $(wildcard bench/*.py)

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	bash .ci/with-neo4j $(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# Benchmarks (docs/benchmarks.md): `make bench` writes bench/RESULTS.md (tens of minutes);
# `make bench-quick` runs small sizes in a few minutes and writes $(BENCH_QUICK_OUT).
BENCH_QUICK_OUT ?= build/bench/RESULTS-quick.md

bench: $(STAMP)
	$(BIN)/python bench/run.py --out bench/RESULTS.md

bench-quick: $(STAMP)
	$(BIN)/python bench/run.py --quick --out $(BENCH_QUICK_OUT)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
