# Two commands from a fresh clone: `make run` opens the window, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORE_VENV := .venv-core
STAMP := $(VENV)/.installed
CORE_STAMP := $(CORE_VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-gui test-core lint bench bundle clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# A second environment with the core dependencies and pytest but no Qt: proves the core and the
# command line run on a machine without PySide6.
$(CORE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(CORE_VENV)
	$(CORE_VENV)/bin/pip install -q --no-deps -e .
	$(PYTHON) tools/requirements.py core > $(CORE_VENV)/requirements.txt
	$(PYTHON) tools/requirements.py test-core >> $(CORE_VENV)/requirements.txt
	$(CORE_VENV)/bin/pip install -q -r $(CORE_VENV)/requirements.txt
	! $(CORE_VENV)/bin/python -c "import PySide6" 2>/dev/null
	touch $@

run: $(STAMP)
	$(BIN)/annotator

# Every part runs even when an earlier one fails (the Qt-free suite is reported on its own); the
# status is non-zero when any part failed.
test: $(STAMP) $(CORE_STAMP)
	@failed=""; \
	$(MAKE) --no-print-directory lint || failed="$$failed lint"; \
	$(MAKE) --no-print-directory test-gui || failed="$$failed test-gui"; \
	$(MAKE) --no-print-directory test-core || failed="$$failed test-core"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: lint, test-gui and test-core passed"

test-gui: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider

test-core: $(CORE_STAMP)
	$(CORE_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/core

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check annotator tests benchmarks tools
	$(BIN)/mypy annotator/core annotator/cli annotator/gui

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# A one-folder application (dist/annotator/annotator) that runs on a machine without Python;
# the schemas and resources go where an installed wheel has them (annotator/_data/), and the
# Alembic revisions stay files (Alembic reads them from disk).
BUNDLE_ARGS := --noconfirm --clean --onedir --name annotator --distpath dist --workpath build/pyinstaller \
	--specpath build --add-data "$(CURDIR)/schemas:annotator/_data/schemas" \
	--add-data "$(CURDIR)/resources:annotator/_data/resources" --collect-submodules annotator \
	--add-data "$(CURDIR)/annotator/core/migrations:annotator/core/migrations" \
	--collect-data dateparser --collect-data reverse_geocode --collect-data pycountry \
	--collect-data jsonschema_specifications --collect-data docx --collect-data tzdata \
	--exclude-module tkinter --exclude-module pytest --exclude-module mypy
# Built from an environment of its own with the runtime dependencies only (the test venv's
# spaCy, hypothesis, ... would otherwise follow the imports into the bundle); the project is
# installed there, not linked, and reinstalled on every build.
BUNDLE_VENV := .venv-bundle
$(BUNDLE_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/pip install -q '.[bundle]'
	touch $@
bundle: $(BUNDLE_VENV)/.installed
	$(BUNDLE_VENV)/bin/pip install -q --no-deps --force-reinstall .
	$(BUNDLE_VENV)/bin/pyinstaller $(BUNDLE_ARGS) tools/bundle_entry.py
	@echo "dist/annotator/annotator: the bundle (copy the whole dist/annotator folder)"

clean:
	rm -rf $(VENV) $(CORE_VENV) $(BUNDLE_VENV) build dist .mypy_cache .ruff_cache
