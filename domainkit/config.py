"""The resolved configuration of one run: typed, frozen, validated, hashable.

A run's configuration comes from, in increasing priority: the preset
(``smoke``, ``default``, ``full``), the pack's defaults, a TOML run file
(``--config run.toml``) and ``--set section.key=value`` overrides. Unknown
sections or keys fail with the list of valid ones and a "did you mean".
Configs name things only; nothing here imports or executes user code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import tomllib
import types
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from domainkit.distill.config import DistillConfig, TeacherConfig
from domainkit.errors import ConfigError, closest, unknown_choice

PRESETS = ("smoke", "default", "full")


def _help(text: str) -> dict[str, str]:
    return {"help": text}


@dataclass(frozen=True)
class RunSection:
    """What to run and where the models come from."""

    task: str = field(default="", metadata=_help("pack task (empty: the pack's first task)"))
    seed: int = field(default=13, metadata=_help("seed for splits, sampling and training"))
    student: str = field(default="", metadata=_help("student model reference (empty: the pack's student)"))
    teacher: str = field(default="", metadata=_help("teacher model reference (empty: the pack's teacher chain)"))
    deid: str = field(default="pack", metadata=_help("de-identification: pack (the pack's policy) | on | off"))
    allow_network: bool = field(default=False, metadata=_help("permit network access (Hub downloads)"))
    allow_pickle: bool = field(default=False, metadata=_help("permit pickle checkpoints (can execute code)"))
    baselines: bool = field(default=True, metadata=_help("train the labels-only student baseline"))
    max_windows: int = field(default=0, metadata=_help("long documents: windows per document at evaluation (0 = all)"))
    train_windows: int = field(default=0, metadata=_help(
        "long documents: windows per training document (0 = as run.max_windows, or 4 if that is 0; "
        "1 = the opening window only)"))
    window_selection: str = field(default="first", metadata=_help(
        "long documents: which windows the caps keep: first (the opening windows) "
        "| spread (evenly from the first window to the last)"))

    def __post_init__(self) -> None:
        for name in ("max_windows", "train_windows"):
            if getattr(self, name) < 0:
                raise ConfigError(f"run.{name} must be >= 0; found {getattr(self, name)!r}")
        from domainkit.heads.long_document import WINDOW_SELECTIONS

        if self.window_selection not in WINDOW_SELECTIONS:
            raise ConfigError(f"run.window_selection must be one of {', '.join(repr(s) for s in WINDOW_SELECTIONS)}; "
                              f"found {self.window_selection!r}")
        if self.deid not in ("pack", "on", "off"):
            raise ConfigError(f"run.deid must be one of 'pack', 'on', 'off'; found {self.deid!r}")


@dataclass(frozen=True)
class DataSection:
    """Which documents: the pack's corpora, or the user's own (``--data``)."""

    path: str = field(default="", metadata=_help("your own labelled documents (CSV, TSV, JSONL, Parquet or folder)"))
    test_path: str = field(default="", metadata=_help("optional held-out file in the same format"))
    text_column: str = field(default="text", metadata=_help("column holding the document text"))
    label_column: str = field(default="label", metadata=_help("column holding the label (single-label)"))
    labels_column: str = field(default="", metadata=_help("column holding several labels (multi-label)"))
    label_separator: str = field(default="|", metadata=_help("separator inside labels_column"))
    test_size: float = field(default=0.2, metadata=_help("share held out when no test file is given"))
    max_train: int = field(default=0, metadata=_help("at most this many training examples (0 = all)"))
    max_test: int = field(default=0, metadata=_help("at most this many test examples (0 = all)"))
    long_documents: bool = field(default=False, metadata=_help(
        "read documents longer than the window in overlapping windows, as a pack's long-document task does "
        "(run.max_windows, run.train_windows); false: they are cut at the window"))

    def __post_init__(self) -> None:
        if not 0 < self.test_size < 1:
            raise ConfigError(f"data.test_size must be between 0 and 1; found {self.test_size!r}")
        for name in ("max_train", "max_test"):
            if getattr(self, name) < 0:
                raise ConfigError(f"data.{name} must be >= 0; found {getattr(self, name)!r}")
        if not self.label_separator:
            # str.split("") raises: caught here, not as a traceback in the run's data stage.
            raise ConfigError("--label-separator (data.label_separator) must be at least one character; found ''",
                              hint="pass the character between labels, e.g. --label-separator ';' (default '|')")


@dataclass(frozen=True)
class RunConfig:
    """Everything one run needs; saved as ``config.json`` in the run folder."""

    pack: str
    preset: str = "default"
    run: RunSection = field(default_factory=RunSection)
    data: DataSection = field(default_factory=DataSection)
    teacher: TeacherConfig = field(default_factory=TeacherConfig)
    distill: DistillConfig = field(default_factory=DistillConfig)

    def __post_init__(self) -> None:
        if self.preset not in PRESETS:
            raise ConfigError(unknown_choice("preset", self.preset, PRESETS))

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(dataclasses.asdict(self), default=list))

    def digest(self) -> str:
        """Stable hash of the resolved config (recorded in every manifest).

        Fields added after a release enter the hash only when set away from their default, so a
        run folder made before they existed keeps its hash and still resumes (see ``ADDED_FIELDS``).
        """
        data = self.to_dict()
        for (section, name), default in ADDED_FIELDS.items():
            if data.get(section, {}).get(name) == default:
                del data[section][name]
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


#: Config fields added after run folders already existed, with the default that leaves them out of
#: the digest. Add a field here when you add it to a section, with its default.
ADDED_FIELDS: dict[tuple[str, str], Any] = {("distill", "lora_r"): 0, ("distill", "lora_alpha"): 16,
                                            ("data", "long_documents"): False,
                                            ("run", "window_selection"): "first"}

SECTIONS: dict[str, type] = {"run": RunSection, "data": DataSection, "teacher": TeacherConfig, "distill": DistillConfig}

#: Preset values, applied before the run file and --set overrides. ``default``
#: is sized to finish a pack run within ~20 minutes on 2 CPU cores.
PRESET_VALUES: dict[str, dict[str, dict[str, Any]]] = {
    "smoke": {
        "data": {"max_train": 96, "max_test": 48},
        "teacher": {"epochs": 1.0},
        "distill": {"epochs": 1.0, "pool_limit": 32, "batch_size": 16, "save_steps": 50},
        "run": {"baselines": False, "max_windows": 2},
    },
    "default": {
        "run": {"max_windows": 4},
        "data": {"max_train": 2000, "max_test": 600},
        "distill": {"epochs": 5.0},  # pool_limit: DistillConfig's DEFAULT_POOL (see distill/config.py)
    },
    "full": {},
}


def _coerce(value: Any, annotation: Any, where: str) -> Any:
    """Convert a TOML or command-line value to the field's declared type."""
    if isinstance(annotation, str):
        annotation = {"str": str, "int": int, "float": float, "bool": bool, "Any": Any}.get(annotation, Any)
    if annotation is Any:
        return _parse_literal(value) if isinstance(value, str) else value
    if annotation is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "1", "yes", "on", "false", "0", "no", "off"):
            return value.lower() in ("true", "1", "yes", "on")
        raise ConfigError(f"{where} expects true or false; found {value!r}")
    if annotation in (int, float):
        try:
            number = annotation(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where} expects a number ({annotation.__name__}); found {value!r}") from None
        except OverflowError:  # int("inf") and int(float("inf"))
            raise ConfigError(f"{where} expects a finite number; found {value!r}") from None
        if annotation is float and not math.isfinite(number):
            raise ConfigError(f"{where} expects a finite number; found {value!r}")
        if annotation is int and isinstance(value, float) and not value.is_integer():
            raise ConfigError(f"{where} expects an integer; found {value!r}")
        return number
    if annotation is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where} expects text; found {value!r}")
        return value
    return value


