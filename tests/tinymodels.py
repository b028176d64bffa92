"""Tiny random-init BERT classifiers and tokenizers, built in the test (no Hub).

The fixtures built on them (``make_classifier``, ``tiny_task``) are in tests/conftest.py.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

WORDS = (
    "patient fever cough pain chest heart lung kidney liver skin rash "
    "licence grant copy software warranty patent source binary notice "
    "the a of and with without to in is has no"
).split()
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def write_vocab(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "vocab.txt"
    path.write_text("\n".join(SPECIAL + WORDS) + "\n")
    return path


def build_classifier(folder: Path, labels: list[str], *, multi_label: bool = False, seed: int = 0,
                     max_positions: int = 64) -> Path:
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    # transformers 5: the vocab path goes in `vocab=`; `vocab_file=` is silently
    # ignored and leaves a tokenizer that maps every word to [UNK].
    tokenizer = BertTokenizerFast(vocab=str(write_vocab(folder / "_vocab")))
    assert "[UNK]" not in tokenizer.tokenize("heart lung")
    config = BertConfig(
        vocab_size=len(SPECIAL) + len(WORDS), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=37, max_position_embeddings=max_positions, num_labels=len(labels),
        id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)},
        problem_type="multi_label_classification" if multi_label else "single_label_classification",
    )
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config).eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def keyword_corpus(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """Texts labelled by which keyword they contain (learnable by TF-IDF)."""
    rng = random.Random(seed)
    keywords = {"cardio": "heart", "pulmo": "lung", "derm": "skin"}
    filler = ["the", "a", "of", "patient", "with", "has", "pain", "and"]
    texts, labels = [], []
    for i in range(n):
        label = list(keywords)[i % 3]
        words = rng.choices(filler, k=rng.randint(3, 12)) + [keywords[label]]
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return texts, labels
