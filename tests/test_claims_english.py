"""English attribution constructions (issue 11), each on sentences written for this test.

None of these sentences comes from PolNeAR or from the gold sets; they exercise the real
extractor (``etl.claims.extract_claims``) and, for the pronoun case with recognised names, the
real analysis path (``etl.analyze.analyze_text``: the CRF tagger, then the claims).
"""

from __future__ import annotations

from etl.analyze import analyze_text
from etl.claims import extract_claims
from etl.claims.lexicon import EN_COUNTED, EN_PARTICIPLES, EN_VERBS


def _rows(text: str) -> list[tuple[str | None, str, str, str]]:
    """Return (speaker, cue, kind, content) of each claim of an English text."""
    return [(c.speaker.text if c.speaker else None, c.cue.text, c.kind, c.content.text)
            for c in extract_claims(text, "en", [])]


def test_indirect_speech_without_that():
    rows = _rows("Mayor Linda Okoro said the ferry service would resume in March.")
    assert rows == [("Mayor Linda Okoro", "said", "indirect", "the ferry service would resume in March")]


def test_according_to_after_the_clause():
    rows = _rows("The bridge will stay closed until June, according to the transport ministry.")
    assert rows == [("the transport ministry", "according to", "indirect", "The bridge will stay closed until June")]


def test_pronoun_takes_the_named_speaker_before_it():
    text = ("Engineer Tomas Reyes inspected the dam on Friday. “The spillway is sound,” Reyes said. "
            "He added that the repairs would cost less than planned.")
    rows = _rows(text)
    assert rows[-1] == ("Reyes", "added", "indirect", "the repairs would cost less than planned")


def test_pronoun_resolved_through_the_recognised_name():
    # no earlier speaker: "She" is the person the entity layer found in the sentence before
    text = ("Governor Amara Diallo toured the flooded district on Sunday. "
            "She said that the levee would be raised before winter.")
    analysis = analyze_text(text, "en")
    assert any(e.text == "Amara Diallo" and e.label == "PER" for e in analysis.entities)
    [claim] = analysis.claims
    assert (claim.speaker.text, claim.speaker_label) == ("Amara Diallo", "PER")
    assert claim.content.text == "the levee would be raised before winter"


def test_descriptor_source_points_back_to_the_named_speaker():
    rows = _rows("Deputy minister Hana Kovac said the border would reopen. "
                 "The official said that trucks would be checked first.")
    assert rows[1] == ("Deputy minister Hana Kovac", "said", "indirect", "trucks would be checked first")


def test_the_statement_refers_to_whoever_issued_one():
    rows = _rows("The health ministry said in a statement that 40 clinics had reopened. "
                 "The statement added that vaccines would arrive next week.")
    assert [r[0] for r in rows] == ["The health ministry", "The health ministry"]


def test_the_statement_with_no_statement_before_stays_itself():
    rows = _rows("The port reopened on Monday, the harbour master said. "
                 "The statement said that ships would queue for a day.")
    assert rows[1][0] == "The statement"


def test_source_after_the_quote():
    rows = _rows("“We will not close the library,” said council leader Priya Nair.")
    assert rows == [("council leader Priya Nair", "said", "direct", "We will not close the library")]


def test_content_over_several_sentences_is_one_claim():
    rows = _rows("“The water is safe,” Park said. “We tested it twice this week.”")
    assert len(rows) == 1
    speaker, _, kind, content = rows[0]
    assert (speaker, kind) == ("Park", "direct")
    assert content.startswith("The water is safe") and content.endswith("We tested it twice this week")


def test_nested_attribution_reports_the_outer_speaker():
    rows = _rows("The mayor said that the governor had promised new funds for the harbour.")
    assert rows == [("The mayor", "said", "indirect", "the governor had promised new funds for the harbour")]
    assert "promised" in EN_VERBS  # the inner verb is a cue word: it is dropped as nested, not unknown


