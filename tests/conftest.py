"""Shared fixtures. The real event logs live beside the repository in ../shared/data/logs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LOGS = Path(os.environ.get("OPCANVAS_LOGS", REPO.parent / "shared" / "data" / "logs"))


@pytest.fixture(scope="session")
def logs_dir() -> Path:
    """The directory of public event logs; a missing directory is an error, not a skip."""
    if not LOGS.is_dir():
        pytest.fail(f"event logs not found at {LOGS}; set OPCANVAS_LOGS to their directory")
    return LOGS
