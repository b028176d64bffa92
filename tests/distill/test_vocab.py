import numpy as np

from domainkit.distill.vocab import bridge_vocabularies, token_word_index, word_spans



def test_vocab_identical(make_tokenizer):
    a, b = make_tokenizer("bert", "a"), make_tokenizer("bert", "b")
    bridge = bridge_vocabularies(a, b)
    assert bridge.relation == "identical" and bridge.offset == 0
    ids = a("the patient has fever")["input_ids"]
    assert list(bridge.to_teacher_ids(ids)) == ids


def test_vocab_shifted_mpnet_style_plus_four(make_tokenizer):
    student, teacher = make_tokenizer("bert"), make_tokenizer("mpnet")
    bridge = bridge_vocabularies(student, teacher)
    assert bridge.relation == "shifted" and bridge.offset == 4
    text = "the patient has chest pain"
    mapped = bridge.to_teacher_ids(student(text)["input_ids"])
    assert list(mapped) == teacher(text)["input_ids"]  # specials map by role: [CLS]-><s>, [SEP]-></s>
    assert bridge.to_student_ids(np.array(teacher(text)["input_ids"][1:-1])).tolist() == student(text)["input_ids"][1:-1]
    assert bridge.to_teacher_ids([student.mask_token_id])[0] == teacher.mask_token_id


def test_vocab_mapped_permutation(tmp_path, make_tokenizer):
    student = make_tokenizer("bert")
    pieces = [p for p, _ in sorted(student.get_vocab().items(), key=lambda kv: kv[1])]
    from transformers import BertTokenizerFast

    shuffled = pieces[:5] + list(reversed(pieces[5:]))
    teacher = BertTokenizerFast(vocab={p: i for i, p in enumerate(shuffled)})
    bridge = bridge_vocabularies(student, teacher)
    assert bridge.relation == "mapped"
    text = "left lung"
    assert list(bridge.to_teacher_ids(student(text)["input_ids"])) == teacher(text)["input_ids"]


def test_vocab_different_aligns_words_by_character_offsets(make_tokenizer):
    student, teacher = make_tokenizer("bert"), make_tokenizer("char")
    bridge = bridge_vocabularies(student, teacher)
    assert bridge.relation == "different" and not bridge.token_aligned
    text = "chest pain, left"
    spans = word_spans(text)
    assert [text[a:b] for a, b in spans] == ["chest", "pain", ",", "left"]
    s_enc = student(text, return_offsets_mapping=True)
    t_enc = teacher(text, return_offsets_mapping=True)
    s_words = token_word_index(s_enc["offset_mapping"], spans)
    t_words = token_word_index(t_enc["offset_mapping"], spans)
    assert s_words == [-1, 0, 1, 2, 3, -1]
    assert t_words[0] == -1 and t_words[1:6] == [0] * 5 and t_words[-2:] == [3, -1]
    assert sorted(set(t_words) - {-1}) == [0, 1, 2, 3]
