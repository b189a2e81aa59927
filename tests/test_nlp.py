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
