"""Tiny tokenizers (BERT, MPNet-shifted, character) and random-init encoders for the distillation tests."""

from __future__ import annotations

from pathlib import Path

import torch
from transformers import (
    BertConfig,
    BertForMaskedLM,
    BertModel,
    BertTokenizerFast,
    MPNetConfig,
    MPNetModel,
    MPNetTokenizerFast,
)

from domainkit.data.taskdata import MULTI_LABEL, SINGLE_LABEL, TaskData

WORDS = (
    "the patient has a fever and cough pain in chest heart lung kidney contract party shall pay "
    "court appeal breach tumour acute chronic left right blood pressure high low no signs of"
).split()
BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
MPNET_PREFIX = ["<s>", "<pad>", "</s>", "<unk>"]


def write_vocab(path: Path, tokens: list[str]) -> dict[str, int]:
    """Write vocab.txt (for the record) and return the piece -> id dict tokenizers take in transformers 5."""
    path.write_text("\n".join(tokens) + "\n")
    return {token: i for i, token in enumerate(tokens)}


def bert_tokenizer(folder: Path) -> BertTokenizerFast:
    folder.mkdir(parents=True, exist_ok=True)
    vocab = write_vocab(folder / "vocab.txt", BERT_SPECIALS + WORDS + ["##s", "##ing", ".", ","])
    return BertTokenizerFast(vocab=vocab, do_lower_case=True)


def mpnet_tokenizer(folder: Path) -> MPNetTokenizerFast:
    """MPNet-style: 4 specials first, then the BERT pieces (so +4), then <mask>."""
    folder.mkdir(parents=True, exist_ok=True)
    tokens = MPNET_PREFIX + BERT_SPECIALS + WORDS + ["##s", "##ing", ".", ","] + ["<mask>"]
    vocab = write_vocab(folder / "vocab.txt", tokens)
    return MPNetTokenizerFast(vocab=vocab, do_lower_case=True, unk_token="<unk>")


def char_tokenizer(folder: Path) -> BertTokenizerFast:
    """A 'really different' tokenizer: single letters and ##letters."""
    folder.mkdir(parents=True, exist_ok=True)
    letters = list("abcdefghijklmnopqrstuvwxyz")
    vocab = write_vocab(folder / "vocab.txt", BERT_SPECIALS + letters + [f"##{c}" for c in letters] + [".", ","])
    return BertTokenizerFast(vocab=vocab, do_lower_case=True)


def tiny_bert_config(vocab_size: int, hidden: int = 32, layers: int = 2) -> BertConfig:
    return BertConfig(
        vocab_size=vocab_size,
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=37,
        max_position_embeddings=64,
    )


def save_model(model, tokenizer, folder: Path) -> Path:
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def sample_texts(n: int, offset: int = 0) -> list[str]:
    return [" ".join(WORDS[(i * 7 + j + offset) % len(WORDS)] for j in range(3 + i % 5)) for i in range(n)]
