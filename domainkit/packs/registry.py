"""Pack discovery through the ``domainkit.packs`` entry-point group.

Built-in packs and third-party packs go through the same door. Listing loads
only each pack's light class (heavy code lives inside its methods); a pack that
fails to import or breaks the contract is listed as broken, with the reason,
and never stops the other packs from working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points

from domainkit.errors import PackError, unknown_choice
from domainkit.packs.contract import DomainPack
from domainkit.packs.validate import contract_problems

GROUP = "domainkit.packs"


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

    @property
    def ok(self) -> bool:
        return self.status == "ok"

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
        return PackEntry(status="broken", problems=(f"import failed: {error.__class__.__name__}: {error}",), **base)
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


def discover() -> list[PackEntry]:
    """Every pack registered in the environment, sorted by name."""
    return sorted((_inspect(point) for point in entry_points(group=GROUP)), key=lambda e: e.name)


def find(name: str) -> PackEntry:
    entries = {entry.name: entry for entry in discover()}
    if name not in entries:
        raise PackError(
            unknown_choice("pack", name, entries),
            hint="install a pack (pip install -e plugins/NAME) or scaffold one: domainkit plugins new NAME --dir DIR",
        )
    return entries[name]


def load_pack(name: str) -> DomainPack:
    """Instantiate pack ``name``; a broken pack raises a PackError naming what is wrong."""
    entry = find(name)
    if not entry.ok or entry.pack_class is None:
        raise PackError(
            f"pack {name!r} (distribution {entry.distribution} {entry.version}, {entry.target}) is broken: "
            + "; ".join(entry.problems),
            hint=f"run `domainkit plugins check {name}` for details, or reinstall the distribution",
        )
    return entry.pack_class()
