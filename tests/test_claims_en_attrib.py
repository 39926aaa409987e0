"""English attribution on real-world page text (issue 11, recall), on sentences written here.

None of these sentences comes from PolNeAR or a gold set. Each test is one construction the
rules now cover: mixed quotation marks, newswire ''…'' quotes, and the rest added below.
"""

from __future__ import annotations

from etl.claims import extract_claims, find_quotes


def _rows(text: str) -> list[tuple[str | None, str, str, str]]:
    """Return (speaker, cue, kind, content) of each claim of an English text."""
    return [(c.speaker.text if c.speaker else None, c.cue.text, c.kind, c.content.text)
            for c in extract_claims(text, "en", [])]


def test_curly_quote_closed_by_a_straight_mark():
    text = "“The harbour will open in May,\" said port director Ines Alvarado. The ferries wait."
    assert find_quotes(text)[0] == (0, 30)
    assert _rows(text) == [("port director Ines Alvarado", "said", "direct", "The harbour will open in May")]


def test_straight_quote_closed_by_a_curly_mark():
    text = "\"We will rebuild the school,” the mayor said on Friday. Classes resume soon."
    assert _rows(text)[0] == ("the mayor", "said", "direct", "We will rebuild the school")


def test_opening_mark_typed_as_the_closing_one():
    text = "“It is unusual,“ said Petra Lindqvist, a lawyer in Malmo. “Nobody expected it.”"
    [row] = _rows(text)
    assert row[:3] == ("Petra Lindqvist", "said", "direct")
    assert row[3].startswith("It is unusual") and row[3].endswith("Nobody expected it")


def test_double_apostrophe_quote_after_the_cue_ends_its_sentence():
    text = "At the rally, Mr. Okafor said, ''We will win this county.'' Then the band played."
    assert _rows(text) == [("Mr. Okafor", "said", "direct", "We will win this county")]


def test_double_apostrophe_quote_continues_in_the_next_sentence():
    text = ("''The rents have doubled,'' she said. ''My neighbours are leaving. Nobody stops it.''")
    [row] = _rows(text)
    assert row[1:3] == ("said", "direct")
    assert row[3].startswith("The rents have doubled") and row[3].endswith("Nobody stops it")


def test_addressee_before_that_is_not_an_inverted_speaker():
    rows = _rows("Lena Brandt, 41, a teacher from Kassel, told local radio that the river had risen overnight.")
    assert rows == [("Lena Brandt", "told", "indirect", "the river had risen overnight")]


def test_time_words_after_the_cue_are_not_the_speaker():
    rows = _rows("The regional health director, Omar Haddad, said early Sunday that 12 people were treated.")
    assert rows == [("Omar Haddad", "said", "indirect", "12 people were treated")]


def test_descriptor_between_commas_keeps_the_name_as_speaker():
    rows = _rows("Ruth Achterberg, associate professor of law at Leiden, said judges rarely overturn such rulings.")
    assert rows == [("Ruth Achterberg", "said", "indirect", "judges rarely overturn such rulings")]


def test_inverted_speaker_still_found_after_the_clause():
    rows = _rows("The bridge will reopen in May, said transport minister Ana Pires.")
    assert rows == [("transport minister Ana Pires", "said", "indirect", "The bridge will reopen in May")]


def test_quotation_opening_a_longer_clause_is_an_indirect_claim():
    rows = _rows("Councillor Ben Moyo said “we need more time” to study the budget before the vote.")
    assert rows == [("Councillor Ben Moyo", "said", "indirect", "“we need more time” to study the budget before the vote")]


def test_according_to_a_titled_name_opening_the_sentence():
    rows = _rows("Turnout fell.\n\nAccording to Rep. Lena Ford, the audit was partly to blame for the leak.")
    assert rows == [("Rep. Lena Ford", "According to", "indirect", "the audit was partly to blame for the leak")]


