"""Where domainkit keeps things on disk: one home folder, overridable.

``DOMAINKIT_HOME`` (default ``~/.cache/domainkit``) holds the model store, the
teacher cache and parsed corpora. Tests point it at a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    return Path(os.environ.get("DOMAINKIT_HOME", Path.home() / ".cache" / "domainkit")).expanduser()


def models_dir() -> Path:
    return home() / "models"


def teachers_dir() -> Path:
    return home() / "teachers"


def teacher_outputs_dir() -> Path:
    return home() / "teacher-outputs"
