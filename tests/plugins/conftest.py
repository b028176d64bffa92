"""Fixtures for the built-in packs' tests (to merge into the root conftest)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: reads real corpora or models; minutes, not seconds")


@pytest.fixture(scope="session")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One DOMAINKIT_HOME for the session: real corpora are parsed (and cached) once, not per test."""
    home = tmp_path_factory.mktemp("domainkit-home")
    old = os.environ.get("DOMAINKIT_HOME")
    os.environ["DOMAINKIT_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("DOMAINKIT_HOME", None)
    else:
        os.environ["DOMAINKIT_HOME"] = old
