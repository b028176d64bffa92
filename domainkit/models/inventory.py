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
        return f"missing: {error.hint or error.message}"


def inventory() -> dict[str, list[dict[str, Any]]]:
    from domainkit.packs.registry import discover

    models = [
        {"name": name, "reference": f"store:{name}", "installed": store.is_installed(name), "licence": entry.licence}
        for name, entry in store.catalogue().items()
    ]
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
