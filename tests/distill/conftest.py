"""Tiny tokenizers and random-init models for the distillation tests (no downloads)."""

from __future__ import annotations

from pathlib import Path

import pytest
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


@pytest.fixture
def student_dir(tmp_path: Path) -> Path:
    torch.manual_seed(0)
    tok = bert_tokenizer(tmp_path / "student_tok")
    return save_model(BertModel(tiny_bert_config(len(tok), hidden=32, layers=2)), tok, tmp_path / "student")


@pytest.fixture
def teacher_dir(tmp_path: Path) -> Path:
    """Tiny MPNet teacher: wider (48) and deeper (4) than the student, shifted vocab, no MLM head."""
    torch.manual_seed(1)
    tok = mpnet_tokenizer(tmp_path / "teacher_tok")
    config = MPNetConfig(
        vocab_size=len(tok), hidden_size=48, num_hidden_layers=4, num_attention_heads=2,
        intermediate_size=37, max_position_embeddings=80,
    )
    return save_model(MPNetModel(config), tok, tmp_path / "teacher")


@pytest.fixture
def mlm_teacher_dir(tmp_path: Path) -> Path:
    """Tiny BERT teacher with an MLM head and the student's vocabulary."""
    torch.manual_seed(2)
    tok = bert_tokenizer(tmp_path / "mlm_teacher_tok")
    return save_model(BertForMaskedLM(tiny_bert_config(len(tok), hidden=48, layers=4)), tok, tmp_path / "mlm_teacher")


@pytest.fixture
def char_teacher_dir(tmp_path: Path) -> Path:
    torch.manual_seed(3)
    tok = char_tokenizer(tmp_path / "char_tok")
    return save_model(BertModel(tiny_bert_config(len(tok), hidden=32, layers=2)), tok, tmp_path / "char_teacher")


def _texts(n: int, offset: int = 0) -> list[str]:
    return [" ".join(WORDS[(i * 7 + j + offset) % len(WORDS)] for j in range(3 + i % 5)) for i in range(n)]


@pytest.fixture
def single_label_data() -> TaskData:
    train = _texts(12)
    test = _texts(6, offset=3)
    names = ["cardio", "other"]
    return TaskData("tiny", SINGLE_LABEL, names, train, [names[i % 2] for i in range(12)],
                    test, [names[i % 2] for i in range(6)])


@pytest.fixture
def multi_label_data() -> TaskData:
    train = _texts(12)
    test = _texts(6, offset=3)
    names = ["a", "b", "c"]
    return TaskData("tiny-ml", MULTI_LABEL, names, train, [sorted({names[i % 3]} | ({"c"} if i % 2 else set())) for i in range(12)],
                    test, [[names[i % 3]] for i in range(6)])


@pytest.fixture
def pool_texts() -> list[str]:
    return _texts(8, offset=11)


@pytest.fixture
def make_tokenizer(tmp_path: Path):
    """Factory: make_tokenizer("bert" | "mpnet" | "char", name) -> a tiny fast tokenizer."""
    builders = {"bert": bert_tokenizer, "mpnet": mpnet_tokenizer, "char": char_tokenizer}

    def make(kind: str, name: str | None = None):
        return builders[kind](tmp_path / "tokenizers" / (name or kind))

    return make


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: real weights or multi-process; run in CI, kept few")
