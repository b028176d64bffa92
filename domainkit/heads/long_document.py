"""Sliding windows for documents longer than the encoder's ``max_length``.

Licences and contracts run to thousands of words; truncating them to the
first 128 or 512 word pieces throws away most of the evidence. Instead each
text is cut into overlapping windows (``stride`` word pieces shared between
neighbours, so a clause cut at a window edge is seen whole in the next one),
every window is classified, and the window logits are pooled per document.

Pooling choice (documented, tested):
- single-label: the **mean** of window logits. Every window votes with its
  confidence; one noisy window cannot flip a long document, and the mean of
  logits (not of probabilities) keeps a confident window worth more than an
  unsure one.
- multi-label: the **max** of window logits per label. A label holds for the
  document if it holds anywhere in it (a patent clause on page 9 makes the
  licence a patent licence); averaging would dilute a label found in one
  window out of twenty.

Which windows, when a cap (``max_windows``) keeps only some of a long
document's (``selection``): ``first`` (the default) takes the opening windows;
``spread`` takes them evenly from the first window to the last, so two windows
are the opening and the closing one (head+tail truncation, which "How to
Fine-Tune BERT for Text Classification", Sun et al. 2019, found best for long
reviews). On licences the opening won where it counts: the legal run's
labels-only student scored macro-F1 0.470 (first) against 0.428 (spread) on
1090 validation licences, and 0.534 against 0.524 on the test licences, though
TF-IDF on each licence's first and last 90 words beat its first 180 on the
test licences (0.618 against 0.536; 0.485 against 0.496 on validation).
``python bench/bench_long_windows.py --students`` prints these. ``spread``
stays a choice for documents whose conclusion sits at their end.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import torch

#: Default overlap between neighbouring windows, in word pieces. A quarter of
#: the default 128-piece window: enough to keep a typical sentence whole.
DEFAULT_STRIDE = 32

#: How a window cap picks a document's windows (see the module docstring); the first is the default.
WINDOW_SELECTIONS = ("first", "spread")


def default_stride(max_length: int) -> int:
    """A quarter of the window (32 for the default 128): keeps a typical sentence whole."""
    return min(DEFAULT_STRIDE, max_length // 4)


@dataclass(frozen=True)
class WindowedBatch:
    """Tokenised windows and, for each window, the index of its document."""

    encoding: dict[str, torch.Tensor]
    window_to_doc: torch.Tensor
    n_docs: int


def encode_windows(
    tokenizer, texts: list[str], *, max_length: int, stride: int = DEFAULT_STRIDE, max_windows: int = 0,
    selection: str = "first",
) -> WindowedBatch:
    """Tokenise ``texts`` into windows of at most ``max_length`` word pieces.

    ``max_windows`` > 0 keeps that many windows of each document, picked by
    ``selection`` (see :data:`WINDOW_SELECTIONS`). Needs a fast tokenizer (``return_overflowing_tokens`` maps windows back to
    texts through ``overflow_to_sample_mapping``). A short text gives one window.
    """
    encoded = _overflowing(tokenizer, texts, max_length=max_length, stride=stride, padding=True, return_tensors="pt")
    window_to_doc = encoded.pop("overflow_to_sample_mapping")
    encoded.pop("offset_mapping", None)
    encoding = dict(encoded)
    if max_windows > 0:
        keep = select_windows(window_to_doc, max_windows, selection)
        encoding = {key: value[keep] for key, value in encoding.items()}
        window_to_doc = window_to_doc[keep]
    return WindowedBatch(encoding=encoding, window_to_doc=window_to_doc, n_docs=len(texts))


def _overflowing(tokenizer, texts: list[str], *, max_length: int, stride: int, **options):
    """``texts`` cut into overlapping windows by the tokenizer (``overflow_to_sample_mapping`` names each window's text)."""
    if not getattr(tokenizer, "is_fast", False):
        raise TypeError("sliding windows need a fast tokenizer (PreTrainedTokenizerFast)")
    if stride >= max_length - 2:
        raise ValueError(f"stride ({stride}) must be smaller than max_length - 2 ({max_length - 2})")
    return tokenizer(texts, truncation=True, max_length=max_length, stride=stride,
                     return_overflowing_tokens=True, **options)


def select_windows(window_to_doc: torch.Tensor, max_windows: int, selection: str = "first") -> torch.Tensor:
    """Indices of the windows a cap of ``max_windows`` per document keeps, in their order.

    ``window_to_doc`` lists each window's document, a document's windows in
    reading order (as the tokenizer's overflow gives them). ``first``: each
    document's opening windows. ``spread``: windows evenly spaced from the first
    to the last (rounded), so 2 of 9 are windows 0 and 8 and 3 of 9 are 0, 4 and 8.
    A cap bounds the cost of a 20-page document; a document with no more
    windows than the cap keeps them all either way.
    """
    if selection not in WINDOW_SELECTIONS:
        raise ValueError(f"unknown window selection {selection!r}; available: {', '.join(WINDOW_SELECTIONS)}")
    docs = window_to_doc.tolist()
    wanted = {doc: _kept_ordinals(n, max_windows, selection) for doc, n in Counter(docs).items()}
    seen: dict[int, int] = {}
    keep = []
    for index, doc in enumerate(docs):
        ordinal = seen.get(doc, 0)
        seen[doc] = ordinal + 1
        if ordinal in wanted[doc]:
            keep.append(index)
    return torch.as_tensor(keep, dtype=torch.long)


def _kept_ordinals(n_windows: int, max_windows: int, selection: str) -> frozenset[int]:
    """Which of a document's ``n_windows`` windows (0-based, reading order) a cap keeps."""
    if n_windows <= max_windows:
        return frozenset(range(n_windows))
    if selection == "first" or max_windows == 1:
        return frozenset(range(max_windows))
    # Evenly spaced from 0 to n - 1; the rounding never repeats a window since n > max_windows.
    step = (n_windows - 1) / (max_windows - 1)
    return frozenset(round(i * step) for i in range(max_windows))


def pool_window_logits(
    logits: torch.Tensor, window_to_doc: torch.Tensor, n_docs: int, *, multi_label: bool
) -> torch.Tensor:
    """Pool ``(n_windows, n_labels)`` logits into ``(n_docs, n_labels)``.

    Mean for single-label, max for multi-label (see the module docstring).
    """
    n_labels = logits.shape[-1]
    index = window_to_doc.to(logits.device).long().unsqueeze(-1).expand(-1, n_labels)
    if multi_label:
        pooled = torch.full((n_docs, n_labels), float("-inf"), dtype=logits.dtype, device=logits.device)
        return pooled.scatter_reduce(0, index, logits, reduce="amax", include_self=True)
    pooled = torch.zeros((n_docs, n_labels), dtype=logits.dtype, device=logits.device)
    return pooled.scatter_reduce(0, index, logits, reduce="mean", include_self=False)


def count_windows(tokenizer, text: str, *, max_length: int, stride: int = DEFAULT_STRIDE) -> int:
    """How many windows ``text`` needs (for reports and for batching by cost)."""
    return int(encode_windows(tokenizer, [text], max_length=max_length, stride=stride).window_to_doc.numel())


def longer_than(tokenizer, texts: list[str], max_length: int) -> int:
    """How many of ``texts`` run past a window of ``max_length`` word pieces (special tokens counted, as
    :func:`encode_windows` and plain truncation count them)."""
    if not texts:
        return 0
    # verbose=False: transformers would otherwise log that a sequence is longer than the model's maximum.
    lengths = [len(ids) for ids in tokenizer(list(texts), verbose=False)["input_ids"]]
    return sum(length > max_length for length in lengths)


def window_texts(
    tokenizer, texts: list[str], *, max_length: int, stride: int = DEFAULT_STRIDE, max_windows: int = 0,
    selection: str = "first",
) -> tuple[list[str], list[int]]:
    """The windows of ``texts`` as text, and the index of each window's document.

    The windows :func:`encode_windows` classifies at inference (``max_windows``
    of each document picked by ``selection``, 0 = all), cut out of the text by the word
    pieces' character offsets; a window that starts inside a word starts at
    that word instead (see :func:`_window_span`). Training on these windows, each labelled as its
    document, teaches the model on the text it is pooled over at inference;
    training on the opening window alone and pooling four scored worse on
    licences (see README, Long documents). Text, not ids, so the teacher and
    its cache, which tokenise for themselves, take windows like any text.
    """
    encoded = _overflowing(tokenizer, texts, max_length=max_length, stride=stride, return_offsets_mapping=True)
    owners = encoded["overflow_to_sample_mapping"]
    kept = (range(len(owners)) if max_windows <= 0
            else select_windows(torch.as_tensor(owners), max_windows, selection).tolist())
    windows: list[str] = []
    window_to_doc: list[int] = []
    for index in kept:
        doc = owners[index]
        span = _window_span(texts[doc], encoded["offset_mapping"][index])
        if span is None:
            continue  # an empty or whitespace-only text has no window worth training on
        windows.append(texts[doc][span[0] : span[1]])
        window_to_doc.append(int(doc))
    return windows, window_to_doc


def _window_span(text: str, offsets: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Character span of a window's word pieces, its start moved back to the start of its word.

    A window that starts inside a word ("##claims") would re-tokenise
    differently from its text ("claims"): starting at the word's first
    character keeps every word whole, at the cost of a piece or two more at the
    front. A word here is a run of letters and digits, as BERT-style
    pre-tokenisers cut words at spaces and punctuation.
    """
    spans = [(start, end) for start, end in offsets if end > start]  # special tokens have empty spans
    if not spans:
        return None
    start = spans[0][0]
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    return start, spans[-1][1]
