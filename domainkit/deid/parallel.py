"""Spread de-identification over processes, in order (for large inputs)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from itertools import islice

from domainkit.deid.policy import DeidPolicy
from domainkit.deid.spans import Redaction

_WORKER = None  # the Deidentifier of this worker process, built once by _init


def _init(policy: DeidPolicy) -> None:
    global _WORKER
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
    policy: DeidPolicy, texts: Iterable[str], *, workers: int, batch_size: int
) -> Iterator[Redaction]:
    """Redact ``texts`` with ``workers`` processes; results come back in input order.

    "spawn" starts clean interpreters (no forked spaCy or thread state), the same on every OS.
    """
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init, initargs=(policy,)) as pool:
        for batch in pool.imap(_redact_batch, _batches(texts, batch_size), chunksize=1):
            yield from batch
