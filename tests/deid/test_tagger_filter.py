"""The plausibility check on PHI tagger spans: each rule has a span it drops and one it keeps.

All notes, names, places and dates here are invented for these tests.
"""

from __future__ import annotations

import pytest

from domainkit.deid.lexicon import load_lexicon
from domainkit.deid.spans import PhiSpan
from domainkit.deid.tagger_filter import TaggerSpanFilter


@pytest.fixture(scope="module")
def span_filter() -> TaggerSpanFilter:
    return TaggerSpanFilter(load_lexicon())


def _tagged(note: str, piece: str, kind: str) -> PhiSpan:
    start = note.index(piece)
    return PhiSpan(start, start + len(piece), kind)


def _kept(span_filter, note: str, piece: str, kind: str, found: list[PhiSpan] | None = None) -> list[str]:
    """The texts of the spans the filter keeps when the tagger tags ``piece`` alone."""
    kept = span_filter.filter(note, [_tagged(note, piece, kind)], found or [])
    return [note[span.start : span.end] for span in kept]


NAMES_KEPT = [
    ("Discussed plan with Zebulon Farquist at noon.", "Farquist", "NAME"),  # unknown word, capitalised
    ("NP MASON WROTE NEW ORDERS.", "MASON", "NAME"),  # a common word after a role
    ("SPOKE WITH BROTHER HOPE BY PHONE.", "HOPE", "NAME"),  # ... after a relative
    ("pt seen by dr quillan this am, plan unchanged.", "quillan", "NAME"),  # lower-case note
    ("Niece lives in Brantwick now.", "Brantwick", "LOCATION"),
    ("Pt resting, BP stable. Spoke with brother mason re plan.", "mason", "NAME"),  # lower case after a cue
    ("Family called: Ólafsson will visit.", "Ólafsson", "NAME"),  # letters beyond ASCII
]
NAMES_DROPPED = [
    ("FOLEY DRAINING BROWN URINE.", "BROWN", "NAME"),  # a common word
    ("Pt placed on Foley overnight.", "Foley", "NAME"),  # a kept term (eponym)
    ("Pt resting. Access via quillan cath, flushed.", "quillan", "NAME"),  # lower case where the note capitalises
    ("GIVEN TYLENOL QHS FOR SLEEP.", "QHS", "NAME"),  # no vowel: an abbreviation
    ("Pt T. calm at times.", "T", "NAME"),  # a lone initial
    ("Niece flew home to Ariz. today.", "Ariz", "LOCATION"),  # a state (no identifier)
    ("MASON JARS WERE ORDERED.", "MASON", "NAME"),  # a common word without a cue
    ("Seen by Dr. Farquist at noon.", ".", "NAME"),  # no letters
    ("FAMILY MEETING HELD AT NOON.", "MEETING", "NAME"),  # "family" starts a phrase, not a name
    ("Discussed with son. Marked improvement since.", "Marked", "NAME"),  # a cue in the last sentence
]


@pytest.mark.parametrize(("note", "piece", "kind"), NAMES_KEPT)
def test_plausible_standalone_names_and_places_are_kept(span_filter, note, piece, kind):
    assert _kept(span_filter, note, piece, kind) == [piece]


@pytest.mark.parametrize(("note", "piece", "kind"), NAMES_DROPPED)
def test_implausible_standalone_names_and_places_are_dropped(span_filter, note, piece, kind):
    assert _kept(span_filter, note, piece, kind) == []


def test_a_span_that_widens_a_rule_span_is_kept_whatever_it_holds(span_filter):
    note = "Spoke with Ysolde Okafor today about the plan."
    rule = PhiSpan(note.index("Ysolde"), note.index(" today"), "NAME")
    assert _kept(span_filter, note, "with", "NAME", [rule]) == ["with"]  # one space apart: merged
    assert _kept(span_filter, note, "plan", "NAME", [rule]) == []  # standalone: judged


def test_adjacent_spans_are_judged_together_and_a_facility_word_makes_a_place(span_filter):
    note = "PT SCREENED BY NEW HOPE REHAB TODAY."
    spans = [_tagged(note, "NEW", "LOCATION"), _tagged(note, "HOPE", "LOCATION")]
    assert span_filter.filter(note, spans, []) == [PhiSpan(note.index("NEW"), note.index(" REHAB"), "LOCATION")]
    plain = "PT FEELS NEW HOPE TODAY."
    spans = [_tagged(plain, "NEW", "LOCATION"), _tagged(plain, "HOPE", "LOCATION")]
    assert span_filter.filter(plain, spans, []) == []


def test_a_word_piece_is_judged_and_redacted_as_its_whole_word(span_filter):
    assert _kept(span_filter, "Visited by son Zebulonix today.", "Zebul", "NAME") == ["Zebulonix"]
    assert _kept(span_filter, "GIVEN TYLENOL QHS FOR SLEEP.", "QH", "NAME") == []  # "QHS": no vowel


DATES_KEPT = [
    ("Central line placed in R arm 10/23, flushes well.", "10/23"),
    ("PMH: gout flare-4/6/81. Allergies: none.", "4/6/81"),
    ("hx hip repair 1998, doing well.", "1998"),
    ("night shift jan, 88 quiet.", "88"),  # a two-digit year after a month
    ("3/14.88 neuro: pt alert.", "3/14"),  # the whole "3/14.88" is a date
    ("labs on12/19/84 reviewed.", "/19/84"),  # a piece of a date
    ("Surgery planned for Tuesday.", "Tuesday"),
    ("Seen in clinic 17.05.2009 for review.", "17.05.2009"),  # day first
    ("Follow-up planned May 3.", "May"),  # "May" beside a number
]
DATES_DROPPED = [
    ("ABG 7.41/38/92/24 on current settings.", "7"),  # a blood gas
    ("ABG 7.41/38/92/24 on current settings.", "/38"),
    ("Remains on cpap 10/5 overnight.", "10/5"),  # a ventilator setting
    ("Pt c/o 7/10 CP, medicated.", "7/10"),  # a pain score
    ("Tube feed changed to 3/4 strength.", "3/4"),  # a fraction
    ("CVP 12-17 overnight.", "12"),  # a range
    ("Hct dropped to 23, transfused.", "23"),  # a lab value
    ("C/O 4.2/51 on the new drip.", "2/51"),  # a decimal, not a month
    ("pain rated 2-3/10 this am.", "3/10"),
    ("Given 1/2 tab at bedtime.", "1/2"),
    ("Temp 37.2 at noon.", "37.2"),
    ("Output was high overnight.", "Output"),  # a word without a month
    ("Sats decreased overnight.", "decreased"),  # starts like a month, is none
    ("Started Augmentin today.", "Augmentin"),
    ("Pt may need a CT later.", "may"),  # "may" without a number
]


@pytest.mark.parametrize(("note", "piece"), DATES_KEPT)
def test_date_shaped_standalone_dates_are_kept(span_filter, note, piece):
    assert _kept(span_filter, note, piece, "DATE") == [piece]


@pytest.mark.parametrize(("note", "piece"), DATES_DROPPED)
def test_numbers_that_are_no_dates_are_dropped(span_filter, note, piece):
    assert _kept(span_filter, note, piece, "DATE") == []


def test_types_without_a_check_are_kept(span_filter):
    assert _kept(span_filter, "Pager 4471 for questions.", "4471", "PHONE") == ["4471"]
