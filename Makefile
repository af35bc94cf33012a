# Kyokan — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KYOKAN := $(BIN)/kyokan
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto

.PHONY: install run test lint format bench bench-procedures bench-insight bench-consensus messages vendor demo-reset check-deploy clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@# GiNZA's word vectors, read directly by kyokan.textanalysis (no spaCy pipeline). Installed
	@# without its dependencies (ja-ginza 5.3.0 requires sudachipy<0.7 and spaCy; Kyokan
	@# uses SudachiPy 0.7.0 and no spaCy), as docs/production.md does in production.
	$(BIN)/python -m pip install --quiet --no-deps -c constraints.txt "ja-ginza==5.3.0"
	touch $(STAMP)

run: install
	$(KYOKAN) migrate --no-input
	$(KYOKAN) demo --if-empty
	@echo "Kyokan: http://127.0.0.1:8000  (demo logins above; password kyokan-demo-2026)"
	@# The background worker (analyses) runs beside the server and stops with it.
	$(KYOKAN) db_worker --no-startup-delay --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(KYOKAN) runserver 127.0.0.1:8000

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(KYOKAN) makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Large-city benchmark in its own database (var/bench/): figures printed and written to
# bench-results.json.
bench: install
	KYOKAN_DATA_DIR=var/bench $(KYOKAN) migrate --no-input -v0
	KYOKAN_DATA_DIR=var/bench $(KYOKAN) bench

# Procedure inventory: the whole national file imported (time, peak memory), then the
# inventory's pages with 75,000 procedures (median server time), in var/bench-procedures/.
bench-procedures: install
	$(BIN)/python scripts/bench_procedures.py

# Offline text analysis: quality on the held-out split of the labelled set (ARI/NMI per
# level vs a char n-gram baseline, duplicates and campaigns P/R, alignment AUC, stability),
# then 10,000 / 100,000 comments of realistic length (time, peak memory, load average).
bench-insight: install
	$(BIN)/python scripts/bench_insight.py

# Consensus analysis: agreement with Polis's own groups on the six shared conversations
# (tuning and held-out means), 10,000 participants × 2,000 statements (target < 10 s),
# and the largest shared conversation.
bench-consensus: install
	$(BIN)/python scripts/bench_consensus.py

# Extract and compile translations (needs GNU gettext's xgettext for extraction).
messages: install
	cd kyokan && ../$(KYOKAN) makemessages -l ja -l en --no-obsolete --no-location
	$(BIN)/python scripts/compile_messages.py

# Vendor the npm front-end assets once (needs Node.js/npm; users do not).
vendor:
	bash scripts/vendor.sh

demo-reset: install
	$(KYOKAN) demo --reset

check-deploy: install
	KYOKAN_ENV=production KYOKAN_SECRET_KEY=$$($(BIN)/python -c "import secrets;print(secrets.token_urlsafe(64))") \
	KYOKAN_ALLOWED_HOSTS=kyokan.example.jp $(KYOKAN) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var bench-results.json
