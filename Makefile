# The two commands of the quick start: `make demo` and `make test`.
# Both create .venv on first use; nothing else needs preparing.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint format eval bench clean sites-doc

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "$(PYTHON) -m venv failed: on Debian/Ubuntu install python3-venv (apt install python3-venv)"; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(PY) -m tests.demo_site.run_demo

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# docs/sites.md, the coverage table of the declared sites (the demo's included), from the code.
sites-doc: $(STAMP)
	$(PY) -m crawler.cli sites doc -s 'SPIDER_MODULES=["spiders", "tests.declared.demo"]' > docs/sites.md.new
	mv docs/sites.md.new docs/sites.md

eval: $(STAMP)
	$(VENV)/bin/newscrawl eval ../shared/datasets/fundus-news-80 ../shared/datasets/fundus-publishers-150

clean:
	rm -rf $(VENV) data .pytest_cache
