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


# The lean pipeline (the default) against the model's own: same annotations, same records.

ANNOTATIONS = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "SENT_START", "ENT_TYPE", "ENT_IOB")

TEXTS = [
    # a headline and a byline over blank lines, then a body with triggers, counts, money, dates, places
    "Police arrest 27 in Sichuan baby trafficking ring\n\nBy Staff Reporter\n\nBEIJING, Feb 28 (Reuters) - "
    "Police in China's Sichuan province arrested 27 people on Friday and rescued 11 babies, the ministry said. "
    "The suspects paid 20,000 yuan ($3,250) for each child.\n\nTwo officers were injured.",
    # no trigger word at all
    "Shares of Acme Corp rose 3.5 pct to 41-1/2 dlrs in active trading on Tuesday, the exchange said.\n\n"
    "Volume was 1.2 mln shares, against 800,000 a day earlier.",
    # the attribute ruler's patterns of two tokens, auxiliaries, 'that' as a pronoun, whitespace tokens
    "I'm gonna go, y'all. Let's see what it does.  There is a man who ain't here. Gotta run.\n \n"
    "He said that that was it, but he didn't. Nothing had been done. She's been shot twice.",
    # a bare line break inside a sentence, a trailing blank line
    "Three people were killed and\nfive wounded when gunmen opened fire in Lagos on Sunday.\n\n",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def full_nlp():
    from factx.nlp import load_nlp

    return load_nlp(full=True)


def test_lean_pipeline_runs_fewer_components(nlp, full_nlp):
    assert "attribute_ruler" in full_nlp.pipe_names and "lemmatizer" in full_nlp.pipe_names
    assert "factx_attributes" in nlp.pipe_names
    assert "attribute_ruler" not in nlp.pipe_names and "lemmatizer" not in nlp.pipe_names
    assert "senter" not in nlp.component_names
    assert nlp.get_pipe("ner").model.ops.use_blis is False
    assert full_nlp.get_pipe("ner").model.ops.use_blis is True


@pytest.mark.parametrize("text", TEXTS)
def test_lean_annotations_equal_full(nlp, full_nlp, text):
    from spacy import attrs

    ids = [getattr(attrs, a) for a in ANNOTATIONS]
    lean, full = nlp(text), full_nlp(text)
    assert [t.text for t in lean] == [t.text for t in full]
    assert lean.to_array(ids).tolist() == full.to_array(ids).tolist()
    assert [str(t.morph) for t in lean] == [str(t.morph) for t in full]
    assert [s.text for s in lean.sents] == [s.text for s in full.sents]


def test_lean_annotations_equal_full_in_batches(nlp, full_nlp):
    from spacy import attrs

    ids = [getattr(attrs, a) for a in ANNOTATIONS]
    lean = [d.to_array(ids).tolist() for d in nlp.pipe(TEXTS * 3, batch_size=4)]
    full = [d.to_array(ids).tolist() for d in full_nlp.pipe(TEXTS * 3, batch_size=4)]
    assert lean == full


def test_lean_records_equal_full(nlp, full_nlp):
    from factx.api import extract_many

    lean = [r.to_dict() for r in extract_many(TEXTS, nlp=nlp)]
    full = [r.to_dict() for r in extract_many(TEXTS, nlp=full_nlp)]
    assert lean == full
    assert any(r["events"] for r in lean) and not lean[1]["events"]


def test_lean_records_equal_full_for_a_text_read_in_pieces(nlp, full_nlp, monkeypatch):
    import factx.chunks
    from factx.api import extract

    monkeypatch.setattr(factx.chunks, "CHUNK_CHARS", 400)
    monkeypatch.setattr(factx.chunks, "PIECE_CHARS", 300)
    text = "\n\n".join(TEXTS[:4])
    lean = extract(text, published="2014-02-28", nlp=nlp).to_dict()
    full = extract(text, published="2014-02-28", nlp=full_nlp).to_dict()
    assert any("pieces" in w for w in lean["warnings"])
    assert lean == full


def test_attribute_table_stands_in_only_for_patterns_it_reads():
    import spacy

    from factx.nlp import AttributeTable

    def pipeline(pattern, attrs=None):
        nlp = spacy.blank("en")
        nlp.add_pipe("attribute_ruler").add([pattern], attrs or {"POS": "NOUN"})
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        return nlp

    assert AttributeTable.applies(pipeline([{"TAG": "NN", "LOWER": {"IN": ["a", "b"]}}]))
    assert not AttributeTable.applies(pipeline([{"ORTH": "x"}]))
    assert not AttributeTable.applies(pipeline([{"LOWER": "x", "OP": "?"}]))
    assert not AttributeTable.applies(pipeline([{"TAG": "NN"}], {"NORM": "x"}))
    assert not AttributeTable.applies(spacy.blank("en"))
