"""Worker for test_ddp.py: one rank of `torchrun --nproc_per_node 2` fine-tuning a tiny student."""

import json
import os
import sys
from pathlib import Path

import torch
from transformers import BertConfig, BertModel, BertTokenizerFast

from domainkit.data.taskdata import SINGLE_LABEL, TaskData
from domainkit.distill.api import finetune_only
from domainkit.distill.config import DistillConfig

work = Path(sys.argv[1])
rank = int(os.environ["RANK"])
student = work / "student"
if rank == 0 and not (student / "config.json").exists():
    torch.manual_seed(0)
    words = "the patient has fever cough chest pain heart lung".split()
    tok = BertTokenizerFast(vocab={w: i for i, w in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words)})
    BertModel(BertConfig(vocab_size=len(tok), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=20, max_position_embeddings=32)).save_pretrained(student)
    tok.save_pretrained(student)
    (work / "ready").write_text("1")
while not (work / "ready").exists():  # rank 1 waits for rank 0 to write the tiny student
    import time

    time.sleep(0.1)
texts = ["the patient has fever", "chest pain", "lung cough", "heart pain fever", "the cough", "pain"] * 2
data = TaskData("t", SINGLE_LABEL, ["a", "b"], texts, ["a", "b"] * 6, texts[:4], ["a", "b"] * 2)
cfg = DistillConfig(epochs=2, batch_size=2, max_length=16, bf16=False, logging_steps=1, save_steps=1000)
result = finetune_only(student, data, cfg, out_dir=work / "out", resume=False)
(work / f"rank{rank}.json").write_text(json.dumps({"checksum": result.report["student_checksum"],
                                                   "world": int(os.environ["WORLD_SIZE"])}))
