"""The spaCy pipeline as factx loads it."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("text", "sentences"), [
    ("Two men charged after girl shot Posted: Friday\n\nThe sheriff's office charged the father.",
     ["Two men charged after girl shot Posted: Friday\n\n", "The sheriff's office charged the father."]),
    ("Police arrest 27\n \nThe ministry said on Friday.", ["Police arrest 27\n \n", "The ministry said on Friday."]),
    # A single line break is a wrapped line, not a paragraph.
    ("The police said the men\nwere arrested on Friday.", ["The police said the men\nwere arrested on Friday."]),
    ("Nothing after the break\n\n", ["Nothing after the break\n\n"]),
])
def test_blank_lines_start_sentences(nlp, text, sentences):
    assert [s.text for s in nlp(text).sents] == sentences


def test_component_sits_before_the_parser(nlp):
    names = nlp.pipe_names
    assert names.index("factx_paragraphs") == names.index("parser") - 1


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Scores died in the attacks.Dagestan sees them.", ["attacks", ".", "Dagestan"]),
        ("They injured another 15.Twenty insurgents were killed.", ["15", ".", "Twenty"]),
        ("killing six members.==Victims==All six", ["members", ".", "==", "Victims", "==", "All"]),
        ('with any pleasure."Shootings in Belfast continued.', ["pleasure", ".", '"', "Shootings"]),
    ],
)
def test_run_on_sentences_are_split(nlp, text, tokens):
    words = [t.text for t in nlp(text)]
    assert any(words[i:i + len(tokens)] == tokens for i in range(len(words))), words


@pytest.mark.parametrize("text", ["Visit bbc.co.uk or Amazon.com now.", "It rose 3.5 pct.", "U.S. troops left at 5 p.m."])
def test_domains_decimals_and_abbreviations_stay_whole(nlp, text):
    words = [t.text for t in nlp(text)]
    assert any(w in words for w in ("bbc.co.uk", "3.5", "U.S.")), words
