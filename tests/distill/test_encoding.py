"""Student-side encoding (``domainkit.distill.encoding``) as the collator aligns it with the teacher."""

import numpy as np
import torch
from tiny_distill import bert_tokenizer, char_tokenizer, save_model, tiny_bert_config
from transformers import BertModel

from domainkit.distill.collator import DistillCollator
from domainkit.distill.encoding import LABELLED, encode_examples
from domainkit.distill.teacher_outputs import TaskTeacher, TeacherRunner
from domainkit.distill.vocab import bridge_vocabularies


def test_encoding_a_word_cut_by_the_student_truncation_is_not_aligned(tmp_path):
    """Letters for the student, whole words for the teacher: at 12 pieces the student holds only "h" of "heart"."""
    student_tok = char_tokenizer(tmp_path / "s")
    teacher_tok = bert_tokenizer(tmp_path / "t")
    torch.manual_seed(0)
    teacher = TaskTeacher(save_model(BertModel(tiny_bert_config(len(teacher_tok), hidden=48)), teacher_tok,
                                     tmp_path / "teacher"), ["a", "b"])
    bridge = bridge_vocabularies(student_tok, teacher.tokenizer)
    assert bridge.relation == "different"
    text = "chest pain heart"
    (example,) = encode_examples([text], [0], student_tok, role=LABELLED, max_length=12, mlm_probability=0.15,
                                 seed=1, with_words=True)
    # [CLS] c ##h ##e ##s ##t p ##a ##i ##n h [SEP]: "heart" was cut after its first letter
    assert example.word_index == [-1] + [0] * 5 + [1] * 4 + [-1, -1]
    runner = TeacherRunner(teacher, bridge, layers=(2,), top_k=2, multi_label=False, max_length=12, device="cpu")
    (record,) = runner.compute([example], [text])
    assert record["unit_mask"].tolist() == [1, 1, 1]  # the teacher holds all three words
    collator = DistillCollator(student_tok.pad_token_id, 2, False, (2,), bridge.token_aligned)
    batch = collator([{"index": 0, "input_ids": example.input_ids, "example": example, "teacher": record}])
    assert np.flatnonzero(batch["unit_mask"][0].numpy()).tolist() == [0, 1]  # "heart" is compared nowhere
