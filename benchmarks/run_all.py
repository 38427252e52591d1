"""Run every benchmark script in this directory as its own process, one after another.

Each script prints its own table (time, peak memory, ratio against the reference measured in
the same run). Usage: ``uv run python benchmarks/run_all.py [NAME_FILTER]``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    pattern = argv[1] if len(argv) > 1 else ""
    failed = []
    for script in sorted(HERE.glob("*.py")):
        if script.name == Path(__file__).name or pattern not in script.name:
            continue
        print(f"\n=== {script.name} ===", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
