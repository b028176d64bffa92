"""What the teacher computes for each example, in the form the cache stores.

A task teacher folder is one of:
- a standard ``*ForSequenceClassification`` save (teacher fine-tuned fully or with LoRA);
- an encoder plus ``domainkit_head.safetensors`` (``head`` method: linear head over
  mean-pooled features of the frozen encoder, see ``teacher.py``);
- a bare encoder: it has no head for the task, so soft labels are unavailable.
The MLM teacher (for MLM-KL on pool texts) is the folder whose checkpoint carries an
MLM head, usually the teacher before task fine-tuning.

Record fields (per example): ``logits_values`` / ``logits_indices`` (top-k task
logits, fp16 / int32; all labels for multi-label), ``hidden_<t>`` (teacher layer t
per unit, fp16), ``unit_mask`` (uint8), and for pool texts with an MLM teacher
``mlm_values`` / ``mlm_indices`` (top-k over the vocabulary at each masked position,
indices already mapped to student ids, -1 where the student lacks the piece).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load_file
from transformers import AutoConfig, AutoModel, AutoModelForMaskedLM, AutoModelForSequenceClassification, AutoTokenizer

from domainkit.distill.encoding import POOL, Example, pad_id_lists
from domainkit.distill.teacher_cache import Record, topk_arrays
from domainkit.distill.vocab import VocabBridge, whole_word_index
from domainkit.log import get_logger

HEAD_FILE, HEAD_CONFIG = "domainkit_head.safetensors", "domainkit_head.json"
MLM_HEAD_PREFIXES = ("cls.predictions", "lm_head", "vocab_projector", "predictions")
log = get_logger(__name__)


def has_mlm_head(folder: Path) -> bool:
    """True when the checkpoint's weights include an MLM head (not just an architecture name)."""
    for weights in Path(folder).glob("*.safetensors"):
        with safe_open(str(weights), framework="pt") as handle:
            if any(k.split(".", 1)[0] in {"cls", "lm_head", "vocab_projector"} or k.startswith(MLM_HEAD_PREFIXES)
                   for k in handle.keys()):
                return True
    return False


def task_head_kind(folder: Path, label_names: list[str]) -> str | None:
    """'sequence_classification', 'pooled_head' or None (no head for this task).

    A head counts only when it was trained on these labels in this order: a head with as many
    labels but other names (another task) would hand the student soft labels for the wrong
    classes. A head whose labels are transformers' generic ``LABEL_0, LABEL_1, ...`` cannot be
    checked; it is taken to follow the task's order, with a warning.
    """
    folder, label_names = Path(folder), list(label_names)
    if (folder / HEAD_CONFIG).exists():
        stored = json.loads((folder / HEAD_CONFIG).read_text()).get("labels")
        return "pooled_head" if stored == label_names else None
    config = AutoConfig.from_pretrained(folder)
    archs = config.architectures or []
    if not any(a.endswith("ForSequenceClassification") for a in archs) or config.num_labels != len(label_names):
        return None
    names = [config.id2label.get(i, config.id2label.get(str(i))) for i in range(config.num_labels)]
    if names == label_names:
        return "sequence_classification"
    if names == [f"LABEL_{i}" for i in range(len(names))]:
        log.warning("teacher %s names its labels LABEL_0..LABEL_%d: taken to be the task's labels in the task's order",
                    folder.name, len(names) - 1)
        return "sequence_classification"
    return None


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)


class TaskTeacher(torch.nn.Module):
    """Forward: (input_ids, attention_mask) -> (task logits or None, hidden states tuple)."""

    def __init__(self, folder: Path, label_names: list[str]) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.head_kind = task_head_kind(folder, label_names)
        if self.head_kind == "sequence_classification":
            self.model = AutoModelForSequenceClassification.from_pretrained(folder)
        else:
            self.model = AutoModel.from_pretrained(folder)
        self.head: torch.nn.Linear | None = None
        if self.head_kind == "pooled_head":
            state = load_file(str(self.folder / HEAD_FILE))
            self.head = torch.nn.Linear(state["weight"].shape[1], state["weight"].shape[0])
            self.head.load_state_dict(state)
        self.tokenizer = AutoTokenizer.from_pretrained(folder)
        self.eval()

    @property
    def num_layers(self) -> int:
        return self.model.config.num_hidden_layers

    @property
    def width(self) -> int:
        return self.model.config.hidden_size

    @torch.no_grad()
    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor | None, tuple]:
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
        if self.head_kind == "sequence_classification":
            return out.logits, out.hidden_states
        if self.head is not None:
            return self.head(mean_pool(out.hidden_states[-1], attention_mask)), out.hidden_states
        return None, out.hidden_states


