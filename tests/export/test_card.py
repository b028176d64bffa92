from domainkit.export.card import render_card

SETTINGS = {"max_length": 128, "long_documents": False, "stride": 32}


def _render(card):
    return render_card(card, label_names=["cardio", "pulmo"], multi_label=False, settings=SETTINGS,
                       variants={"fp32": "this folder"})


def test_card_says_where_the_soft_labels_came_from():
    soft = {"source": "teacher+finetuned", "why": "mean of the teacher's and the labels-only student's probabilities"}
    text = _render({"teacher": "store:all-mpnet-base-v2", "distillation": {"soft_labels": soft}})
    assert "- teacher: store:all-mpnet-base-v2\n- soft labels: teacher+finetuned (mean of the teacher's" in text


def test_card_of_a_model_without_a_distillation_report_has_no_soft_label_line():
    text = _render({"teacher": "store:all-mpnet-base-v2"})
    assert "- teacher: store:all-mpnet-base-v2\n\n" in text and "soft labels" not in text
