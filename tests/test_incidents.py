"""Incidents across articles: grouping, reconciliation, stable ids, bad input, the CLI, the schema and Dask."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from factx.cli import cli
from factx.incidents import (
    SCHEMA,
    IncidentGrouper,
    IncidentInputError,
    group_records,
    iter_records,
    load_grouping_rules,
    place_relation,
    reconcile_counts,
    timex_period,
    units_from_record,
)

# fmt: off
CHICAGO = {"name": "Chicago", "kind": "city", "country": "US", "admin1": "US-IL", "lat": 41.85, "lon": -87.65}
ILLINOIS = {"name": "Illinois", "kind": "admin1", "country": "US", "admin1": "US-IL", "lat": 40.0, "lon": -89.0}
ENGLEWOOD = {"name": "Englewood", "kind": "city", "country": "US", "admin1": "US-IL", "lat": 41.78, "lon": -87.64}
AUSTIN_CHI = {"name": "Austin", "kind": "city", "country": "US", "admin1": "US-IL", "lat": 41.89, "lon": -87.76}
SPRINGFIELD = {"name": "Springfield", "kind": "city", "country": "US", "admin1": "US-IL", "lat": 39.80, "lon": -89.64}
ECUADOR = {"name": "Ecuador", "kind": "country", "country": "EC", "admin1": None, "lat": -1.5, "lon": -78.0}
QUITO = {"name": "Quito", "kind": "city", "country": "EC", "admin1": "EC-P", "lat": -0.23, "lon": -78.52}
ITALY = {"name": "Italy", "kind": "country", "country": "IT", "admin1": None, "lat": 42.8, "lon": 12.8}
# fmt: on


def ev(eid: str, etype: str, *, count=None, qualifier="exact", place=None, date=None, patient=None, agent=None,
       money=(), origin="sentence", sentence=(0, 80), incident="i1", trigger=None) -> dict:
    """One event of a factx/1 record."""
    out = {"id": eid, "type": etype, "trigger": {"text": trigger or etype, "start": 0, "end": 5},
           "count": {"value": count, "qualifier": qualifier} if count is not None else None,
           "patient": {"text": patient, "start": 0, "end": len(patient)} if patient else None,
           "agent": {"text": agent, "start": 0, "end": len(agent)} if agent else None,
           "place": {**place, "origin": origin} if place else None,
           "date": {"value": date, "granularity": "day", "origin": origin} if date else None,
           "money": [{"amount": a, "currency": c} for a, c in money], "negated": False, "modality": "asserted",
           "sentence": {"start": sentence[0], "end": sentence[1]}, "confidence": 0.8, "same_as": None,
           "incident": incident}
    return out


def record(source: str, published: str | None, events: list[dict], *, title: str | None = None,
           counts: dict | None = None, numbers: list[dict] | None = None) -> dict:
    """A factx/1 record whose incidents are its events grouped by their ``incident`` ids."""
    incidents = {}
    for e in events:
        inc = incidents.setdefault(e["incident"], {"id": e["incident"], "types": [], "place": None, "date": None,
                                                    "counts": {}, "events": []})
        inc["events"].append(e["id"])
        if e["type"] not in inc["types"]:
            inc["types"].append(e["type"])
        inc["place"] = inc["place"] or e["place"]
        inc["date"] = inc["date"] or e["date"]
        if e["count"] and e["type"] not in inc["counts"]:
            inc["counts"][e["type"]] = {"value": e["count"]["value"], "qualifier": e["count"]["qualifier"],
                                        "events": [e["id"]]}
    for iid, c in (counts or {}).items():
        incidents[iid]["counts"].update(c)
    return {"schema": "factx/1", "source": {"id": source, "sha256": "0" * 64, "chars": 100, "format": "text"},
            "published": {"value": published, "origin": "metadata" if published else "none"}, "title": title,
            "numbers": numbers or [], "money": [], "dates": [], "places": [], "focus": {}, "events": events,
            "incidents": list(incidents.values()), "warnings": []}


def shooting(source, published, *, place=CHICAGO, date=None, killed=None, injured=None, victim=None,
             title=None, origin="sentence") -> dict:
    """An article about one shooting: the shooting, its dead and its wounded."""
    events = [ev("e1", "shooting", place=place, date=date, origin=origin)]
    if killed is not None:
        events.append(ev("e2", "kill", count=killed, place=place, date=date, patient=victim, origin=origin))
    if injured is not None:
        events.append(ev("e3", "injure", count=injured, place=place, date=date, origin=origin))
    return record(source, published, events, title=title)


def by_sources(incidents) -> list[list[str]]:
    return sorted(sorted(i["sources"]) for i in incidents)


# --------------------------------------------------------------------------- grouping


def test_one_shooting_two_articles_city_and_state_a_day_apart():
    a = shooting("a.txt", "2016-06-12", place=CHICAGO, date="2016-06-12", killed=2, injured=3)
    # The next day's report says "Sunday's shooting" (the same day) and names only the state.
    b = shooting("b.txt", "2016-06-13", place=ILLINOIS, date="2016-06-12", killed=2, injured=4)
    out = group_records([a, b])
    assert by_sources(out) == [["a.txt", "b.txt"]]
    inc = out[0]
    assert inc["place"]["name"] == "Chicago" and inc["date"]["value"] == "2016-06-12"
    assert inc["counts"]["kill"]["value"] == 2 and inc["counts"]["kill"]["support"] == 2


def test_two_shootings_the_same_day_in_two_neighbourhoods_stay_apart():
    a = shooting("a.txt", "2016-06-12", place=ENGLEWOOD, date="2016-06-12", killed=1, victim="John Carter")
    b = shooting("b.txt", "2016-06-12", place=AUSTIN_CHI, date="2016-06-12", killed=1, victim="Maria Lopez")
    c = shooting("c.txt", "2016-06-13", place=ENGLEWOOD, date="2016-06-12", killed=1, victim="John Carter")
    assert by_sources(group_records([a, b, c])) == [["a.txt", "c.txt"], ["b.txt"]]


def test_different_victims_and_far_places_contradict():
    a = shooting("a.txt", "2016-06-12", place=CHICAGO, date="2016-06-12", killed=1, victim="John Carter")
    b = shooting("b.txt", "2016-06-12", place=CHICAGO, date="2016-06-12", killed=1, victim="Maria Lopez")
    c = shooting("c.txt", "2016-06-12", place=SPRINGFIELD, date="2016-06-12", killed=1)
    assert by_sources(group_records([a, b, c])) == [["a.txt"], ["b.txt"], ["c.txt"]]


def test_incompatible_counts_keep_reports_apart():
    a = shooting("a.txt", "2016-06-12", date="2016-06-12", killed=1)
    b = shooting("b.txt", "2016-06-12", date="2016-06-12", killed=12)
    assert len(group_records([a, b])) == 2


def test_earthquake_toll_rises_from_20_to_26():
    quake = "A powerful earthquake"
    a = record("q1.txt", "2016-04-16", [ev("e1", "kill", count=20, qualifier="at_least", place=QUITO,
                                          date="2016-04-16", agent=quake)])
    b = record("q2.txt", "2016-04-17", [ev("e1", "kill", count=26, place=ECUADOR, date="2016-04-16",
                                          agent="the earthquake"),
                                        ev("e2", "injure", count=500, qualifier="more_than", place=ECUADOR,
                                           date="2016-04-16")])
    other = record("q3.txt", "2016-08-24", [ev("e1", "kill", count=38, place=ITALY, date="2016-08-24", agent=quake)])
    out = group_records([a, b, other])
    assert by_sources(out) == [["q1.txt", "q2.txt"], ["q3.txt"]]
    kill = next(i for i in out if len(i["sources"]) == 2)["counts"]["kill"]
    assert kill["value"] == 26 and kill["reported"] == [20, 26] and (kill["low"], kill["high"]) == (20, 26)
    assert kill["support"] == 2  # "at least 20" is consistent with 26


def test_two_acquisitions_by_one_buyer_stay_apart_and_reports_of_one_join():
    def deal(source, day, target, amount):
        return record(source, day, [ev("e1", "purchase", agent="Microsoft", patient=target, date=day,
                                       money=[(amount, "USD")])], title=f"Microsoft to buy {target}")
    a = deal("a.txt", "2016-06-13", "LinkedIn", 26.2e9)
    b = deal("b.txt", "2016-06-13", "LinkedIn", 26.2e9)
    c = deal("c.txt", "2016-06-13", "GitHub", 7.5e9)
    d = deal("d.txt", "2018-06-04", "GitHub", 7.5e9)
    assert by_sources(group_records([a, b, c, d])) == [["a.txt", "b.txt"], ["c.txt"], ["d.txt"]]


def test_politics_and_business_never_join_violence():
    a = record("a.txt", "2016-06-12", [ev("e1", "election", place=CHICAGO, date="2016-06-12")])
    b = shooting("b.txt", "2016-06-12", place=CHICAGO, date="2016-06-12", killed=1)
    assert len(group_records([a, b])) == 2


def test_a_roundup_keeps_the_passing_incident_out_of_the_main_figures():
    # The article's own shooting (i1) and, in passing, another one elsewhere (i2) with its own place and day.
    a = record("a.txt", "2016-06-13", [
        ev("e1", "shooting", place=CHICAGO, date="2016-06-12"),
        ev("e2", "kill", count=2, place=CHICAGO, date="2016-06-12"),
        ev("e3", "kill", count=5, place=SPRINGFIELD, date="2016-05-01", incident="i2")])
    b = shooting("b.txt", "2016-06-12", place=CHICAGO, date="2016-06-12", killed=2)
    out = group_records([a, b])
    main = next(i for i in out if "b.txt" in i["sources"])
    assert main["counts"]["kill"]["value"] == 2 and main["sources"] == ["a.txt", "b.txt"]
    assert {m["event_id"] for m in main["mentions"] if m["source_id"] == "a.txt"} == {"e1", "e2"}
    passing = [i for i in out if i is not main]
    assert len(passing) == 1 and passing[0]["counts"]["kill"]["value"] == 5


def test_a_passing_mention_without_its_own_place_and_day_is_left_out():
    a = record("a.txt", "2016-06-13", [
        ev("e1", "shooting", place=CHICAGO, date="2016-06-12"),
        ev("e2", "kill", count=500, place=CHICAGO, date="2016-06-12", origin="document", incident="i2")])
    grouper = IncidentGrouper()
    grouper.add(a)
    out = grouper.incidents()
    assert [m["event_id"] for i in out for m in i["mentions"]] == ["e1"] and grouper.left_out == 1


def test_wire_copies_join_even_when_published_weeks_apart():
    events = [ev("e1", "attack", place=QUITO, date="2016-04-16", trigger="attacked", sentence=(0, 120)),
              ev("e2", "kill", count=3, place=QUITO, date="2016-04-16", trigger="killed", sentence=(0, 120)),
              ev("e3", "arrest", count=2, place=QUITO, date="2016-04-16", trigger="arrested", sentence=(121, 200))]
    a = record("wire-a.txt", "2016-04-16", events)
    b = record("wire-b.txt", "2016-05-30", [dict(e) for e in events])
    assert by_sources(group_records([a, b])) == [["wire-a.txt", "wire-b.txt"]]


def test_follow_up_weeks_later_joins_by_the_victims_name():
    a = shooting("a.txt", "2016-03-01", date="2016-03-01", killed=1, victim="Tavon Tanner Jr")
    b = record("b.txt", "2016-04-10", [
        ev("e1", "charge", place=CHICAGO, date="2016-04-09", patient="James Doe"),
        ev("e2", "kill", count=1, place=CHICAGO, date="2016-04-09", patient="Tavon Tanner Jr")])
    c = shooting("c.txt", "2016-04-10", date="2016-04-09", killed=1)  # no name: a later, other shooting
    assert by_sources(group_records([a, b, c])) == [["a.txt", "b.txt"], ["c.txt"]]


def test_place_relation_rules():
    r = load_grouping_rules()
    own = {"origin": "sentence"}
    assert place_relation({**CHICAGO, **own}, {**ILLINOIS, **own}, r) > 0
    assert place_relation({**CHICAGO, **own}, {**SPRINGFIELD, **own}, r) is None
    assert place_relation({**CHICAGO, **own}, {**SPRINGFIELD, "origin": "document"}, r) == 0.0  # borrowed: no veto
    assert place_relation({**QUITO, **own}, {**ITALY, **own}, r) is None
    south = {**CHICAGO, "name": "South Chicago", "lat": 41.74, **own}
    assert place_relation(south, {**CHICAGO, **own}, r) == r.evidence["same_place"]


@pytest.mark.parametrize("value, period", [
    ("2016-06-12T23:40", ("2016-06-12", "2016-06-12")), ("2016-02", ("2016-02-01", "2016-02-29")),
    ("2016", ("2016-01-01", "2016-12-31")), ("2016-W01", ("2016-01-04", "2016-01-10")),
    ("2016-Q4", ("2016-10-01", "2016-12-31")), ("P6M", None), ("XXXX-02-19", None)])
def test_timex_period(value, period):
    got = timex_period(value)
    assert (tuple(d.isoformat() for d in got) if got else None) == period


# --------------------------------------------------------------------------- reconciliation


def test_reconcile_best_supported_latest_range():
    rep = [(49, "exact", "a", "2016-06-12", ("e1",)), (50, "exact", "b", "2016-06-12", ("e2",)),
           (49, "exact", "c", "2016-06-13", ("e3",))]
    c = reconcile_counts(rep)
    assert (c["value"], c["support"], c["reported"], c["low"], c["high"]) == (49, 2, [49, 50, 49], 49, 50)
    assert [r["source_id"] for r in c["reports"]] == ["a", "b", "c"]
    rising = reconcile_counts([(20, "at_least", "a", "2016-01-01", ()), (24, "exact", "b", "2016-01-02", ()),
                               (26, "exact", "c", "2016-01-03", ())])
    assert rising["value"] == 26 and rising["qualifier"] == "exact"
    agree = reconcile_counts([(3, "exact", "a", None, ()), (3, "exact", "b", None, ())])
    assert agree["low"] is None and agree["high"] is None and agree["support"] == 2


def test_figures_are_never_invented():
    a = shooting("a.txt", "2016-06-12", date="2016-06-12", killed=2)
    b = shooting("b.txt", "2016-06-12", date="2016-06-12", killed=3)
    (inc,) = group_records([a, b])
    assert inc["counts"]["kill"]["value"] in inc["counts"]["kill"]["reported"]
    assert "injure" not in inc["counts"]


# --------------------------------------------------------------------------- ids


def corpus() -> list[dict]:
    out = []
    for k in range(12):
        day = f"2016-06-{10 + k % 6:02d}"
        place = [CHICAGO, SPRINGFIELD, QUITO][k % 3]
        out.append(shooting(f"s{k:02d}.txt", day, place=place, date=day, killed=1 + k % 4, title=f"Story {k}"))
    return out


def test_ids_do_not_depend_on_input_order():
    recs = corpus()
    first = {i["id"]: by_sources([i]) for i in group_records(recs)}
    shuffled = recs[:]
    random.Random(7).shuffle(shuffled)
    assert {i["id"]: by_sources([i]) for i in group_records(shuffled)} == first
    assert all(i.startswith("i-") for i in first)


def test_adding_articles_changes_only_the_incidents_they_join():
    recs = corpus()
    before = {i["id"]: i["sources"] for i in group_records(recs)}
    extra = shooting("zz-new.txt", "2016-06-10", place=CHICAGO, date="2016-06-10", killed=1)
    after = {i["id"]: i["sources"] for i in group_records(recs + [extra])}
    touched = {i for i, s in after.items() if "zz-new.txt" in s}
    assert {i: s for i, s in after.items() if i not in touched} == {i: s for i, s in before.items() if i not in touched}
    assert len(touched) == 1


# --------------------------------------------------------------------------- reading


def test_records_without_incidents_are_grouped_by_their_events():
    rec = shooting("a.txt", "2016-06-12", date="2016-06-12", killed=1)
    del rec["incidents"]
    (unit,) = units_from_record(rec)
    assert unit.types == ("shooting", "kill") and unit.counts["kill"][0] == 1


def test_negated_events_and_empty_articles_give_no_unit():
    rec = shooting("a.txt", "2016-06-12", date="2016-06-12", killed=1)
    for e in rec["events"]:
        e["negated"] = True
    assert units_from_record(rec) == []
    assert units_from_record(record("b.txt", None, [])) == []


def test_iter_records_reads_folders_arrays_and_pretty_json(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.jsonl").write_text(json.dumps(corpus()[0]) + "\n\n" + json.dumps(corpus()[1]) + "\n")
    (tmp_path / "b.json").write_text(json.dumps(corpus()[2], indent=2))
    (tmp_path / "c.json").write_text(json.dumps([corpus()[3], corpus()[4]], indent=1))
    (tmp_path / "notes.txt").write_text("not read")
    ids = [r["source"]["id"] for r in iter_records([str(tmp_path)])]
    assert ids == ["s02.txt", "s03.txt", "s04.txt", "s00.txt", "s01.txt"]


@pytest.mark.parametrize("content, message", [
    ('{"schema": "factx/1", "source": {"id": "a"}}\n{"schema": "factx/1", "sou', "bad.jsonl:2: not valid JSON"),
    ('{"schema": "factx-incident/1", "id": "i-1"}\n', "bad.jsonl:1: schema 'factx-incident/1'"),
    ('{"id": "x", "text": "an article"}\n', "bad.jsonl:1: no 'schema' key"),
    ('[1, 2]\n', "bad.jsonl:1: item 1: a JSON int"),
    ('{"schema": "factx/1", "source": {}}\n', "bad.jsonl:1: factx/1 record without a source id"),
    ('', "bad.jsonl: no factx records (the input is empty)"),
    ('\xff\xfe', "bad.jsonl: not UTF-8 text"),
])
def test_bad_input_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content.encode("latin-1") if content.startswith("\xff") else content.encode("utf-8"))
    with pytest.raises(IncidentInputError) as exc:
        list(iter_records([str(path)]))
    assert message in str(exc.value)


# --------------------------------------------------------------------------- CLI


def write_jsonl(path, records) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def test_cli_writes_one_line_per_incident_and_validates(tmp_path):
    import jsonschema

    src = write_jsonl(tmp_path / "facts.jsonl", corpus())
    out = tmp_path / "incidents.jsonl"
    res = CliRunner().invoke(cli, ["incidents", src, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "incident(s) from 12 article incident(s) of 12 record(s)" in res.stderr
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert lines and all(x["schema"] == SCHEMA for x in lines)
    schema = json.loads(CliRunner().invoke(cli, ["schema", "--incident"]).stdout)
    for x in lines:
        jsonschema.validate(x, schema)
    assert sorted(s for x in lines for s in x["sources"]) == sorted(r["source"]["id"] for r in corpus())


def test_cli_reads_stdin_and_writes_stdout():
    data = "".join(json.dumps(r) + "\n" for r in corpus())
    res = CliRunner().invoke(cli, ["incidents", "-", "-q"], input=data)
    assert res.exit_code == 0 and res.stderr == ""
    assert all(json.loads(x)["schema"] == SCHEMA for x in res.stdout.splitlines())


@pytest.mark.parametrize("content, where", [
    ('{"schema":"factx/1","source":{"id":"a"}}\n{"schema":"fac', "facts.jsonl:2"),
    ('{"schema":"other/2"}\n', "facts.jsonl:1"),
    ("", "facts.jsonl: no factx records"),
])
def test_cli_bad_input_is_one_error_line_and_nothing_written(tmp_path, content, where):
    src = tmp_path / "facts.jsonl"
    src.write_text(content)
    out = tmp_path / "incidents.jsonl"
    res = CliRunner().invoke(cli, ["incidents", str(src), "-o", str(out)])
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("Error: ") and where in res.stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["facts.jsonl"]


def test_cli_missing_path(tmp_path):
    res = CliRunner().invoke(cli, ["incidents", str(tmp_path / "nope.jsonl")])
    assert res.exit_code == 1 and "no such file or directory" in res.stderr


def test_schema_default_is_still_the_record():
    res = CliRunner().invoke(cli, ["schema"])
    assert json.loads(res.stdout)["title"] == "factx/1 record"


def test_extract_with_incidents_in_one_run(tmp_path, nlp):
    folder = tmp_path / "corpus"
    folder.mkdir()
    texts = {
        "a.txt": "Microsoft Corp bought LinkedIn Corp for $26.2 billion in cash on Monday, the software maker said.",
        "b.txt": "Microsoft purchased LinkedIn for about $26 billion, the companies announced on Monday.",
        "c.txt": "Floods killed 27 people in Kenya on March 3, the Red Cross said.",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    facts, incidents = tmp_path / "facts.jsonl", tmp_path / "incidents.jsonl"
    res = CliRunner().invoke(cli, ["extract", str(folder), "-j", "1", "--published", "2016-06-13",
                                   "--incidents", str(incidents), "-o", str(facts)])
    assert res.exit_code == 0, res.output
    assert len(facts.read_text().splitlines()) == 3
    got = by_sources(json.loads(x) for x in incidents.read_text().splitlines())
    assert got == [[str(folder / "a.txt"), str(folder / "b.txt")], [str(folder / "c.txt")]]
    # The same records read back give the same incidents.
    again = CliRunner().invoke(cli, ["incidents", str(facts), "-q"])
    assert again.stdout == incidents.read_text()


def test_extract_incidents_option_needs_its_own_file(tmp_path):
    res = CliRunner().invoke(cli, ["extract", "-", "--incidents", "-"], input="Text.")
    assert res.exit_code == 2 and "--incidents needs a file of its own" in res.stderr


# --------------------------------------------------------------------------- Dask


def test_dask_grouping_equals_local(tmp_path):
    from distributed import Client, LocalCluster

    from factx.dask import group_distributed

    recs = corpus() + [shooting(f"t{k}.txt", "2016-06-12", place=CHICAGO, date="2016-06-12", killed=1)
                       for k in range(3)]
    grouper = IncidentGrouper()
    for r in recs:
        grouper.add(r)
    local = grouper.incidents()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc, \
            Client(lc) as client:
        # Tiny tasks, so that partitions of one block and window land on different workers.
        remote = grouper.incidents(group=lambda units: group_distributed(units, scheduler=client, task_items=2))
        src = write_jsonl(tmp_path / "facts.jsonl", recs)
        res = CliRunner().invoke(cli, ["incidents", src, "--scheduler", lc.scheduler_address, "-q"])
    assert remote == local
    assert res.exit_code == 0 and [json.loads(x) for x in res.stdout.splitlines()] == local


def test_dask_unreachable_scheduler_is_an_error(tmp_path):
    src = write_jsonl(tmp_path / "facts.jsonl", corpus()[:2])
    res = CliRunner().invoke(cli, ["incidents", src, "--scheduler", "tcp://127.0.0.1:9", "-q"])
    assert res.exit_code == 1 and res.stderr.startswith("Error: cannot reach the Dask scheduler")


def test_two_sentencings_of_different_people_are_two_cases():
    def case(source, day, person):
        return record(source, day, [ev("e1", "sentence", place=CHICAGO, date=day, patient=person)])
    a = case("a.txt", "2016-06-13", "John Carter")
    b = case("b.txt", "2016-06-13", "John Carter")
    c = case("c.txt", "2016-06-13", "Maria Lopez")
    assert by_sources(group_records([a, b, c])) == [["a.txt", "b.txt"], ["c.txt"]]


def test_a_mass_shooting_is_not_split_by_the_victims_each_article_names():
    a = shooting("a.txt", "2016-06-12", place=CHICAGO, date="2016-06-12", killed=9, victim="John Carter")
    b = shooting("b.txt", "2016-06-12", place=CHICAGO, date="2016-06-12", killed=9, victim="Maria Lopez")
    assert by_sources(group_records([a, b])) == [["a.txt", "b.txt"]]


def test_news_of_several_kinds_end_to_end(tmp_path, nlp):
    """Two earthquakes, two acquisitions and two sentencings, two articles each: six incidents."""
    from pathlib import Path

    folder = Path(__file__).parent / "data" / "news"
    incidents = tmp_path / "incidents.jsonl"
    res = CliRunner().invoke(cli, ["extract", str(folder), "-j", "1", "-q", "--published", "2016-04-17",
                                   "--incidents", str(incidents), "-o", str(tmp_path / "facts.jsonl")])
    assert res.exit_code == 0, res.output
    # Each article counts under the incident holding most of its mentions (ties: the incident with more mentions).
    votes: dict[str, dict[str, int]] = {}
    size: dict[str, int] = {}
    for line in incidents.read_text().splitlines():
        inc = json.loads(line)
        size[inc["id"]] = len(inc["mentions"])
        for m in inc["mentions"]:
            name = m["source_id"].rsplit("/", 1)[-1]
            votes.setdefault(name, {}).setdefault(inc["id"], 0)
            votes[name][inc["id"]] += 1
    cluster = {a: min(v, key=lambda i: (-v[i], -size[i], i)) for a, v in votes.items()}
    groups = sorted(sorted(a for a in cluster if cluster[a] == c) for c in set(cluster.values()))
    assert groups == [["b1a.txt", "b1b.txt"], ["b2a.txt", "b2b.txt"], ["l1a.txt", "l1b.txt"],
                      ["l2a.txt", "l2b.txt"], ["q1a.txt", "q1b.txt"], ["q2a.txt", "q2b.txt"]]


# --------------------------------------------------------------------------- robustness

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ANY = st.recursive(st.none() | st.booleans() | st.integers(-5, 3000) | st.floats(allow_nan=True) | st.text(max_size=6),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=8)
_FIELDS = st.fixed_dictionaries({}, optional={
    "id": st.sampled_from(["e1", "e2", 3, None]), "type": st.sampled_from(["kill", "purchase", "unknown", 5]),
    "count": _ANY, "place": _ANY, "date": _ANY, "patient": _ANY, "agent": _ANY, "money": _ANY, "negated": _ANY,
    "sentence": _ANY, "trigger": _ANY, "confidence": _ANY, "incident": _ANY})


@settings(max_examples=150, deadline=None)
@given(events=st.lists(_FIELDS, max_size=4), incidents=st.lists(_ANY, max_size=3), published=_ANY,
       title=_ANY, numbers=_ANY, places=_ANY)
def test_any_record_shape_groups_without_error(events, incidents, published, title, numbers, places):
    rec = {"schema": "factx/1", "source": {"id": "x"}, "events": events, "incidents": incidents,
           "published": published, "title": title, "numbers": numbers, "places": places}
    out = group_records([rec, {**rec, "source": {"id": "y"}}])
    assert all(i["schema"] == SCHEMA and i["mentions"] for i in out)


def test_every_family_of_the_inventory_has_grouping_rules():
    from factx.incidents import type_families

    rules = load_grouping_rules()
    for family in set(type_families().values()):
        assert family in rules.group_of and family in rules.merge and family in rules.family_rank, family
