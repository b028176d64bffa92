"""One resolver for every model reference domainkit accepts.

- ``pkg:NAME``   an installed Python package carrying weights: ``NAME.get_model_path()``
                 (how a hospital ships models through its own package index);
  ``pkg:NAME/int8``, ``pkg:NAME/onnx``: a variant folder the packaged export carries;
- ``store:NAME`` a folder in the local model store (``domainkit models pull NAME``);
- a local folder (absolute, relative or ``~``);
- a Hugging Face id (``org/name``): used from the local HF cache, and downloaded
  only when the user allowed the network (``--allow-network``).

Every reference resolves to a local folder; loading goes through
:func:`domainkit.models.safety.load_kwargs` (safetensors only, no remote code).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from domainkit.errors import ModelError
from domainkit.models import store

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
REFERENCE_FORMS = "pkg:NAME (or pkg:NAME/VARIANT), store:NAME, a local folder, or a Hugging Face id (org/name)"
#: Prefixes of references to weights installed on this machine (a package, the model store).
INSTALLED_PREFIXES = ("pkg:", "store:")


def resolve_model(ref: str, *, allow_network: bool = False) -> Path:
    """Return the local folder holding the weights named by ``ref``."""
    if ref.startswith("pkg:"):
        return _from_package(ref[4:])
    if ref.startswith("store:"):
        return _from_store(ref[6:])
    path = Path(ref).expanduser()
    if path.is_dir():
        return path.resolve()
    if _HUB_ID.match(ref):
        return _from_hub(ref, allow_network=allow_network)
    raise ModelError(f"model reference {ref!r} is not a folder and not a recognised form", hint=f"use {REFERENCE_FORMS}")


def _from_package(reference: str) -> Path:
    """``NAME`` or ``NAME/VARIANT`` (``int8``, ``onnx``: a variant folder inside the packaged export)."""
    name, _, variant = reference.partition("/")
    folder = _package_folder(name)
    return _package_variant(folder, name, variant) if variant else folder


def _package_variant(folder: Path, name: str, variant: str) -> Path:
    """The export's ``variant`` folder inside package ``name``; unknown ones are refused, listing the package's."""
    available = sorted(p.name for p in folder.iterdir()
                       if p.is_dir() and (p / "config.json").is_file() and not p.name.startswith("."))
    if variant not in available:
        choices = ", ".join(f"pkg:{name}/{v}" for v in available) or "none: the package carries the fp32 model only"
        raise ModelError(f"package {name!r} carries no {variant!r} variant; available: {choices}",
                         hint=f"pkg:{name} loads the fp32 model")
    return folder / variant


def _package_folder(name: str) -> Path:
    module_name = name.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ModelError(
            f"model package {name!r} is not installed ({error.__class__.__name__})",
            # A model wheel is usually private: name its own index, so a typo is not looked up on PyPI.
            hint=f"check the name; install the model's wheel (`domainkit package` builds one) with "
                 f"pip install {name.replace('_', '-')} --index-url YOUR_INDEX, or pip install PATH/TO/WHEEL.whl",
        ) from None
    getter = getattr(module, "get_model_path", None)
    if getter is None:
        raise ModelError(f"package {module_name!r} has no get_model_path(); it does not carry domainkit-loadable weights")
    folder = Path(getter())
    if not (folder / "config.json").is_file():
        raise ModelError(f"package {module_name!r}: {folder} holds no config.json")
    return folder


def _from_store(name: str) -> Path:
    if not store.is_installed(name):
        store.entry(name)  # unknown names get the list of choices
        raise ModelError(f"store model {name!r} is not installed", hint=f"run: domainkit models pull {name}")
    store.verify(name)  # every file against the sha256 recorded at pull (cached per process)
    return store.store_path(name)


def _from_hub(repo_id: str, *, allow_network: bool) -> Path:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return Path(snapshot_download(repo_id, local_files_only=not allow_network))
    except LocalEntryNotFoundError:
        raise ModelError(
            f"Hugging Face model {repo_id!r} is not in the local cache and the network is off",
            hint="rerun with --allow-network, or pass a local folder / pkg:NAME / store:NAME",
        ) from None
    except Exception as error:  # network errors, gated repos, missing repos
        raise ModelError(f"could not fetch Hugging Face model {repo_id!r}: {error.__class__.__name__}") from None


#: How a chain that resolved nowhere begins its message (the reasons per reference follow).
NO_MODEL_OF_CHAIN = "no model of the chain could be resolved: "


def first_available(chain: tuple[str, ...] | list[str], *, allow_network: bool = False) -> tuple[str, Path, list[str]]:
    """Resolve the first reference of a teacher chain that works.

    Returns (reference, folder, reasons the earlier references were skipped).
    """
    skipped: list[str] = []
    for ref in chain:
        try:
            return ref, resolve_model(ref, allow_network=allow_network), skipped
        except ModelError as error:
            skipped.append(f"{ref}: {error.message}")
    raise ModelError(NO_MODEL_OF_CHAIN + "; ".join(skipped), hint=default_teacher_hint())


def default_teacher_hint(then: str = "") -> str:
    """How to get a teacher: name the offline default where it is installed, else how to pull it."""
    from domainkit.models.store import is_installed

    use = "--set run.teacher=store:all-mpnet-base-v2"
    if is_installed("all-mpnet-base-v2"):
        return f"all-mpnet-base-v2 is installed here: add {use} (or put it in the pack's teacher_chain){then}"
    return f"run `domainkit models pull all-mpnet-base-v2` and add {use}, or pass --set run.teacher=FOLDER{then}"
