# Two commands do everything:
#   make lab    create .venv if needed, start the local hub and JupyterLab on lesson 00
#   make test   create .venv if needed and run every test, offline
SHELL := /bin/bash
# The course is tested on Python 3.11 only (requires-python in pyproject.toml): prefer a
# python3.11 on PATH; tools/check_python.py stops with the install command otherwise.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The course environment (one BLAS/torch thread, fixed hashing) comes from one file,
# also read by Binder's start, tools/, the tests and release.verify: each of its lines
# is an `export NAME=value` that Make and bash both understand.
include src/modelshare/env/course.env
# The tests and `make lab` talk to a local workshop hub: large files go through LFS, not Xet.
export HF_HUB_DISABLE_XET := 1

NBVAL_SANITIZE := --nbval-sanitize-with tests/sanitize.cfg

.PHONY: lab test test-fast site conformance exercises execute benchmarks clean jupyterhub-proxy

$(STAMP): pyproject.toml
	@test -x $(PY) || { $(PYTHON) tools/check_python.py && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --upgrade --quiet pip
	$(PY) -m pip install --quiet -e '.[dev,site]'
	@touch $(STAMP)

# axe-core for the accessibility tests, from the npm registry as package-lock.json pins it.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make test needs npm (Node.js) for axe-core:" \
	  "sudo apt-get install npm (Debian/Ubuntu), brew install node (macOS)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

# configurable-http-proxy (npm) for the JupyterHub test and benchmark, from the committed lockfile.
JHUB := deployments/jupyterhub
PROXY := $(JHUB)/node_modules/.bin/configurable-http-proxy
$(PROXY): $(JHUB)/package.json $(JHUB)/package-lock.json
	npm ci --prefix $(JHUB) --no-audit --no-fund --loglevel=error
	@touch $(PROXY)

jupyterhub-proxy: $(PROXY)

lab: $(STAMP)
	$(PY) tools/lab.py

# The examples in src/modelshare's docstrings run as tests (an example that cannot run
# here says `# doctest: +SKIP`); a run of their own, so that no helper file in tests/
# is imported as a module of examples.
DOCTESTS := $(VENV)/bin/pytest --doctest-modules src/modelshare

# Every test: a browser (found or installed), exercises in sync, lint, unit/real-client/browser
# tests (the website and axe among them) and doctests, huggingface_hub's own tests against the
# workshop hub, nbval strict on lessons and solutions, nbval lax on exercises.
test: $(STAMP) $(PROXY) $(NODE_STAMP)
	$(PY) tests/browser_helpers.py
	$(PY) tools/build_exercises.py --check
	$(VENV)/bin/ruff check .
	MODELSHARE_STRICT=1 $(VENV)/bin/pytest tests
	MODELSHARE_STRICT=1 $(DOCTESTS)
	$(PY) tests/conformance/run.py
	MODELSHARE_STRICT=1 $(VENV)/bin/pytest --nbval --nbval-current-env $(NBVAL_SANITIZE) index.ipynb lessons/*.ipynb solutions/*.ipynb
	$(VENV)/bin/pytest --nbval-lax --nbval-current-env $(NBVAL_SANITIZE) exercises/*.ipynb

# A quick loop while coding: unit tests and doctests; no notebooks, no browser, no
# JupyterLab, nothing marked slow (a test over about 3 s on the 2-core machine is).
test-fast: $(STAMP)
	MODELSHARE_STRICT=1 $(VENV)/bin/pytest tests -m "not browser and not slow"
	MODELSHARE_STRICT=1 $(DOCTESTS)

# The course website from the notebooks as committed (nothing re-executed): _build/site/.
site: $(STAMP)
	$(PY) tools/build_site.py

# huggingface_hub's own test suite (its PyPI sdist, downloaded into _conformance/) against
# the workshop hub: results per module, fails below 95 % of in-scope hub tests passing.
conformance: $(STAMP)
	$(PY) tests/conformance/run.py

# Maintainer commands.
exercises: $(STAMP)
	$(PY) tools/build_exercises.py

execute: $(STAMP)
	$(PY) tools/execute_notebooks.py

benchmarks: $(STAMP) $(PROXY)
	$(PY) benchmarks/notebooks.py
	$(PY) benchmarks/hub.py
	$(PY) benchmarks/cards.py
	$(PY) benchmarks/editor.py
	$(PY) benchmarks/release.py
	$(PY) benchmarks/shift.py
	$(PY) benchmarks/community.py
	$(PY) benchmarks/jupyterhub.py

clean:
	rm -rf $(VENV) hub-data .modelshare test-artifacts _build node_modules $(JHUB)/node_modules
