"""Event rules as data: the built-in inventory, and user rules files laid over it (--rules)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import factx
from factx.cli import cli
from factx.errors import RulesError
from factx.events import load_rules, read_rules_file

REQUIRED_TYPES = [
    "kill", "injure", "arrest", "detain", "charge", "convict", "sentence", "release", "rescue", "kidnap", "missing",
    "attack", "shooting", "bombing", "protest", "strike", "evacuate", "displace", "seize", "bust", "purchase", "sale",
    "payment", "layoff", "hire", "acquisition", "donation", "election",
]

VACCINATE_TOML = """\
# a new event type: who was vaccinated, and how many
[types.vaccinate]
verbs = ["vaccinate", "inoculate", "immunize"]
nouns = ["vaccination"]
participants = "person"
"""


def write(tmp_path, name: str, text: str):
    """Write a rules file into the test's folder and return its path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestBuiltIn:
    def test_inventory_covers_the_required_types(self):
        rules = load_rules()
        assert set(REQUIRED_TYPES) <= set(rules.types)

    @pytest.mark.parametrize("etype", REQUIRED_TYPES)
    def test_every_type_has_triggers(self, etype):
        t = load_rules().types[etype]
        assert t.verbs or t.nouns or t.adjectives

    def test_retype_and_yields_name_known_types(self):
        rules = load_rules()
        for t in rules.types.values():
            assert all(target in rules.types for _, target in t.retype)
            assert all(target in rules.types for target in t.yields_to)


class TestReadErrors:
    @pytest.mark.parametrize(
        ("name", "text", "line"),
        [
            ("bad.toml", "[types.vaccinate]\nverbs = [\"vaccinate\"\nnouns = 3\n", "line 3"),
            ("bad.yaml", "types:\n  vaccinate:\n    verbs: [vaccinate\n    nouns: x\n", "line "),
            ("bad.json", "{\n  \"types\": {\n    \"vaccinate\": \n  }\n}\n", "line 4"),
        ],
    )
    def test_malformed_file_names_the_line(self, tmp_path, name, text, line):
        path = write(tmp_path, name, text)
        with pytest.raises(RulesError) as exc:
            read_rules_file(path)
        assert str(path) in str(exc.value)
        assert line in str(exc.value)

    @pytest.mark.parametrize(
        ("name", "text", "match"),
        [
            ("typo.toml", "[types.kill]\nverbs = [\"slay\"]\ntriggerz = [\"x\"]\n",
             r"typo\.toml \(line 3\): event type 'kill' has unknown keys: triggerz"),
            ("top.toml", "version = 1\n\nhedge_wordz = [\"perhaps\"]\n",
             r"top\.toml \(line 3\): unknown top-level key 'hedge_wordz'"),
            ("empty.toml", "[types.vaccinate]\nparticipants = \"person\"\n", "has no verbs, nouns or adjectives"),
            ("part.toml", "[types.vaccinate]\nverbs = [\"vaccinate\"]\nparticipants = \"robots\"\n",
             "unknown participants 'robots'"),
            ("retype.toml", "[types.injure.retype]\nfatally = \"explode\"\n", "retype"),
        ],
    )
    def test_invalid_rules_are_refused(self, tmp_path, name, text, match):
        path = write(tmp_path, name, text)
        with pytest.raises(RulesError, match=match):
            load_rules((str(path),))

    def test_unsupported_suffix(self, tmp_path):
        path = write(tmp_path, "rules.txt", "types = {}\n")
        with pytest.raises(RulesError, match=r"must end in \.toml, \.yaml, \.yml or \.json"):
            read_rules_file(path)


