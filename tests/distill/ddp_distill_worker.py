"""Worker for test_ddp.py: one rank of `torchrun --nproc_per_node 2` running the whole distillation.

Every term is on: the tiny BERT teacher has an MLM head and is wider than the student (a learned
projection), and a pool gives the MLM head work, so every trained module takes part under DDP.
"""

import json
import os
import sys
import time
from pathlib import Path

import torch
from transformers import BertForMaskedLM

sys.path.insert(0, str(Path(__file__).parents[1]))
from tiny_distill import bert_tokenizer, sample_texts, save_model, tiny_bert_config  # noqa: E402
from transformers import BertModel  # noqa: E402

from domainkit.data.taskdata import SINGLE_LABEL, TaskData  # noqa: E402
from domainkit.distill.api import distill  # noqa: E402
from domainkit.distill.config import DistillConfig  # noqa: E402

work = Path(sys.argv[1])
rank = int(os.environ["RANK"])
if rank == 0 and not (work / "ready").exists():
    torch.manual_seed(0)
    tok = bert_tokenizer(work / "student_tok")
    save_model(BertModel(tiny_bert_config(len(tok), hidden=32, layers=2)), tok, work / "student")
    torch.manual_seed(2)
    tok = bert_tokenizer(work / "teacher_tok")
    save_model(BertForMaskedLM(tiny_bert_config(len(tok), hidden=48, layers=4)), tok, work / "teacher")
    (work / "ready").write_text("1")
while not (work / "ready").exists():  # rank 1 waits for rank 0 to write the tiny models
    time.sleep(0.1)
names = ["cardio", "other"]
data = TaskData("tiny", SINGLE_LABEL, names, sample_texts(12), [names[i % 2] for i in range(12)],
                sample_texts(6, offset=3), [names[i % 2] for i in range(6)])
cfg = DistillConfig(epochs=2, batch_size=2, max_length=24, logging_steps=1, save_steps=1000, bf16=False, top_k=5)
result = distill(work / "student", work / "teacher", data, sample_texts(8, offset=11), cfg,
                 out_dir=work / "out", cache_dir=work / "cache", resume=False)
(work / f"rank{rank}.json").write_text(json.dumps({"checksum": result.report["student_checksum"],
                                                   "world": int(os.environ["WORLD_SIZE"]),
                                                   "active": sorted(result.report["active_terms"]),
                                                   "history": [{k: v for k, v in h.items() if k.startswith("loss")}
                                                               for h in result.report["history"]]}))