def _parse_literal(text: str) -> Any:
    """Best-effort literal for untyped fields (e.g. layer_map=[[6,12]], bf16=auto)."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _build_section(name: str, values: dict[str, Any]) -> Any:
    cls = SECTIONS[name]
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    converted = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(unknown_choice(f"option in [{name}]", key, known))
        converted[key] = _coerce(value, _unwrap(hints.get(key, Any)), f"{name}.{key}")
    try:
        return cls(**converted)
    except TypeError as error:
        raise ConfigError(f"[{name}]: {error}") from None


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return Any
    return annotation


def _merge(base: dict[str, dict[str, Any]], extra: dict[str, Any], source: str) -> None:
    for section, values in extra.items():
        if section not in SECTIONS:
            raise ConfigError(f"{source}: " + unknown_choice("section", section, SECTIONS))
        if not isinstance(values, dict):
            raise ConfigError(f"{source}: [{section}] must be a table of key = value")
        base.setdefault(section, {}).update(values)


def _section_of(key: str, pair: str) -> str:
    """The one section that has option ``key``; a bare key that several sections have is refused.

    ``epochs`` is both the teacher's and the students' (``distill``): guessing one would change a
    setting the user did not mean, silently.
    """
    owners = sorted(name for name, cls in SECTIONS.items() if key in {f.name for f in fields(cls)})
    if len(owners) == 1:
        return owners[0]
    value = pair.split("=", 1)[1]
    if owners:
        choices = ", ".join(f"{section}.{key}" for section in owners)
        raise ConfigError(f"--set {pair!r}: {key!r} is an option of several sections ({choices})",
                          hint=f"name the section, e.g. --set {owners[0]}.{key}={value}")
    names = {f.name: section for section, cls in SECTIONS.items() for f in fields(cls)}
    suggestion = closest(key, names)
    raise ConfigError(f"--set {pair!r}: no section has an option {key!r}"
                      + (f". Did you mean {names[suggestion]}.{suggestion}?" if suggestion else ""),
                      hint="write section.key=value (sections: " + ", ".join(sorted(SECTIONS)) + "); "
                           "`domainkit config show PACK` lists every option")


def parse_overrides(pairs: list[str]) -> dict[str, dict[str, Any]]:
    """``["distill.epochs=2", "task=icd10-chapter"]`` -> nested mapping.

    A bare key (no ``section.``) is accepted when exactly one section has it (``task`` is
    ``run.task``); one that several sections have (``epochs``, ``max_length``) is refused, listing them.
    """
    nested: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ConfigError(f"--set {pair!r}: expected key=value (e.g. --set distill.epochs=2)")
        key, value = pair.split("=", 1)
        key = key.strip()
        if "." in key:
            section, option = key.split(".", 1)
        else:
            section, option = _section_of(key, pair), key
        nested.setdefault(section, {})[option] = value
    return nested


def load_run_file(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except IsADirectoryError:
        raise ConfigError(f"config file {path} is a folder", hint="pass a TOML file to --config") from None
    except OSError as error:
        raise ConfigError(f"config file {path} cannot be read ({error.strerror})", hint="check its permissions") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"config file {path} is not UTF-8 text (byte {error.start})",
                          hint="save it as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from None


def resolve_config(
    pack: str,
    *,
    preset: str = "default",
    pack_defaults: dict[str, Any] | None = None,
    run_file: Path | None = None,
    overrides: list[str] | None = None,
    cli: dict[str, dict[str, Any]] | None = None,
) -> RunConfig:
    """Build the run's config from preset, pack defaults, run file, CLI flags and --set."""
    if preset not in PRESETS:
        raise ConfigError(unknown_choice("preset", preset, PRESETS))
    merged: dict[str, dict[str, Any]] = {}
    _merge(merged, PRESET_VALUES[preset], f"preset {preset}")
    _merge(merged, pack_defaults or {}, f"pack {pack} defaults")
    if run_file is not None:
        _merge(merged, load_run_file(run_file), str(run_file))
    _merge(merged, cli or {}, "command line")
    _merge(merged, parse_overrides(overrides or []), "--set")
    sections = {name: _build_section(name, merged.get(name, {})) for name in SECTIONS}
    return RunConfig(pack=pack, preset=preset, **sections)