class TestUserRules:
    @pytest.mark.parametrize(
        ("name", "text"),
        [
            ("vacc.toml", VACCINATE_TOML),
            ("vacc.yaml", "types:\n  vaccinate:\n    verbs: [vaccinate, inoculate, immunize]\n"
                          "    nouns: [vaccination]\n    participants: person\n"),
            ("vacc.json", json.dumps({"types": {"vaccinate": {"verbs": ["vaccinate", "inoculate"],
                                                             "participants": "person"}}})),
        ],
    )
    def test_new_type_is_extracted(self, nlp, tmp_path, name, text):
        path = write(tmp_path, name, text)
        settings = factx.Settings(rules=(str(path),))
        rec = factx.extract("Health workers vaccinated 300 children in Kano on Monday.", published="2024-05-08",
                            nlp=nlp, settings=settings)
        events = [e for e in rec.events if e.type == "vaccinate"]
        assert len(events) == 1
        assert events[0].count["value"] == 300
        assert events[0].date["value"] == "2024-05-06"

    def test_new_type_absent_without_the_file(self, nlp):
        rec = factx.extract("Health workers vaccinated 300 children in Kano.", nlp=nlp)
        assert all(e.type != "vaccinate" for e in rec.events)

    def test_extra_trigger_for_a_built_in_type(self, nlp, tmp_path):
        path = write(tmp_path, "nab.toml", "[types.arrest]\nverbs = [\"collar\"]\n")
        rules = load_rules((str(path),))
        assert "arrest" in rules.types["arrest"].verbs and "collar" in rules.types["arrest"].verbs
        rec = factx.extract("Detectives collared 12 suspects after the robbery.", nlp=nlp,
                            settings=factx.Settings(rules=(str(path),)))
        assert [(e.type, e.count["value"]) for e in rec.events if e.type == "arrest"] == [("arrest", 12)]

    def test_replace_overrides_a_built_in_type(self, tmp_path):
        path = write(tmp_path, "repl.toml", "[types.protest]\nreplace = true\nnouns = [\"sit-in\"]\n")
        rules = load_rules((str(path),))
        assert rules.types["protest"].nouns == ("sit-in",) and rules.types["protest"].verbs == ()

    def test_extra_word_lists_are_merged(self, tmp_path):
        path = write(tmp_path, "hedge.toml",
                     "hedge_words = [\"perhaps\"]\n\n[participants]\nperson = [\"goalkeeper\"]\n")
        rules = load_rules((str(path),))
        assert "perhaps" in rules.hedge_words and "allegedly" in rules.hedge_words
        assert "goalkeeper" in rules.participants["person"]

    def test_cli_rules_option(self, tmp_path):
        path = write(tmp_path, "vacc.toml", VACCINATE_TOML)
        result = CliRunner().invoke(cli, ["extract", "-", "--rules", str(path)],
                                    input="Nurses inoculated 45 villagers on Friday.")
        assert result.exit_code == 0, result.stderr
        doc = json.loads(result.stdout)
        assert [e["type"] for e in doc["events"]] == ["vaccinate"]

    def test_cli_bad_rules_file(self, tmp_path):
        path = write(tmp_path, "bad.toml", "[types.vaccinate\nverbs = 1\n")
        result = CliRunner().invoke(cli, ["extract", "-", "--rules", str(path)], input="Nothing happened.")
        assert result.exit_code != 0
        assert "bad.toml" in result.stderr and "line 1" in result.stderr

    def test_instrument_verbs_and_weapons_from_a_rules_file(self, nlp, tmp_path):
        path = write(tmp_path, "club.toml",
                     "wound_instruments = [\"machete\"]\n\n[types.injure]\ninstrument_verbs = [\"slash\"]\n")
        rules = load_rules((str(path),))
        assert rules.instrument_index["slash"] == "injure" and "machete" in rules.wound_instruments
        rec = factx.extract("A machete slashed the farmer in the arm.", nlp=nlp,
                            settings=factx.Settings(rules=(str(path),)))
        assert [(e.type, e.count["value"]) for e in rec.events if e.type == "injure"] == [("injure", 1)]

    @pytest.mark.parametrize("key", ["instrument_verbs", "strict_verbs"])
    def test_verb_lists_must_be_words(self, tmp_path, key):
        path = write(tmp_path, "bad.toml", f"[types.detain]\n{key} = [1]\n")
        with pytest.raises(RulesError, match=key):
            load_rules((str(path),))
