"""Which Trainer checkpoint an interrupted run resumes from."""

from __future__ import annotations

import shutil
from pathlib import Path


def last_complete_checkpoint(checkpoints: Path) -> str | None:
    """The newest checkpoint that was written to the end, or None; incomplete ones are removed.

    The Trainer writes ``trainer_state.json`` last: a run killed while saving
    leaves a checkpoint without it, which ``transformers``' ``get_last_checkpoint``
    would pick and then fail to resume from, run after run.
    """
    checkpoints = Path(checkpoints)
    if not checkpoints.is_dir():
        return None
    found = sorted((p for p in checkpoints.glob("checkpoint-*") if p.name.split("-")[-1].isdigit()),
                   key=lambda p: int(p.name.split("-")[-1]))
    complete = [p for p in found if (p / "trainer_state.json").is_file()]
    for partial in set(found) - set(complete):
        shutil.rmtree(partial, ignore_errors=True)
    return str(complete[-1]) if complete else None
