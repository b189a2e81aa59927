"""The spaCy component: what it needs, the facts it gives against `factx extract`, spans, config, entry points."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

import factx
from factx.cli import cli
from factx.component import DISPLACY_OPTIONS, LABELS, SPANS_KEY
from factx.errors import InputError, PipelineError, RulesError
from factx.nlp import PARAGRAPHS, model_name

ROOT = Path(__file__).resolve().parents[1]
FACTS = ("published", "numbers", "money", "dates", "places", "focus", "events", "warnings")
TEXTS = [
    "Police arrested 27 suspects in Sichuan on Friday, the ministry said.",
    "At least 12 people were killed and 30 injured when a bus overturned near Lima, Peru, on Monday. "
    "The company paid $4.5 million (about 600 million yen) in compensation.",
    # Blank lines: a headline and a byline without end punctuation, then the body.
    "TWO DEAD IN DENVER SHOOTING\n\nBy Staff Writer\n\nTwo men were shot dead in Denver, Colorado on Tuesday "
    "and a third was wounded, police said.\n\nOfficers arrested four people on Wednesday.",
]


@pytest.fixture(scope="module")
def plain_nlp():
    """The English model as spaCy loads it, without the factx command's own additions."""
    return spacy.load(model_name())


@pytest.fixture(scope="module")
def factx_nlp(plain_nlp, nlp):
    """A user's pipeline with both factx components added (``nlp`` loads the command's pipeline first)."""
    user = spacy.load(model_name())
    user.add_pipe(PARAGRAPHS, before="parser")
    user.add_pipe("factx", config={"published": "2024-05-08"})
    return user


def facts(record: dict) -> dict:
    return {k: record[k] for k in FACTS}


def test_a_blank_pipeline_says_what_it_needs():
    with pytest.raises(PipelineError) as err:
        spacy.blank("en").add_pipe("factx")
    assert str(err.value) == ("the factx component needs a parser, an entity recognizer (ner) and a lemmatizer "
                              "before it, as in en_core_web_sm; this pipeline has: nothing")
    tagged = spacy.blank("en")
    tagged.add_pipe("lemmatizer", config={"mode": "lookup"})
    with pytest.raises(PipelineError, match=r"needs a parser and an entity recognizer \(ner\) before it.*"
                                            r"this pipeline has: lemmatizer"):
        tagged.add_pipe("factx")


@pytest.mark.parametrize("text", TEXTS)
def test_same_facts_as_factx_extract(factx_nlp, nlp, text, tmp_path):
    doc = factx_nlp(text)
    assert doc._.facts == factx.extract(text, published="2024-05-08", nlp=nlp).to_dict()
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(cli, ["extract", str(path), "--published", "2024-05-08"])
    assert r.exit_code == 0, r.stderr
    assert facts(doc._.facts) == facts(json.loads(r.stdout)) and doc._.facts["events"]


def test_same_facts_on_the_reference_article(factx_nlp, nlp, seed_text):
    doc = factx_nlp.make_doc(seed_text)
    doc._.published = "2014-02-28"
    got = factx_nlp(doc)._.facts
    assert got == factx.extract(seed_text, published="2014-02-28", nlp=nlp).to_dict()
    assert len(got["events"]) == 14


