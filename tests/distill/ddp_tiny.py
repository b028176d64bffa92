"""What the torchrun workers of test_ddp.py share: a tiny student written once, and a tiny task.

The workers run as scripts under ``torch.distributed.run``, so this module is imported from their
folder (the script's folder is first on ``sys.path``), not through the test package.
"""

import time
from pathlib import Path

import torch
from transformers import BertConfig, BertModel, BertTokenizerFast

from domainkit.data.taskdata import SINGLE_LABEL, TaskData

TEXTS = ["the patient has fever", "chest pain", "lung cough", "heart pain fever", "the cough", "pain"] * 2


def tiny_student(work: Path, rank: int) -> Path:
    """A one-layer BERT student in ``work/student``: rank 0 writes it once, the other ranks wait."""
    student = work / "student"
    if rank == 0 and not (work / "ready").exists():
        torch.manual_seed(0)
        words = "the patient has fever cough chest pain heart lung".split()
        tok = BertTokenizerFast(vocab={w: i for i, w in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words)})
        BertModel(BertConfig(vocab_size=len(tok), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                             intermediate_size=20, max_position_embeddings=32)).save_pretrained(student)
        tok.save_pretrained(student)
        (work / "ready").write_text("1")
    while not (work / "ready").exists():  # the other ranks wait for rank 0 to write the tiny student
        time.sleep(0.1)
    return student


def tiny_task() -> TaskData:
    """12 training texts in two classes, 4 test texts."""
    return TaskData("t", SINGLE_LABEL, ["a", "b"], TEXTS, ["a", "b"] * 6, TEXTS[:4], ["a", "b"] * 2)
