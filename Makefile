# Livedesk: `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install run test bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install  ## migrate, seed the demo, start web + worker + scheduler
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	PORT=$(PORT) $(PY) manage.py runstack

test: install  ## the whole suite (PostgreSQL/Redis from DATABASE_URL/REDIS_URL when set)
	$(PY) -m pytest

bench: install  ## fan-out benchmark (see bench/RESULTS.md)
	$(PY) bench/fanout.py

clean:
	rm -rf $(VENV) var staticfiles
