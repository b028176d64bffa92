"""Spread de-identification over processes, in order (for large inputs)."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterable, Iterator
from itertools import islice

from domainkit.deid.policy import DeidPolicy
from domainkit.deid.spans import Redaction

_WORKER = None  # the Deidentifier of this worker process (inherited on fork, else built by _init)


def _init(policy: DeidPolicy) -> None:
    global _WORKER
    if _WORKER is not None and _WORKER.policy == policy:
        return  # forked from a parent that already loaded the word lists and spaCy
    from domainkit.deid.deidentifier import Deidentifier

    _WORKER = Deidentifier(policy)


def _redact_batch(texts: list[str]) -> list[Redaction]:
    assert _WORKER is not None
    return list(_WORKER.redact_many(texts, batch_size=len(texts) or 1))


def _batches(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(texts)
    while batch := list(islice(iterator, size)):
        yield batch


def redact_in_processes(
    deidentifier, texts: Iterable[str], *, workers: int, batch_size: int
) -> Iterator[Redaction]:
    """Redact ``texts`` with ``workers`` processes; results come back in input order.

    On Linux (without a learned tagger) the workers are forked and inherit the parent's loaded lists and spaCy pipeline
    (start-up in milliseconds); elsewhere they are spawned and load their own.
    """
    global _WORKER
    # A learned tagger holds torch thread pools, which a forked child can deadlock on: spawn then.
    forkable = sys.platform.startswith("linux") and not deidentifier.policy.tagger
    method = "fork" if forkable else "spawn"
    context = multiprocessing.get_context(method)
    if method == "fork":
        _WORKER = deidentifier
    policy = deidentifier.policy
    with context.Pool(workers, initializer=_init, initargs=(policy,)) as pool:
        for batch in pool.imap(_redact_batch, _batches(texts, batch_size), chunksize=1):
            yield from batch
