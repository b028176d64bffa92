"""Dynamic padding of student inputs together with the teacher's cached outputs.

Batches mix labelled and pool examples; masks say which rows carry which
targets. Hidden states are compared per *unit*: a token (token-aligned
vocabularies) or a word (different tokenizers, character-offset alignment).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from domainkit.distill.encoding import Example
from domainkit.distill.teacher_cache import Record


class ExampleDataset(Dataset):
    """Examples plus (optionally) their cached teacher records, as dicts the collator understands."""

    def __init__(self, examples: list[Example], records: list[Record] | None) -> None:
        self.examples, self.records = examples, records

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, i: int) -> dict[str, Any]:
        e = self.examples[i]
        return {"index": i, "input_ids": e.input_ids, "example": e, "teacher": None if self.records is None else self.records[i]}


@dataclass
class DistillCollator:
    """Pads a batch; ``live_teacher`` (teacher-in-the-loop) computes records on the fly instead of the cache."""

    pad_id: int
    num_labels: int
    multi_label: bool
    layers: tuple[int, ...]
    token_aligned: bool
    live_teacher: Callable[[list[int]], list[Record]] | None = None

    def __call__(self, items: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        examples: list[Example] = [it["example"] for it in items]
        records = [it["teacher"] for it in items]
        if self.live_teacher is not None:
            records = self.live_teacher([it["index"] for it in items])
        batch = self._student_inputs(examples)
        if records[0] is not None:
            batch.update(self._soft_labels(records))
            batch.update(self._hidden_targets(examples, records, batch["input_ids"].shape[1]))
            batch.update(self._mlm_targets(examples, records))
        return batch

    def _student_inputs(self, examples: list[Example]) -> dict[str, torch.Tensor]:
        width = max(len(e.input_ids) for e in examples)
        n = len(examples)
        ids = torch.full((n, width), self.pad_id, dtype=torch.long)
        attention = torch.zeros((n, width), dtype=torch.long)
        mlm = torch.full((n, width), -100, dtype=torch.long)
        hard_mask = torch.zeros(n, dtype=torch.bool)
        labels = torch.zeros((n, self.num_labels)) if self.multi_label else torch.zeros(n, dtype=torch.long)
        for row, e in enumerate(examples):
            ids[row, : len(e.input_ids)] = torch.tensor(e.input_ids)
            attention[row, : len(e.input_ids)] = 1
            if e.mlm_labels is not None:
                mlm[row, : len(e.mlm_labels)] = torch.tensor(e.mlm_labels)
            if e.label is not None:
                hard_mask[row] = True
                if self.multi_label:
                    labels[row, e.label] = 1.0
                else:
                    labels[row] = e.label
        return {"input_ids": ids, "attention_mask": attention, "mlm_labels": mlm, "hard_mask": hard_mask, "labels": labels}

    def _soft_labels(self, records: list[Record]) -> dict[str, torch.Tensor]:
        if "logits_values" not in records[0]:
            return {}
        return {
            "soft_values": torch.from_numpy(np.stack([r["logits_values"] for r in records]).astype(np.float32)),
            "soft_indices": torch.from_numpy(np.stack([r["logits_indices"] for r in records]).astype(np.int64)),
        }

    def _hidden_targets(self, examples: list[Example], records: list[Record], width: int) -> dict[str, torch.Tensor]:
        if not self.layers or f"hidden_{self.layers[0]}" not in records[0]:
            return {}
        n = len(examples)
        # The student may cover more words than the teacher (different truncation): those stay masked out.
        student_units = max((max(self._student_units(e), default=-1) + 1 for e in examples), default=0)
        units = max(max(len(r["unit_mask"]) for r in records), student_units)
        unit_index = torch.full((n, width), -1, dtype=torch.long)
        unit_mask = torch.zeros((n, units), dtype=torch.bool)
        out: dict[str, torch.Tensor] = {}
        for t in self.layers:
            out[f"teacher_hidden_{t}"] = torch.zeros((n, units, records[0][f"hidden_{t}"].shape[-1]))
        for row, (e, r) in enumerate(zip(examples, records, strict=True)):
            student_units = self._student_units(e)
            unit_index[row, : len(student_units)] = torch.tensor(student_units)
            mask = np.zeros(units, dtype=bool)
            mask[: len(r["unit_mask"])] = r["unit_mask"].astype(bool)
            seen = np.zeros(units, dtype=bool)
            seen[[u for u in student_units if u >= 0]] = True
            if not self.token_aligned and e.mlm_labels is not None:
                # The teacher read the unmasked text: a word with a masked piece is not comparable.
                seen[[u for u, m in zip(student_units, e.mlm_labels, strict=True) if u >= 0 and m != -100]] = False
            unit_mask[row] = torch.from_numpy(mask & seen)
            for t in self.layers:
                h = r[f"hidden_{t}"]
                out[f"teacher_hidden_{t}"][row, : len(h)] = torch.from_numpy(h.astype(np.float32))
        out.update(unit_index=unit_index, unit_mask=unit_mask)
        return out

    def _student_units(self, e: Example) -> list[int]:
        if self.token_aligned:
            return list(range(len(e.input_ids)))
        return list(e.word_index or [])

    def _mlm_targets(self, examples: list[Example], records: list[Record]) -> dict[str, torch.Tensor]:
        # Masked positions are taken row-major by compute_loss; the records hold them in the same order.
        values, indices, present = [], [], []
        for e, r in zip(examples, records, strict=True):
            if e.mlm_labels is None:
                continue
            count = sum(1 for m in e.mlm_labels if m != -100)
            if "mlm_values" in r and len(r["mlm_values"]) == count:
                values.append(r["mlm_values"]), indices.append(r["mlm_indices"]), present.append(np.ones(count, bool))
            elif count:
                values.append(np.zeros((count, 1), np.float16)), indices.append(np.full((count, 1), -1, np.int32))
                present.append(np.zeros(count, bool))
        if not values or not any(p.any() for p in present):
            return {}
        k = max(v.shape[1] for v in values)
        pad_v = [np.pad(v, ((0, 0), (0, k - v.shape[1]))) for v in values]
        pad_i = [np.pad(i, ((0, 0), (0, k - i.shape[1])), constant_values=-1) for i in indices]
        return {
            "mlm_teacher_values": torch.from_numpy(np.concatenate(pad_v).astype(np.float32)),
            "mlm_teacher_indices": torch.from_numpy(np.concatenate(pad_i).astype(np.int64)),
            "mlm_teacher_present": torch.from_numpy(np.concatenate(present)),
        }
