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


#: Beside the checkpoints: what they were trained on, so a resume continues only the same training.
TRAINING_KEY_FILE = "domainkit_training_key.json"


def training_key(**parts: object) -> str:
    """16 hex digits over what decides a training run (config, teacher, student, examples)."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def claim_checkpoints(checkpoints: Path, key: str, *, resume: bool, refuse_others: bool = True) -> None:
    """Make ``checkpoints`` this training's: refuse another training's on resume, set them aside otherwise.

    Without this, ``distill(..., resume=True)`` into an ``out_dir`` that held another
    configuration's checkpoints returned that old model after 0 steps (the Trainer found its last
    step done), or crashed on the optimizer's state when the set of trained modules differed.
    Checkpoints without a key file (earlier versions) resume as before. Starting afresh
    (``resume=False``) over checkpoints moves them to ``<name>.replaced-<time>``: nothing is lost,
    and none of them can be resumed under the new key. ``refuse_others=False`` (``domainkit run``,
    whose own stage checks already decided this stage resumes) sets another key's checkpoints aside
    with a warning and starts afresh, rather than leaving a run folder that cannot go on.
    """
    import json

    from domainkit.atomic import write_json
    from domainkit.errors import ConfigError

    checkpoints = Path(checkpoints)
    record = checkpoints / TRAINING_KEY_FILE
    if not resume and checkpoints.is_dir() and any(checkpoints.glob("checkpoint-*")):
        _set_aside(checkpoints)
    elif last_complete_checkpoint(checkpoints) is not None and record.is_file():
        try:
            recorded = json.loads(record.read_text(encoding="utf-8")).get("key")
        except (OSError, ValueError, AttributeError):
            recorded = None
        if recorded != key and not refuse_others:
            aside = _set_aside(checkpoints)
            from domainkit.log import get_logger

            get_logger(__name__).warning("%s held checkpoints of another training; kept in %s, training starts "
                                         "afresh", checkpoints, aside.name)
        elif recorded != key:
            raise ConfigError(
                f"{checkpoints} holds checkpoints of another training (other config, teacher, student or "
                "examples); resuming them would continue that training, not this one",
                hint="pass resume=False to start afresh (the old checkpoints are set aside, not deleted), "
                     "or choose another out_dir",
            )
    checkpoints.mkdir(parents=True, exist_ok=True)
    write_json(record, {"key": key})


def _set_aside(checkpoints: Path) -> Path:
    """Rename ``checkpoints`` to ``<name>.replaced-<time>`` (never deleted: they may be wanted)."""
    import time

    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = checkpoints.with_name(f"{checkpoints.name}.replaced-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = checkpoints.with_name(f"{checkpoints.name}.replaced-{stamp}-{n}")
    checkpoints.rename(aside)
    return aside
