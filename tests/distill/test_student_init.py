import torch
from transformers import AutoModel, BertModel

from domainkit.distill.student_init import init_student_from_teacher, kept_layers


def test_student_init_keeps_one_layer_in_two(tmp_path, make_tokenizer):
    from transformers import BertConfig

    tok = make_tokenizer("bert")
    teacher = BertModel(BertConfig(vocab_size=len(tok), hidden_size=16, num_hidden_layers=4, num_attention_heads=2,
                                   intermediate_size=20, max_position_embeddings=32))
    teacher.save_pretrained(tmp_path / "t")
    tok.save_pretrained(tmp_path / "t")
    student = AutoModel.from_pretrained(init_student_from_teacher(tmp_path / "t", tmp_path / "s"))
    assert kept_layers(4, 2) == [0, 2] and student.config.num_hidden_layers == 2
    assert torch.equal(student.encoder.layer[1].attention.self.query.weight, teacher.encoder.layer[2].attention.self.query.weight)
    assert torch.equal(student.embeddings.word_embeddings.weight, teacher.embeddings.word_embeddings.weight)