def test_according_to_source_runs_to_its_comma():
    rows = _rows("But according to reports in the local press, the mayor could not convince the board.")
    assert rows == [("reports", "according to", "indirect", "the mayor could not convince the board")]


def test_according_to_with_a_relative_clause_after_the_source():
    rows = _rows("The group has urged attacks on ports, according to the Harbor Watch Institute, "
                 "which tracks shipping threats.")
    assert rows == [("the Harbor Watch Institute", "according to", "indirect", "The group has urged attacks on ports")]


def test_according_to_inside_the_clause_sources_the_whole_sentence():
    [row] = _rows("The ministry has moved staff and, according to officials, adopted a plan to cut costs.")
    assert row[:3] == ("officials", "according to", "indirect")
    assert row[3].startswith("The ministry has moved staff") and row[3].endswith("adopted a plan to cut costs")


def test_nested_attribution_reports_the_outer_source():
    # "According to X, Y said …": X is who the writer cites; Y's words are X's report
    rows = _rows("According to the Daily Ledger, the treasurer said the fund was empty.")
    assert rows == [("the Daily Ledger", "According to", "indirect", "the treasurer said the fund was empty")]
    rows = _rows("“We will not block the vote,” Marquez said, according to local radio.")
    assert rows == [("local radio", "according to", "direct", "We will not block the vote")]


def test_number_before_a_cue_word_makes_it_an_adjective():
    assert _rows("The senator has won 412 pledged delegates so far.") == []


def test_she_skips_a_speaker_titled_mr():
    text = ("Ms. Ortega said the hearing would run late. Mr. Lindqvist said the budget was late. "
            "She said the audit would start in June.")
    assert _rows(text)[-1] == ("Ms. Ortega", "said", "indirect", "the audit would start in June")


def test_sentence_adverb_is_not_part_of_the_speaker():
    rows = _rows("Perhaps the council said the road would close.")
    assert rows == [("the council", "said", "indirect", "the road would close")]


def test_poll_as_source_at_the_start_of_the_sentence():
    rows = _rows("In a new Harbor Times poll, Mayor Lopes leads her rival by nine points.")
    assert rows == [("a new Harbor Times poll", "In", "indirect", "Mayor Lopes leads her rival by nine points")]


def test_poll_as_source_closing_a_clause():
    rows = _rows("The turnout dropped sharply, and the governor has slipped in the polls.")
    assert rows == [("the polls", "in", "indirect", "the governor has slipped")]


def test_poll_phrase_the_sentence_goes_on_after_is_no_source():
    assert _rows("She spent heavily in the polls region of the state last spring.") == []


def test_claim_inside_an_opening_subordinate_clause_ends_at_its_comma():
    rows = _rows("While only 8 percent said they were undecided, most voters have made up their minds.")
    assert rows == [("8 percent", "said", "indirect", "they were undecided")]


def test_noun_cue_owned_by_a_name():
    rows = _rows("Critics rejected Councillor Brandt’s claim that the vote was rigged.")
    assert ("Councillor Brandt", "claim", "indirect", "the vote was rigged") in rows
    assert ("Critics", "rejected", "indirect", "Councillor Brandt’s claim that the vote was rigged") in rows


def test_noun_cue_owned_by_a_pronoun_resolves_to_the_speaker():
    rows = _rows("Mayor Ruiz said the port would close. That widened his warning that the city is broke.")
    assert rows[-1] == ("Mayor Ruiz", "warning", "indirect", "the city is broke")


def test_noun_without_an_owner_is_no_cue():
    assert _rows("The claim that the dam leaked was never tested.") == []


def test_description_between_commas_after_a_quotation():
    rows = _rows("“We cannot wait any longer,” Representative Ada Moss, Democrat of Vermont, said.")
    assert rows == [("Representative Ada Moss", "said", "direct", "We cannot wait any longer")]


def test_weak_cue_word_after_an_article_and_adjective_is_a_noun():
    assert _rows("Ms. Ortega is a passionate advocate for the port.") == []