class TeacherRunner:
    """Computes cache records for a list of examples (batched, longest-first)."""

    def __init__(
        self,
        teacher: TaskTeacher,
        bridge: VocabBridge,
        *,
        layers: tuple[int, ...],
        top_k: int,
        multi_label: bool,
        max_length: int,
        batch_size: int = 32,
        mlm_teacher: torch.nn.Module | None = None,
        bf16: bool = False,
        device: str | torch.device | None = None,
    ) -> None:
        self.teacher, self.bridge, self.layers = teacher, bridge, layers
        self.top_k, self.multi_label, self.max_length, self.batch_size = top_k, multi_label, max_length, batch_size
        # The teacher runs where the student trains (``device``: the rank's own device under
        # torchrun); autocast below targets the same device type, so the cache's recorded
        # precision is the one used.
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.teacher.to(self.device)
        self.mlm_teacher = mlm_teacher.to(self.device).eval() if mlm_teacher is not None else None
        self.pad_id = teacher.tokenizer.pad_token_id or 0
        # The same precision the student trains in: on a CPU with native bf16
        # the teacher pass (the cache fill) runs about twice as fast, and the
        # cached outputs are stored in fp16 either way.
        self.bf16 = bf16

    def compute(self, examples: list[Example], texts: list[str]) -> list[Record]:
        order = sorted(range(len(examples)), key=lambda i: -len(examples[i].input_ids))
        records: list[Record | None] = [None] * len(examples)
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.bf16):
            self._compute_into(records, order, examples, texts)
        return records  # type: ignore[return-value]

    def _compute_into(self, records: list, order: list[int], examples: list[Example], texts: list[str]) -> None:
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            for i, record in zip(chunk, self._batch([examples[i] for i in chunk], [texts[i] for i in chunk]), strict=True):
                records[i] = record

    def _teacher_inputs(self, examples: list[Example], texts: list[str]) -> tuple[list[list[int]], list[list[int]] | None]:
        if self.bridge.token_aligned:
            return [self.bridge.to_teacher_ids(e.input_ids).tolist() for e in examples], None
        enc = self.teacher.tokenizer(texts, truncation=True, max_length=self.max_length, return_offsets_mapping=True)
        words = [whole_word_index(offsets, text) for offsets, text in zip(enc["offset_mapping"], texts, strict=True)]
        return [list(ids) for ids in enc["input_ids"]], words

    def _batch(self, examples: list[Example], texts: list[str]) -> list[Record]:
        ids, words = self._teacher_inputs(examples, texts)
        input_ids, attention = (t.to(self.device) for t in pad_id_lists(ids, self.pad_id))
        logits, all_hidden = self.teacher(input_ids, attention)
        # Only what the records keep comes back to the CPU (as fp32, whatever autocast computed in).
        logits = None if logits is None else logits.float().cpu()
        hidden = {t: all_hidden[t].float().cpu() for t in self.layers}
        mlm_logits = None
        if self.mlm_teacher is not None and any(e.role == POOL for e in examples):
            with torch.no_grad():
                mlm_logits = self.mlm_teacher(input_ids=input_ids, attention_mask=attention).logits.float().cpu()
        records = []
        for row, example in enumerate(examples):
            n = len(ids[row])
            record: Record = {}
            if logits is not None:
                record.update(self._task_logits(logits[row].float().numpy()))
            if words is None:
                record["unit_mask"] = np.ones(n, dtype=np.uint8)
                for t in self.layers:
                    record[f"hidden_{t}"] = hidden[t][row, :n].numpy().astype(np.float16)
            else:
                record.update(self._word_units(hidden, row, words[row]))
            if mlm_logits is not None and example.role == POOL and example.mlm_labels is not None:
                record.update(self._mlm_topk(mlm_logits[row].float().numpy(), example.mlm_labels))
            records.append(record)
        return records

    def _task_logits(self, logits: np.ndarray) -> Record:
        if self.multi_label:  # every label is its own Bernoulli: keep them all, in label order
            return {"logits_values": logits.astype(np.float16), "logits_indices": np.arange(len(logits), dtype=np.int32)}
        values, indices = topk_arrays(logits, self.top_k)
        return {"logits_values": values, "logits_indices": indices}

    def _word_units(self, hidden: dict[int, torch.Tensor], row: int, word_index: list[int]) -> Record:
        n_words = max(word_index, default=-1) + 1
        index = torch.tensor(word_index)
        record: Record = {}
        mask = np.zeros(n_words, dtype=np.uint8)
        for w in set(word_index) - {-1}:
            mask[w] = 1
        record["unit_mask"] = mask
        for t in self.layers:
            h = hidden[t][row, : len(word_index)].float()
            sums = torch.zeros(n_words, h.shape[-1])
            counts = torch.zeros(n_words, 1)
            valid = index >= 0
            sums.index_add_(0, index[valid], h[valid])
            counts.index_add_(0, index[valid], torch.ones(int(valid.sum()), 1))
            record[f"hidden_{t}"] = (sums / counts.clamp(min=1)).numpy().astype(np.float16)
        return record

    def _mlm_topk(self, logits: np.ndarray, mlm_labels: list[int]) -> Record:
        positions = [i for i, label in enumerate(mlm_labels) if label != -100]
        # Only rows that name a tokenizer piece: checkpoints pad their output layer (Megatron-BERT:
        # 30592 rows for 30522 pieces), and a padding row has no piece, in the student or anywhere.
        real = logits[positions, : self.bridge.teacher_vocab_size]
        values, indices = topk_arrays(real, self.top_k)
        student_indices = self.bridge.to_student_ids(indices.astype(np.int64)).astype(np.int32)
        return {"mlm_values": values, "mlm_indices": student_indices}


def load_mlm_teacher(folder: Path) -> torch.nn.Module:
    return AutoModelForMaskedLM.from_pretrained(folder)


def teacher_summary(teacher: TaskTeacher) -> dict[str, Any]:
    return {"head": teacher.head_kind, "layers": teacher.num_layers, "width": teacher.width,
            "config": json.loads(teacher.model.config.to_json_string())["model_type"]}