def test_without_paragraph_starts(plain_nlp, nlp):
    user = spacy.load(model_name())
    user.add_pipe("factx")
    # One paragraph: the same facts, with no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for text in TEXTS[:2]:
            assert user(text)._.facts == factx.extract(text, nlp=nlp).to_dict()
    # Blank lines the parser runs across: a warning, once.
    with pytest.warns(UserWarning, match="add nlp.add_pipe\\('factx_paragraphs', before='parser'\\)"):
        user(TEXTS[2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        user(TEXTS[2])


def test_spans_and_displacy(factx_nlp):
    doc = factx_nlp(TEXTS[1])
    spans = doc.spans[SPANS_KEY]
    assert {s.label_ for s in spans} == set(LABELS.values())
    for span in spans:
        fact = span._.factx_fact
        name = span.id_.split("[")[0]
        assert LABELS[name] == span.label_
        where = fact["trigger"] if name == "events" else fact
        assert span.text == where["text"] and span.start_char == where["start"]
    html = spacy.displacy.render(doc, style="span", options=DISPLACY_OPTIONS)
    for label in LABELS.values():
        assert label in html
    assert "#c6f0d4" in html  # the colours of `factx show`


def test_published_from_the_doc_or_the_config(factx_nlp, nlp):
    text = "Two people were killed on Monday."
    assert factx_nlp(text)._.facts["published"] == {"value": "2024-05-08", "origin": "option"}
    doc = factx_nlp.make_doc(text)
    doc._.published = "2014-02-28"
    doc = factx_nlp(doc)
    assert doc._.facts["published"] == {"value": "2014-02-28", "origin": "option"}
    assert doc._.facts["dates"][0]["value"] == "2014-02-24"
    assert doc._.facts == factx.extract(text, published="2014-02-28", nlp=nlp).to_dict()
    doc = factx_nlp.make_doc(text)
    doc._.published = "Monday"
    with pytest.raises(InputError, match="doc._.published: not an ISO date"):
        factx_nlp(doc)


def test_config_holds_the_settings(tmp_path, nlp):
    rules = tmp_path / "rules.toml"
    rules.write_text('[types.recall]\nverbs = ["recall"]\nnouns = ["recall"]\nparticipants = "any"\n')
    user = spacy.load(model_name())
    user.add_pipe(PARAGRAPHS, before="parser")
    user.add_pipe("factx", config={"countries": ["au"], "rules": [str(rules)], "published": "2024-05-08"})
    cfg = user.config["components"]["factx"]
    assert cfg == {"factory": "factx", "countries": ["au"], "rules": [str(rules)], "published": "2024-05-08"}
    text = "The company recalled 5,000 cars in Perth on Monday."
    want = factx.extract(text, published="2024-05-08", nlp=nlp,
                         settings=factx.Settings(countries=("AU",), rules=(str(rules),))).to_dict()
    assert user(text)._.facts == want
    assert [e["type"] for e in want["events"]] == ["recall"] and want["places"][0]["country"] == "AU"
    user.to_disk(tmp_path / "pipeline")
    assert '[components.factx]\nfactory = "factx"' in (tmp_path / "pipeline" / "config.cfg").read_text()
    again = spacy.load(tmp_path / "pipeline")
    assert again.pipe_names[-1] == "factx" and again(text)._.facts == want


@pytest.mark.parametrize("config, error, message", [
    ({"published": "last week"}, InputError, "factx_bad config 'published': not an ISO date"),
    ({"countries": ["USA"]}, ValueError, "ISO 3166-1 alpha-2"),
    ({"rules": ["/nonexistent/rules.toml"]}, RulesError, "/nonexistent/rules.toml"),
])
def test_bad_config(plain_nlp, config, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(")):
        plain_nlp.add_pipe("factx", name="factx_bad", config=config)
    assert "factx_bad" not in plain_nlp.pipe_names


def test_a_doc_without_a_parse_is_refused(factx_nlp):
    with factx_nlp.select_pipes(disable=["parser"]):
        with pytest.raises(PipelineError, match="needs a parser before it.*this Doc was not annotated"):
            factx_nlp("Police arrested 27 suspects.")


def test_entry_points_are_declared():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["spacy_factories"] == {"factx": "factx.component:make_factx",
                                                          PARAGRAPHS: "factx.component:make_paragraphs"}


def _declared_entry_point() -> bool:
    from importlib.metadata import entry_points

    return any(ep.name == "factx" and ep.value == "factx.component:make_factx"
               for ep in entry_points(group="spacy_factories"))


@pytest.mark.skipif(not _declared_entry_point(), reason="the installed factx metadata predates its spaCy entry "
                                                        "points: reinstall with pip install -e .")
def test_add_pipe_needs_no_import():
    code = ("import sys, spacy\n"
            "nlp = spacy.load(sys.argv[1])\n"
            "nlp.add_pipe('factx_paragraphs', before='parser')\n"
            "nlp.add_pipe('factx', config={'published': '2024-05-08'})\n"
            "doc = nlp('Police arrested 27 suspects in Sichuan on Friday.')\n"
            "print([(s.text, s.label_) for s in doc.spans['factx']], doc._.facts['events'][0]['count']['value'])\n"
            "try:\n    spacy.blank('en').add_pipe('factx')\nexcept ValueError as exc:\n    print(exc)\n")
    # A fresh interpreter that never imports factx itself: spaCy finds the factories through the entry points.
    out = subprocess.run([sys.executable, "-c", code, model_name()], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.splitlines()
    assert out[0] == "[('27', 'NUMBER'), ('Friday', 'DATE'), ('Sichuan', 'PLACE'), ('arrested', 'EVENT')] 27"
    assert out[1].startswith("the factx component needs a parser, an entity recognizer (ner)")