def test_colon_names_the_speaker_of_a_headline():
    rows = _rows("Mayor Okoro: The ferry will run again in March")
    assert rows == [("Mayor Okoro", ":", "indirect", "The ferry will run again in March")]


def test_colon_after_a_clause_is_no_attribution():
    assert _rows("The crew repaired three things: the roof, the gate and the old pipes.") == []


def test_citing_is_said_by_the_clause_subject():
    rows = _rows("The airline cancelled the evening flights, citing a shortage of pilots.")
    assert rows == [("The airline", "citing", "indirect", "a shortage of pilots")]


def test_subject_before_a_time_phrase():
    rows = _rows("The union on Tuesday said it would strike in the spring.")
    assert rows == [("The union", "said", "indirect", "it would strike in the spring")]


def test_two_verbs_share_one_subject():
    rows = _rows("The party said it would appeal, and added that the ruling was unfair.")
    assert [(r[0], r[1]) for r in rows] == [("The party", "said"), ("The party", "added")]


def test_words_from_multi_word_cues_are_counted():
    # "pointed out" and "referring to" give their verbs; function words never become cues
    assert "pointed" in EN_COUNTED and "referring" in EN_PARTICIPLES
    assert not {"has", "about", "also", "out"} & (EN_COUNTED | EN_PARTICIPLES)
    rows = _rows("Councillor Bea Mensah pointed out that the tram line was never finished.")
    assert rows == [("Councillor Bea Mensah", "pointed out", "indirect", "the tram line was never finished")]


def test_a_cue_word_after_a_determiner_is_a_noun():
    rows = _rows("The criticism from the opposition grew louder after the vote.")
    assert rows == []


def test_relative_who_speaks_for_the_phrase_before_it():
    rows = _rows("At the meeting was ranger Omar Haddad, who has long argued that the road needs a tunnel.")
    assert rows == [("ranger Omar Haddad", "argued", "indirect", "the road needs a tunnel")]


def test_many_is_an_unnamed_source_not_the_previous_speaker():
    rows = _rows("Coach Ana Ruiz said the team was ready. Many think that the final will be close.")
    assert rows[1][:2] == ("Many", "think")


def test_two_apostrophes_quote_like_double_quotes():
    rows = _rows("The hall was full. ''We will finish the canal by autumn,'' Mr. Adeyemi said.")
    assert rows == [("Mr. Adeyemi", "said", "direct", "We will finish the canal by autumn")]


def test_capitalised_cue_in_a_title_case_headline():
    rows = _rows("Harbour Chief Says The Ferry Will Run Again In March")
    assert rows == [("Harbour Chief", "Says", "indirect", "The Ferry Will Run Again In March")]
    # in running text a capitalised word is a name, not the verb
    assert _rows("The team met Says at the station and went home.") == []


def test_apposition_between_speaker_and_cue():
    rows = _rows("On Monday, Col. Ana Silva, a military spokeswoman in Kabul, said the convoy had left.")
    assert rows == [("Col. Ana Silva", "said", "indirect", "the convoy had left")]


def test_clause_after_the_cue_is_not_an_inverted_speaker():
    # "…, said the convoy had left": "the convoy" is the clause's subject, not "said X."
    rows = _rows("The roads were clear by noon, the police said, and the convoy had left.")
    assert rows[0][0] == "the police"


def test_quote_then_speaker_with_an_apposition():
    rows = _rows("''The convoy has left,'' Col. Ana Silva, a military spokeswoman, said by telephone.")
    assert rows == [("Col. Ana Silva", "said", "direct", "The convoy has left")]


def test_party_tag_after_the_name():
    rows = _rows("Sen. Maria Lopes (D-Ore.) said the bill would pass.")
    assert rows == [("Sen. Maria Lopes", "said", "indirect", "the bill would pass")]


def test_dateline_is_not_the_subject():
    rows = _rows("WASHINGTON — Sen. Maria Lopes on Wednesday visited the port and said the bill would pass.")
    assert rows == [("Sen. Maria Lopes", "said", "indirect", "the bill would pass")]
