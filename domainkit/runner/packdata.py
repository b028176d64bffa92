"""Where a pack's data enters a run: its own code called, its results checked, their content hashed.

A pack is someone else's code. Whatever ``load_task`` and ``load_pool`` return is checked here,
before the run folder is made and long before anything trains, so that a wrong type, a single
class or labels outside ``label_names`` stop the run with the pack, the task and the fix named
(they used to surface minutes later as a traceback in the teacher or evaluation stage).

The content fingerprint is what lets the data stage notice that a pack's data changed under the
same pack version (an edited ``data/corpus.csv`` in an editable install): every row goes into one
digest of the whole dataset, and only that digest is recorded, never a text or a hash of one row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from domainkit.data.taskdata import TaskData
from domainkit.errors import DomainkitError, PackError
from domainkit.runner.pipeline import RunContext


def pack_module(pack: object) -> str:
    """The top-level module of a pack's code (``domainkit_medical``)."""
    return type(pack).__module__.split(".")[0]


def from_pack(ctx: RunContext, method: str, call: Callable[[], Any]) -> Any:
    """Run a pack's own code; its failure is a PackError naming the pack, never the exception's message.

    A pack's message may quote its data (a document, an identifier in a record), so only the
    exception's class and the pack's file and line are shown (``domainkit.packs.raised``).
    """
    from domainkit.packs.raised import DEBUG_HINT, debug_enabled, describe

    try:
        return call()
    except DomainkitError:
        raise  # the pack's own clear errors (a missing corpus package, a bad option) pass through
    except Exception as error:
        pack = ctx.pack
        failure = PackError(f"pack {pack.name!r} ({pack_module(pack)}) failed in {method}: "
                            f"{describe(error, type(pack).__module__)}",
                            hint="the message is not shown, as it may quote documents; run "
                                 f"`domainkit plugins check {pack.name} --data`, or report it to the pack's "
                                 f"authors; {DEBUG_HINT}")
        if debug_enabled():
            raise failure from error  # asked for: the CLI prints the chain with its messages
        raise failure from None


def _refuse(ctx: RunContext, method: str, problems: list[str]) -> None:
    if problems:
        pack = ctx.pack
        raise PackError(f"pack {pack.name!r} ({pack_module(pack)}), task {ctx.task!r}: " + "; ".join(problems),
                        hint=f"fix the pack's {method}; `domainkit plugins check {pack.name} --data` checks "
                             "every task (nothing was written)")


def pack_task_data(ctx: RunContext) -> TaskData:
    """The task's data from the pack, checked against its TaskSpec (PackError naming what to fix)."""
    from domainkit.log import get_logger
    from domainkit.packs.validate import task_data_problems, task_data_warnings

    data = from_pack(ctx, "load_task", lambda: ctx.pack.load_task(ctx.task, seed=ctx.config.run.seed))
    _refuse(ctx, "load_task", task_data_problems(ctx.pack.task(ctx.task), data))
    for warning in task_data_warnings(data):
        get_logger(__name__).warning("pack %r, task %r: %s", ctx.pack.name, ctx.task, warning)
    return data


def pack_pool(ctx: RunContext, held_out: list[str], limit: int) -> list[str]:
    """Unlabelled texts from the pack, minus ``held_out``; a str or a list of non-texts is refused."""
    from domainkit.packs.validate import pool_problems

    pool = from_pack(ctx, "load_pool", lambda: ctx.pack.load_pool(
        exclude=frozenset(held_out), limit=limit, seed=ctx.config.run.seed))
    _refuse(ctx, "load_pool", pool_problems(pool))
    return pool


def content_fingerprint(data: TaskData, pool: list[str]) -> str:
    """A hash of every row the data stage reads: texts, labels, groups, label names, split record, pool.

    One sha256 over the whole dataset: rows are fed to it one at a time (no copy of the whole corpus
    as one string), no row gets a hash of its own, and only the 16 hex digits are kept. The rows are
    the pack's, not yet de-identified: checking a guess of one redacted identifier against this
    digest needs every other row's raw text too, where a hash per row would need that row's only.
    """
    digest = hashlib.sha256()

    def add(value: Any) -> None:
        digest.update(json.dumps(value, sort_keys=True, default=str).encode())
        digest.update(b"\n")

    add({"task": data.task, "kind": data.kind, "labels": data.label_names, "split": data.split_info,
         "groups": data.train_groups})
    for split, texts, labels in (("train", data.train_texts, data.train_labels),
                                 ("test", data.test_texts, data.test_labels),
                                 ("validation", data.validation_texts, data.validation_labels)):
        for text, label in zip(texts, labels, strict=True):
            add([split, text, label])
    for text in pool:
        add(["pool", text])
    return digest.hexdigest()[:16]
