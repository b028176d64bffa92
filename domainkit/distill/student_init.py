"""Initialise a shallower student from the teacher's layers (DistilBERT: one layer in two).

Only meaningful when the student keeps the teacher's architecture and width
(embeddings and kept blocks copy over unchanged); for a different architecture
(MiniLM student, MPNet teacher) use the pretrained student and the layer map.
"""

from __future__ import annotations

import re
from pathlib import Path

from transformers import AutoConfig, AutoModel, AutoModelForMaskedLM, AutoTokenizer

from domainkit.errors import ConfigError

LAYER_KEY = re.compile(r"(^|\.)layer\.(\d+)\.")


def kept_layers(teacher_layers: int, every: int) -> list[int]:
    """Teacher layers the student keeps: 0, every, 2*every, ... (DistilBERT keeps the even ones)."""
    return list(range(0, teacher_layers, every))


def init_student_from_teacher(teacher_dir: Path, out_dir: Path, *, every: int = 2) -> Path:
    """Save a student with teacher layers 0, every, 2*every... and the teacher's embeddings and tokenizer.

    A teacher with a trained MLM head (``cls.*`` / ``lm_head.*``) passes it on too, as DistilBERT's
    student keeps BERT's: the distillation's MLM head then starts from it instead of from the tied
    word embeddings alone.
    """
    if every < 1:
        raise ConfigError(f"init_from_teacher: 'every' must be >= 1; found {every}")
    config = AutoConfig.from_pretrained(teacher_dir)
    keep = kept_layers(config.num_hidden_layers, every)
    from domainkit.distill.teacher_outputs import has_mlm_head

    auto = AutoModelForMaskedLM if has_mlm_head(teacher_dir) else AutoModel
    teacher = auto.from_pretrained(teacher_dir)
    config.num_hidden_layers = len(keep)
    student = auto.from_config(config)
    renumber = {old: new for new, old in enumerate(keep)}
    state = {}
    for key, value in teacher.state_dict().items():
        match = LAYER_KEY.search(key)
        if match is None:
            state[key] = value
        elif int(match.group(2)) in renumber:
            new = renumber[int(match.group(2))]
            state[key[: match.start(2)] + str(new) + key[match.end(2) :]] = value
    missing, unexpected = student.load_state_dict(state, strict=False)
    if unexpected or [m for m in missing if "position_ids" not in m]:
        raise ConfigError(f"init_from_teacher: {type(teacher).__name__} layers do not map onto a shallower copy "
                          f"(missing {len(missing)}, unexpected {len(unexpected)} weights)")
    out_dir = Path(out_dir)
    student.save_pretrained(out_dir)
    AutoTokenizer.from_pretrained(teacher_dir).save_pretrained(out_dir)
    return out_dir
