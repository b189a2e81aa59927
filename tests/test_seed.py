"""The reference article: pin the facts that matter, not the bytes."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

import factx

EXPECTED_EVENTS = {
    ("bust", 4), ("arrest", 1000), ("rescue", 382), ("arrest", 1094), ("arrest", 27), ("rescue", 13),
    ("arrest", 43), ("rescue", 11), ("arrest", 1), ("purchase", 2), ("purchase", 1), ("sale", 7),
}


@pytest.fixture(scope="module")
def record(nlp, seed_text):
    return factx.extract(seed_text, published="2014-02-28", id="china-baby-trafficking.txt", nlp=nlp).to_dict()


def test_validates_against_schema(record):
    schema = json.loads(resources.files("factx").joinpath("data/schema.json").read_text())
    jsonschema.validate(record, schema)


def test_offsets_hold(record, seed_text):
    for key in ("numbers", "money", "dates", "places"):
        for m in record[key]:
            assert seed_text[m["start"]:m["end"]] == m["text"]
    for ev in record["events"]:
        for key in ("trigger", "agent", "source", "patient"):
            if ev.get(key):
                assert seed_text[ev[key]["start"]:ev[key]["end"]] == ev[key]["text"]


def test_events_with_counts(record):
    found = {(e["type"], e["count"]["value"]) for e in record["events"] if e["count"]}
    assert EXPECTED_EVENTS <= found


def test_arrest_of_1094(record):
    ev = next(e for e in record["events"] if e["type"] == "arrest" and (e["count"] or {}).get("value") == 1094)
    assert ev["count"]["unit"] == "people" and ev["count"]["qualifier"] == "exact"
    assert ev["date"]["value"] == "2014-02-19"
    assert ev["place"]["country"] == "CN"
    assert "police" in ev["agent"]["text"]
    assert "Ministry of Public Security" in ev["source"]["text"] and ev["modality"] == "reported"


@pytest.mark.parametrize("count, admin1", [(27, "CN-SC"), (13, "CN-SC"), (43, "CN-AH"), (11, "CN-AH"), (1, "CN-SC")])
def test_regional_events_keep_their_region(record, count, admin1):
    evs = [e for e in record["events"] if (e["count"] or {}).get("value") == count and e["type"] in ("arrest", "rescue")]
    assert evs and all(e["place"]["admin1"] == admin1 for e in evs)


def test_more_than_a_thousand(record):
    ev = next(e for e in record["events"] if (e["count"] or {}).get("value") == 1000)
    assert ev["count"]["qualifier"] == "more_than"


def test_sentence_event_and_price(record):
    sent = next(e for e in record["events"] if e["type"] == "sentence")
    # The light verb and its noun tell the event together.
    assert sent["trigger"]["text"] == "received a suspended death sentence" and sent["date"]["value"] == "2014-01"
    assert sent["place"]["admin1"] == "CN-SN"
    buy = next(e for e in record["events"] if e["type"] == "purchase" and e["count"]["value"] == 1)
    assert {(m["amount"], m["currency"]) for m in buy["money"]} == {(20000, "CNY"), (3250, "USD")}


def test_charges_are_not_asserted(record):
    charges = [e for e in record["events"] if e["type"] == "charge"]
    assert charges and all(e["negated"] for e in charges)


def test_dates(record):
    got = {(d["text"], d["type"], d["value"]) for d in record["dates"]}
    assert got >= {("Friday", "DATE", "2014-02-28"), ("February 19", "DATE", "2014-02-19"),
                   ("six-month", "DURATION", "P6M"), ("August 2013", "DATE", "2013-08"),
                   ("January 2014", "DATE", "2014-01"), ("Last month", "DATE", "2014-01")}
    assert not any("30s" in d["text"] for d in record["dates"])


def test_money(record):
    got = [(m["text"], m["amount"], m["currency"]) for m in record["money"]]
    assert got == [("20,000 yuan", 20000, "CNY"), ("US$3,250", 3250, "USD")]
    assert record["money"][1]["equivalent_of"] == 0


def test_places(record):
    got = {(p["name"], p["country"], p["admin1"]) for p in record["places"] if p["kind"] != "demonym"}
    assert got >= {("China", "CN", None), ("Sichuan", "CN", "CN-SC"), ("Anhui", "CN", "CN-AH"),
                   ("Leshan", "CN", "CN-SC"), ("Wuhan", "CN", "CN-HB"), ("Chengdu", "CN", "CN-SC"),
                   ("Shaanxi", "CN", "CN-SN"), ("Beijing", "CN", "CN-BJ"), ("Jiangsu", "CN", "CN-JS")}
    assert record["focus"]["country"] == "CN"
