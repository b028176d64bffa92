"""What `domainkit models list` shows: installed models and each pack's choice."""

from __future__ import annotations

from typing import Any

from domainkit.errors import ModelError
from domainkit.models import store
from domainkit.models.resolve import resolve_model


def _status(ref: str) -> str:
    try:
        return f"available ({resolve_model(ref)})"
    except ModelError as error:
        # The message says what is wrong (not installed, a file changed since pull), the hint what to do.
        return f"missing: {error.message}" + (f" ({error.hint})" if error.hint else "")


def _store_row(name: str, licence: str) -> dict[str, Any]:
    """A store model as listed: installed (its record is there) and verified (every file's sha256 matches)."""
    row: dict[str, Any] = {"name": name, "reference": f"store:{name}", "installed": store.is_installed(name),
                           "verified": False, "licence": licence}
    if row["installed"]:
        try:
            store.verify(name)  # hashed once per process; a damaged folder must not read as ready to use
            row["verified"] = True
        except ModelError as error:
            row["problem"] = error.message
    return row


def inventory() -> dict[str, list[dict[str, Any]]]:
    from domainkit.packs.registry import discover

    models = [_store_row(name, entry.licence) for name, entry in store.catalogue().items()]
    packs = []
    for entry in discover():
        if not entry.ok or entry.pack_class is None:
            packs.append({"pack": entry.name, "status": "broken"})
            continue
        cls = entry.pack_class
        chain = list(cls.teacher_chain)
        chosen = next((ref for ref in chain if _status(ref).startswith("available")), None)
        packs.append({"pack": entry.name, "student": cls.student, "student_status": _status(cls.student),
                      "teacher_chain": " -> ".join(chain), "teacher_used": chosen or "none available"})
    return {"models": models, "packs": packs}
