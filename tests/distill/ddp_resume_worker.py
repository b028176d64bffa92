"""Worker for test_ddp.py: one rank of `torchrun --nproc_per_node 2` resuming a run in its second epoch.

12 examples, 2 per rank and step: 3 steps an epoch, 6 in all. The run trains to the end with a
checkpoint at step 4 (the second epoch's first step); its final checkpoint is then removed and it is
resumed from step 4, as after a crash: steps 5 and 6 must draw the batches they drew the first time
and end with the same weights.
"""

import json
import os
import shutil
import sys
from pathlib import Path

import torch

from domainkit.distill.api import finetune_only
from domainkit.distill.collator import DistillCollator
from domainkit.distill.config import DistillConfig

from ddp_tiny import tiny_student, tiny_task

work = Path(sys.argv[1])
rank = int(os.environ["RANK"])
student = tiny_student(work, rank)

batches: list[list[int]] = []
collate = DistillCollator.__call__
DistillCollator.__call__ = lambda self, items: batches.append(sorted(i["index"] for i in items)) or collate(self, items)

data = tiny_task()
cfg = DistillConfig(epochs=2, batch_size=2, max_length=16, bf16=False, logging_steps=1, save_steps=4)
whole = finetune_only(student, data, cfg, out_dir=work / "cut", resume=False)
uninterrupted = list(batches)
assert (work / "cut" / "checkpoints" / "checkpoint-4").is_dir()
if rank == 0:  # as if the run died before step 6: its last complete checkpoint is step 4's
    shutil.rmtree(work / "cut" / "checkpoints" / "checkpoint-6")
torch.distributed.barrier()
batches[:] = []
resumed = finetune_only(student, data, cfg, out_dir=work / "cut", resume=True)
(work / f"rank{rank}.json").write_text(json.dumps({"whole": whole.report["student_checksum"],
                                                   "resumed": resumed.report["student_checksum"],
                                                   "uninterrupted_batches": uninterrupted, "resumed_batches": batches,
                                                   "world": int(os.environ["WORLD_SIZE"])}))
