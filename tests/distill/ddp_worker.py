"""Worker for test_ddp.py: one rank of `torchrun --nproc_per_node 2` fine-tuning a tiny student."""

import json
import os
import sys
from pathlib import Path

from domainkit.distill.api import finetune_only
from domainkit.distill.config import DistillConfig

from ddp_tiny import tiny_student, tiny_task

work = Path(sys.argv[1])
rank = int(os.environ["RANK"])
student = tiny_student(work, rank)
data = tiny_task()
cfg = DistillConfig(epochs=2, batch_size=2, max_length=16, bf16=False, logging_steps=1, save_steps=1000)
result = finetune_only(student, data, cfg, out_dir=work / "out", resume=False)
(work / f"rank{rank}.json").write_text(json.dumps({"checksum": result.report["student_checksum"],
                                                   "world": int(os.environ["WORLD_SIZE"])}))