def test_name_ending_in_ly_is_not_an_adverb():
    rows = _rows("The plan is sound and fair, Carly Brennan said Monday.")
    assert rows == [("Carly Brennan", "said", "indirect", "The plan is sound and fair")]


def test_gerund_without_a_comma_does_not_cut_the_clause():
    rows = _rows("At the forum, Ms. Park said she would look into releasing the minutes of the meeting.")
    assert rows == [("Ms. Park", "said", "indirect", "she would look into releasing the minutes of the meeting")]


def test_second_quotation_after_a_participle_is_not_a_resumed_quote():
    rows = _rows("“They are not part of the campaign,” she said, adding, “We thank them anyway.”")
    assert rows[0][1:] == ("said", "direct", "They are not part of the campaign")


def test_asked_with_a_question_clause():
    rows = _rows("At the town hall, a farmer asked if the subsidy would survive the budget.")
    assert rows == [("a farmer", "asked", "indirect", "if the subsidy would survive the budget")]


def test_asked_without_a_question_is_no_claim():
    assert _rows("The court asked for more documents.") == []


def test_sentence_opening_adverb_and_subordinator_are_not_speakers():
    assert _rows("Separately Ms. Ford said the fund was empty.")[0][0] == "Ms. Ford"


def test_as_x_said_sources_the_main_clause():
    rows = _rows("As Governor Ruiz said in May, the bridge will close for repairs.")
    assert rows == [("Governor Ruiz", "said", "indirect", "the bridge will close for repairs")]


def test_descriptor_resolves_to_the_speaker_with_that_title():
    rows = _rows("Sen. Ana Ruiz said the bill would pass. Gov. Tom Hale said he would sign it. "
                 "The senator added that the vote was close.")
    assert rows[-1] == ("Sen. Ana Ruiz", "added", "indirect", "the vote was close")


def test_descriptor_resolves_to_the_named_campaign():
    rows = _rows("The Lopes campaign said the rally was cancelled. Later the campaign said it would resume.")
    assert rows[-1][0] == "The Lopes campaign"


def test_descriptor_with_no_matching_speaker_stays_as_written():
    rows = _rows("Mayor Ines Soto said the pool would open. The governor said the money was spent.")
    assert rows[-1] == ("The governor", "said", "indirect", "the money was spent")


def test_cue_verb_with_its_preposition():
    assert _rows("The union called for a new contract with higher pay.") == [
        ("The union", "called for", "indirect", "a new contract with higher pay")]
    assert _rows("Mayor Soto pointed to the falling crime rate.") == [
        ("Mayor Soto", "pointed to", "indirect", "the falling crime rate")]


def test_participle_with_its_preposition_takes_the_clause_subject():
    rows = _rows("Ms. Park praised the teachers, referring to the new reading scores.")
    assert ("Ms. Park", "referring to", "indirect", "the new reading scores") in rows


def test_quotation_left_open_continues_in_the_next_paragraph():
    text = ("“The levee held through the night,” engineer Sofia Berg said. “We will add sand bags today.\n\n"
            "“The river should fall by Sunday.”")
    [row] = _rows(text)
    assert row[0] == "engineer Sofia Berg"
    assert row[3].startswith("The levee held") and row[3].endswith("The river should fall by Sunday")


def test_closed_quotation_does_not_run_into_the_next_paragraph():
    text = ("“The levee held,” engineer Sofia Berg said.\n\n“Nobody told us anything,” a resident said.")
    assert [r[3] for r in _rows(text)] == ["The levee held", "Nobody told us anything"]


def test_a_company_abbreviation_does_not_end_the_sentence():
    for name in ("Brightwater Co.", "Brightwater Ltd.", "Brightwater plc."):
        [claim] = extract_claims(f"{name} said profits rose in the spring.", "en", [])
        assert claim.speaker is not None and claim.speaker.text.startswith("Brightwater")
        assert claim.content.text == "profits rose in the spring"
