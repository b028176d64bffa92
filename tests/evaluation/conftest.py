"""Tiny random models for fast tests; helpers live in tests/tinymodels.py
(to be merged into the root conftest)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinymodels import make_classifier, tiny_task  # noqa: E402,F401
