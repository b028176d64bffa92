"""What the teacher pass stores per example (``domainkit.distill.teacher_outputs``)."""

from domainkit.distill.teacher_outputs import _drop_last_word


def test_a_word_cut_by_truncation_leaves_the_alignment():
    word_index = [-1, 0, 0, 1, 2, 2]  # [CLS] w0 w0 w1 w2 w2|(cut here)
    _drop_last_word(word_index)
    assert word_index == [-1, 0, 0, 1, -1, -1]
    nothing = [-1, -1]
    _drop_last_word(nothing)
    assert nothing == [-1, -1]
