"""Pack discovery through the ``domainkit.packs`` entry-point group.

Built-in packs and third-party packs go through the same door. Listing imports
each pack's module for its light class (heavy code and data live inside its
methods, which listing never calls); a pack that fails to import or breaks the
contract is listed as broken, with the reason, and never stops the other packs
from working.

A pack name must belong to one distribution. Two distributions registering the
same name would leave the choice to ``sys.path`` order, so every claimant is
listed as broken and none is run until one is uninstalled or renamed; the
built-in packs' names are reserved to their own distributions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from importlib.metadata import EntryPoint, entry_points

from domainkit.errors import PackError, unknown_choice
from domainkit.packs.contract import DomainPack
from domainkit.packs.raised import DEBUG_HINT, debug_enabled, describe, full_traceback
from domainkit.packs.validate import contract_problems

GROUP = "domainkit.packs"
#: Built-in pack names and the distributions that own them (plugins/ in this repository).
BUILT_IN = {"legal": "domainkit-legal", "medical": "domainkit-medical"}


def canonical_distribution(name: str) -> str:
    """A distribution's name as PEP 503 compares them: ``Domainkit_Medical`` is ``domainkit-medical``.

    Build back-ends and indexes write a project's name in any of its spellings (case, and ``-``, ``_``
    or ``.`` between words); this is ``packaging.utils.canonicalize_name``, without its import cost
    (``plugins list`` runs it on every entry).
    """
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class PackEntry:
    """One discovered pack, usable or not."""

    name: str
    distribution: str
    version: str
    target: str
    status: str  # "ok" or "broken"
    description: str = ""
    tasks: tuple[str, ...] = field(default_factory=tuple)
    problems: tuple[str, ...] = field(default_factory=tuple)
    pack_class: type | None = field(default=None, compare=False, repr=False)
    #: The import failure, kept only under DOMAINKIT_DEBUG (its message may quote documents).
    failure: BaseException | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def detail(self) -> str:
        """The import failure's full traceback (DOMAINKIT_DEBUG only; empty otherwise)."""
        return full_traceback(self.failure) if self.failure is not None else ""

    @property
    def provider(self) -> str:
        """``distribution version (module:Class)``, how errors name where a pack comes from."""
        return f"{self.distribution} {self.version} ({self.target})"

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "description": self.description,
            "tasks": list(self.tasks),
            "status": self.status,
            "problems": list(self.problems),
        }


def _inspect(point: EntryPoint) -> PackEntry:
    dist = point.dist
    base = {
        "name": point.name,
        "distribution": dist.name if dist else "?",
        "version": dist.version if dist else "?",
        "target": point.value,
    }
    try:
        loaded = point.load()
    except Exception as error:  # a broken pack must not break the others
        if _missing_target(point, error):  # the module imported, the name after ":" is not in it
            return PackEntry(status="broken", problems=(
                f"the entry point's target {point.value!r} names {point.attr!r}, which module "
                f"{point.module!r} does not define; correct the name in the pack's pyproject.toml "
                "[project.entry-points.\"domainkit.packs\"] and reinstall it",), **base)
        # The class and the pack's file and line, not the message: it may quote documents.
        return PackEntry(status="broken", problems=(f"import failed: {describe(error, point.module)}",),
                         failure=error if debug_enabled() else None, **base)
    problems = contract_problems(loaded, entry_point_name=point.name)
    description = getattr(loaded, "description", "") if isinstance(getattr(loaded, "description", ""), str) else ""
    tasks = tuple(getattr(t, "name", str(t)) for t in getattr(loaded, "tasks", ()) or ())
    return PackEntry(
        status="broken" if problems else "ok",
        description=description,
        tasks=tasks,
        problems=tuple(problems),
        pack_class=loaded if not problems else None,
        **base,
    )


