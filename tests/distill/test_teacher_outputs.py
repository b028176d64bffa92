"""What the teacher pass stores per example (``domainkit.distill.teacher_outputs``)."""

from domainkit.distill.teacher_outputs import _drop_last_word


def test_a_word_cut_by_truncation_leaves_the_alignment():
    word_index = [-1, 0, 0, 1, 2, 2]  # [CLS] w0 w0 w1 w2 w2|(cut here)
    _drop_last_word(word_index)
    assert word_index == [-1, 0, 0, 1, -1, -1]
    nothing = [-1, -1]
    _drop_last_word(nothing)
    assert nothing == [-1, -1]


def test_only_a_word_the_truncation_really_cut_is_seen_as_cut():
    from domainkit.distill.teacher_outputs import _last_word_cut
    from domainkit.distill.vocab import word_spans

    text = "heart kidney"
    spans = word_spans(text)  # (0, 5), (6, 12)
    whole = [(0, 0), (0, 5), (6, 9), (9, 12), (0, 0)]  # [CLS] heart kid ##ney [SEP]: fits exactly
    cut = [(0, 0), (0, 5), (6, 9), (0, 0)]  # [CLS] heart kid [SEP]: ##ney fell off
    assert not _last_word_cut(whole, [-1, 0, 1, 1, -1], spans)
    assert _last_word_cut(cut, [-1, 0, 1, -1], spans)
    assert not _last_word_cut([(0, 0), (0, 0)], [-1, -1], spans)
