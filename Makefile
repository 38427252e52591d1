# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
# The environment lives in .venv (uv, locked by uv.lock); system libraries come from scripts/bootstrap.

export UV_PYTHON_DOWNLOADS := never
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
RUN := $(UV) run --locked --all-extras

.PHONY: bootstrap demo test lint typecheck unit bench clean

# Installed compiled (libraries and our source): where PYTHONDONTWRITEBYTECODE is set, as on
# this machine, every process would compile them from source (importing WeasyPrint: 1.6 s, not
# 0.8 s).
.venv/.bootstrapped: pyproject.toml uv.lock scripts/bootstrap
	UV="$(UV)" sh scripts/bootstrap
	$(UV) sync --locked --all-extras --compile-bytecode
	$(RUN) python -m compileall -q src
	touch $@

bootstrap: .venv/.bootstrapped

demo: bootstrap
	$(RUN) opcanvas demo

lint: bootstrap
	$(RUN) ruff check src tests benchmarks
	$(RUN) ruff format --check src tests benchmarks

typecheck: bootstrap
	$(RUN) mypy

unit: bootstrap
	$(RUN) pytest -n 2 --dist loadgroup

test: lint typecheck unit

bench: bootstrap
	$(RUN) python benchmarks/run_all.py

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache opcanvas-demo