def _missing_target(point: EntryPoint, error: Exception) -> bool:
    """The entry point's module imported but holds no object of the target's name (a typo in pyproject)."""
    import sys

    module = sys.modules.get(point.module)
    first = (point.attr or "").split(".")[0]
    return (isinstance(error, AttributeError) and module is not None and bool(first)
            and getattr(error, "obj", None) is module and getattr(error, "name", None) == first)


def _name_problems(entries: list[PackEntry]) -> list[PackEntry]:
    """Mark names claimed by several distributions, and built-in names taken by another distribution."""
    by_name: dict[str, list[PackEntry]] = defaultdict(list)
    for entry in entries:
        by_name[entry.name].append(entry)
    marked = []
    for entry in entries:
        problems = [f"the name {entry.name!r} is also registered by {other.provider}; domainkit will not "
                    "choose between them: uninstall one, or rename its entry point"
                    for other in by_name[entry.name] if other is not entry]
        owner = BUILT_IN.get(entry.name)
        if owner is not None and canonical_distribution(entry.distribution) != owner:
            problems.append(f"{entry.name!r} is the name of the built-in pack of {owner}; "
                            "rename this pack's entry point (and its `name`)")
        marked.append(replace(entry, status="broken", problems=(*entry.problems, *problems), pack_class=None)
                      if problems else entry)
    return marked


def discover() -> list[PackEntry]:
    """Every pack registered in the environment, sorted by name (then distribution)."""
    entries = [_inspect(point) for point in entry_points(group=GROUP)]
    return sorted(_name_problems(entries), key=lambda e: (e.name, e.distribution))


def entries_named(name: str) -> list[PackEntry]:
    """The entries registered as ``name`` (several when distributions clash); PackError when none."""
    entries = discover()
    found = [entry for entry in entries if entry.name == name]
    if not found:
        raise PackError(
            unknown_choice("pack", name, {entry.name for entry in entries}),
            hint="install a pack (pip install -e plugins/NAME) or scaffold one: domainkit plugins new NAME --dir DIR",
        )
    return found


def find(name: str) -> PackEntry:
    """The one entry named ``name``; a name several distributions register is refused, naming them."""
    found = entries_named(name)
    if len(found) > 1:
        raise PackError(
            f"pack name {name!r} is registered by {len(found)} distributions: "
            + "; ".join(entry.provider for entry in found) + ". domainkit will not choose between them",
            hint="pip uninstall the distribution you do not want, or rename its entry point under "
                 '[project.entry-points."domainkit.packs"] in its pyproject.toml and reinstall it'
                 + (f"; {name!r} is reserved to the built-in pack ({BUILT_IN[name]})" if name in BUILT_IN else ""),
        )
    return found[0]


def distribution_of(name: str) -> tuple[str, str]:
    """(distribution, version) of the installed distribution whose entry point provides pack ``name``.

    Read from the entry point's distribution (importlib.metadata), never guessed from the module's
    name: module ``acme_rad`` may ship in distribution ``acme-radiology-pack``.
    """
    dists = {(point.dist.name, point.dist.version) for point in entry_points(group=GROUP, name=name) if point.dist}
    return next(iter(dists)) if len(dists) == 1 else ("unknown", "unknown")


def load_pack(name: str) -> DomainPack:
    """Instantiate pack ``name``; a broken pack raises a PackError naming what is wrong."""
    entry = find(name)
    if not entry.ok or entry.pack_class is None:
        failed_import = any(problem.startswith("import failed") for problem in entry.problems)
        raise PackError(
            f"pack {name!r} (distribution {entry.distribution} {entry.version}, {entry.target}) is broken: "
            + "; ".join(entry.problems),
            hint=f"run `domainkit plugins check {name}` for details, or reinstall the distribution"
                 + (f"; {DEBUG_HINT}" if failed_import else ""),
        ) from entry.failure  # None unless DOMAINKIT_DEBUG: the CLI then prints the import's traceback
    return entry.pack_class()
