# Kyokan — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KYOKAN := $(BIN)/kyokan
STAMP := $(VENV)/.installed

.PHONY: install run test lint format bench messages vendor demo-reset check-deploy clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

run: install
	$(KYOKAN) migrate --no-input
	$(KYOKAN) demo --if-empty
	@echo "Kyokan: http://127.0.0.1:8000  (demo logins above; password kyokan-demo-2026)"
	$(KYOKAN) runserver 127.0.0.1:8000

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(KYOKAN) makemigrations --check --dry-run
	$(BIN)/python -m pytest

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
