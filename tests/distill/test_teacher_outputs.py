"""What the teacher pass stores per example (``domainkit.distill.teacher_outputs``)."""

import numpy as np
import torch
from tiny_distill import bert_tokenizer, sample_texts, save_model, tiny_bert_config
from transformers import BertForMaskedLM

from domainkit.distill.encoding import POOL, encode_examples
from domainkit.distill.teacher_outputs import TaskTeacher, TeacherRunner, load_mlm_teacher
from domainkit.distill.vocab import bridge_vocabularies


def test_teacher_outputs_mlm_teacher_with_a_padded_output_layer_fills_the_cache(tmp_path):
    """Megatron-BERT-style checkpoints pad their output layer past the tokenizer (30592 rows, 30522 pieces)."""
    student_tok, teacher_tok = bert_tokenizer(tmp_path / "s"), bert_tokenizer(tmp_path / "t")
    pieces = len(teacher_tok)
    padded = (pieces + 63) // 64 * 64
    torch.manual_seed(0)
    teacher = BertForMaskedLM(tiny_bert_config(padded, hidden=48, layers=2))
    with torch.no_grad():  # padding rows loud enough to win every top-k if they are allowed in
        teacher.cls.predictions.bias[pieces:] = 30.0
    folder = save_model(teacher, teacher_tok, tmp_path / "teacher")
    bridge = bridge_vocabularies(student_tok, teacher_tok)
    texts = sample_texts(3)
    examples = encode_examples(texts, None, student_tok, role=POOL, max_length=24, mlm_probability=0.3, seed=1,
                               with_words=False)
    runner = TeacherRunner(TaskTeacher(folder, ["a", "b"]), bridge, layers=(), top_k=5, multi_label=False,
                           max_length=24, mlm_teacher=load_mlm_teacher(folder), device="cpu")
    records = runner.compute(examples, texts)
    for example, record in zip(examples, records, strict=True):
        masked = sum(label != -100 for label in example.mlm_labels)
        assert record["mlm_indices"].shape == (masked, 5)
        # the top-k is over real pieces only: every one maps to a student piece (same vocabulary here)
        assert (record["mlm_indices"] >= 0).all() and (record["mlm_indices"] < pieces).all()
        assert np.isfinite(record["mlm_values"].astype(np.float32)).all()
