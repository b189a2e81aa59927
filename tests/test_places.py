from __future__ import annotations

import pytest

from factx.mentions.places import extract_places
from factx.normalize.gazetteer import load_gazetteer, name_key
from factx.normalize.places import (
    Query,
    abbreviation_admin1,
    country_cues,
    demonym_candidates,
    load_rules,
    place_candidates,
    resolve_places,
)


# --- gazetteer and rules (no model) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("São Paulo", "sao paulo"),
        ("St. Louis", "st louis"),
        ("Côte d’Ivoire", "cote divoire"),
        ("Martha’s Vineyard", "martha vineyard"),
        ("  New   York ", "new york"),
    ],
)
def test_name_key(text, key):
    assert name_key(text) == key


def test_gazetteer_loads_countries_and_divisions():
    gaz = load_gazetteer()
    assert gaz.country("CN").name == "China"
    sichuan = gaz.admin1("CN-SC")
    assert sichuan.name == "Sichuan" and sichuan.country == "CN"
    assert 26 < sichuan.lat < 34 and 97 < sichuan.lon < 109


def test_rules_validate():
    rules = load_rules()
    assert rules.abbreviations["Calif."] == "US-CA"
    assert all(v.count("-") == 1 for v in rules.abbreviations.values())


@pytest.mark.parametrize(
    ("name", "hint", "kind", "country", "admin1"),
    [
        ("China", None, "country", "CN", None),
        ("Sichuan", "admin1", "admin1", "CN", "CN-SC"),
        ("Sichuan", None, "admin1", "CN", "CN-SC"),
        ("Chengdu", None, "city", "CN", "CN-SC"),
        ("U.S.", None, "country", "US", None),
        ("Britain", None, "country", "GB", None),
        ("Calif.", None, "admin1", "US", "US-CA"),
        ("Orange County", None, "admin2", "US", "US-CA"),
        ("Washington", None, "city", "US", "US-DC"),
        ("Middle East", None, "region", None, None),
        # a city that makes up most of its same-named division is what the name means
        ("Hanoi", None, "city", "VN", None),
        ("Lagos", None, "city", "NG", None),
        ("Lagos", "admin1", "admin1", "NG", None),
        ("Quebec", None, "admin1", "CA", "CA-QC"),
        # a city named otherwise that answers to the division's name must dominate it
        ("Oklahoma", None, "admin1", "US", "US-OK"),
        ("New York", None, "city", "US", "US-NY"),
    ],
)
def test_best_candidate_by_prior(name, hint, kind, country, admin1):
    best = place_candidates(name, hint=hint)[0].entry
    assert (best.kind, best.country) == (kind, country)
    if admin1:
        assert best.admin1 == admin1


@pytest.mark.parametrize(
    ("word", "country"),
    [("Chinese", "CN"), ("Iraqi", "IQ"), ("Iraqis", "IQ"), ("American", "US"), ("Americans", "US"), ("British", "GB")],
)
def test_demonyms(word, country):
    assert demonym_candidates(word)[0].entry.country == country


@pytest.mark.parametrize("word", ["Republicans", "Muslim", "Tuesday"])
def test_not_demonyms(word):
    assert demonym_candidates(word) == []


@pytest.mark.parametrize(
    ("text", "postal", "code"),
    [("Calif.", False, "US-CA"), ("N.Y.", False, "US-NY"), ("Ont.", False, "CA-ON"), ("La", False, None),
     ("LA", False, None), ("LA", True, "US-LA")],
)
def test_abbreviations(text, postal, code):
    assert abbreviation_admin1(text, postal=postal) == code


def _resolve(names, **kw):
    queries = []
    for item in names:
        name, *rest = item if isinstance(item, tuple) else (item,)
        opts = rest[0] if rest else {}
        queries.append(Query(name, **opts))
    return resolve_places(queries, **kw)


@pytest.mark.parametrize(
    ("names", "index", "country", "admin1"),
    [
        # containment: the town inside the region named after it
        ([("Leshan", {"container": 1}), "Sichuan"], 0, "CN", "CN-SC"),
        ([("Hawthorne", {"container": 1}), ("Calif.", {"hint": "admin1"})], 0, "US", "US-CA"),
        ([("Paris", {"container": 1}), "Texas"], 0, "US", "US-TX"),
        # consistency: a region named in the next sentence
        ([("Texas", {"sentence": 0}), ("Paris", {"sentence": 1})], 1, "US", "US-TX"),
        # population prior: alone, Paris is the French capital
        (["Paris"], 0, "FR", "FR-IDF"),
        # focus country: the article is about Canada
        (["Canada", "Toronto", "Canada", "London"], 3, "CA", "CA-ON"),
        (["Britain", "London"], 1, "GB", "GB-ENG"),
        # a list of places is of one kind: "Oregon, Utah or Washington" names states
        (["Oregon", ("Washington", {"peers": (0,)})], 1, "US", "US-WA"),
        # a town named in its own region's list is no evidence for a namesake ("Adair County" twice)
        ([("Ky.", {"hint": "admin1"}), "Adair County", "Adair County"], 1, "US", "US-KY"),
    ],
)
def test_disambiguation(names, index, country, admin1):
    entry = _resolve(names).entries[index]
    assert (entry.country, entry.admin1) == (country, admin1)


@pytest.mark.parametrize(
    ("names", "index", "kind"),
    [
        # a list kind only counts when the neighbour's reading is clear
        (["Washington"], 0, "city"),
        (["Oregon", ("Washington", {"peers": (0,)})], 1, "admin1"),
        (["France", ("Georgia", {"peers": (0,)})], 1, "country"),
    ],
)
def test_list_kind(names, index, kind):
    assert _resolve(names).entries[index].kind == kind


@pytest.mark.parametrize(
    "town",
    [
        "Zorblaxville",  # unknown everywhere
        "Holliday",  # the gazetteer's only Holliday is in Texas
    ],
)
def test_container_without_namesake_keeps_region(town):
    # "Holliday, Mo.": the town is in Missouri; a namesake elsewhere would be a wrong guess.
    res = _resolve([(town, {"container": 1}), ("Mo.", {"hint": "admin1"})])
    entry = res.entries[0]
    assert (entry.kind, entry.country, entry.admin1, entry.lat) == ("city", "US", "US-MO", None)


def test_container_does_not_override_a_large_town():
    res = _resolve([("New York City", {"container": 1}), ("Long Island", {"hint": "admin1"})])
    assert res.entries[0].admin1 == "US-NY"


def test_prefer_countries_breaks_ties():
    plain = _resolve(["Georgia"]).entries[0]
    biased = _resolve(["Georgia"], prefer_countries=["US"]).entries[0]
    assert plain.country == "GE"
    assert (biased.country, biased.admin1) == ("US", "US-GA")


def test_unresolvable_name_stays_unresolved():
    res = _resolve(["Zorblaxville", "Iraq"])
    assert res.entries[0] is None
    assert res.entries[1].country == "IQ"
    assert res.focus_country == "IQ"


def test_demonyms_inform_focus():
    res = _resolve([("Chinese", {"demonym": True}), ("Chinese", {"demonym": True}), "Paris"])
    assert res.focus_country == "CN"


# --- whole pipeline (model) -------------------------------------------------------------


def _by_text(places):
    out = {}
    for p in places:
        out.setdefault(p.text, p)
    return out


def test_seed_article(nlp, seed_text):
    places, focus = extract_places(nlp(seed_text))
    assert all(seed_text[p.start : p.end] == p.text for p in places)
    assert [p.start for p in places] == sorted(p.start for p in places)
    got = {(p.name, p.country, p.admin1) for p in places if p.kind != "demonym"}
    for expected in [
        ("China", "CN", None),
        ("Beijing", "CN", "CN-BJ"),
        ("Jiangsu", "CN", "CN-JS"),
        ("Sichuan", "CN", "CN-SC"),
        ("Anhui", "CN", "CN-AH"),
        ("Leshan", "CN", "CN-SC"),
        ("Wuhan", "CN", "CN-HB"),
        ("Chengdu", "CN", "CN-SC"),
        ("Shaanxi", "CN", "CN-SN"),
    ]:
        assert expected in got
    by_text = _by_text(places)
    assert (by_text["Sichuan"].kind, by_text["Sichuan"].name) == ("admin1", "Sichuan")
    assert by_text["Leshan"].kind == "city"
    assert (by_text["Chinese"].kind, by_text["Chinese"].country) == ("demonym", "CN")
    assert focus.country == "CN"
    assert not any(p.text.startswith("US$") for p in places)


@pytest.mark.parametrize(
    ("text", "surface", "kind", "country", "admin1"),
    [
        ("A man was arrested in Hawthorne, Calif., on Tuesday.", "Hawthorne", "city", "US", "US-CA"),
        ("A man was arrested in Hawthorne, Calif., on Tuesday.", "Calif.", "admin1", "US", "US-CA"),
        ("Police in Leshan, Sichuan said two people were held.", "Leshan", "city", "CN", "CN-SC"),
        ("Floods hit the country's southern Sichuan province on Monday.", "Sichuan", "admin1", "CN", "CN-SC"),
        ("The fair in Paris drew farmers from across Texas this week.", "Paris", "city", "US", "US-TX"),
        ("Leaders met in Paris to sign the climate accord.", "Paris", "city", "FR", "FR-IDF"),
        ("The plant in Alexandria, LA closed on Monday.", "Alexandria", "city", "US", "US-LA"),
        ("Iraqi officials said the talks would resume.", "Iraqi", "demonym", "IQ", None),
        ("Fighting continued in northern Syria on Sunday.", "Syria", "country", "SY", None),
        ("A girl from Buffalo, New York died of the flu.", "New York", "admin1", "US", "US-NY"),
        ("Tech firms leave states such as California or Washington for Texas.", "Washington", "admin1", "US", "US-WA"),
        ("The first case was found in the state of Washington in December.", "Washington", "admin1", "US", "US-WA"),
    ],
)
def test_extract_cases(nlp, text, surface, kind, country, admin1):
    places, _ = extract_places(nlp(text))
    place = _by_text(places)[surface]
    assert (place.kind, place.country, place.admin1) == (kind, country, admin1)
    assert place.lat is not None and place.lon is not None


def test_unknown_place_keeps_country_null(nlp):
    text = "Two boats sank near Qwertyville while the storm moved toward Mexico."
    places, focus = extract_places(nlp(text))
    by_text = _by_text(places)
    assert by_text["Mexico"].country == "MX"
    unknown = [p for p in places if p.text == "Qwertyville"]
    assert all(p.country is None and p.lat is None for p in unknown)
    assert focus.country == "MX"


def test_prefer_countries_option(nlp):
    doc = nlp("The storm reached Georgia late on Friday.")
    plain, _ = extract_places(doc)
    biased, focus = extract_places(doc, prefer_countries=["US"])
    assert _by_text(plain)["Georgia"].country == "GE"
    assert _by_text(biased)["Georgia"].admin1 == "US-GA"
    assert focus.country == "US"


def test_state_code_alone_is_not_a_place(nlp):
    places, _ = extract_places(nlp("CA is a state."))
    assert places == []


def test_focus_country_picks_the_local_town():
    res = _resolve(["Canada", "London", ("Syrian", {"demonym": True, "weight": 0.5}), "Canada", "London"])
    assert res.focus_country == "CA"
    assert res.entries[1].admin1 == "CA-ON"


def test_empty_doc(nlp):
    places, focus = extract_places(nlp("Nothing happened here."))
    assert places == [] and focus.country is None


# --- US local news: state abbreviations, article state, neighbours, parts, streets ----


@pytest.mark.parametrize(
    ("text", "bare", "code"),
    [("Mo", True, "US-MO"), ("Tenn", True, "US-TN"), ("Calif", True, "US-CA"), ("Mo", False, None),
     ("MO", True, None), ("Paris", True, None)],
)
def test_bare_abbreviations(text, bare, code):
    assert abbreviation_admin1(text, bare=bare) == code


@pytest.mark.parametrize(
    ("text", "surface", "admin1"),
    [
        ("A shooting in Cooper County, Mo on Friday left one man dead.", "Mo", "US-MO"),
        ("Deputies in Cooper County, Mo., found a body near the river.", "Mo.", "US-MO"),
        ("A teenager from Boonville, Mo was wounded.", "Boonville", "US-MO"),
        ("A boy was shot in Brownsville, Tenn on Sunday.", "Tenn", "US-TN"),
    ],
)
def test_state_abbreviation_after_place(nlp, text, surface, admin1):
    places, _ = extract_places(nlp(text))
    place = _by_text(places)[surface]
    assert (place.country, place.admin1) == ("US", admin1)
    assert not any(p.country not in ("US", None) for p in places)


def test_title_after_comma_is_not_a_state(nlp):
    places, _ = extract_places(nlp("The call came from Jones, Miss Ellis said."))
    assert not any(p.admin1 == "US-MS" for p in places)


@pytest.mark.parametrize(
    ("names", "index", "admin1"),
    [
        # the state named in the article outweighs a larger namesake abroad
        (["Savannah", ("Georgia", {"sentence": 1})], 0, "US-GA"),
        (["Savannah", ("Georgia", {"sentence": 1})], 1, "US-GA"),
        (["Ohio", "Mansfield"], 1, "US-OH"),
        # alone, the population prior still decides
        (["Mansfield"], 0, "GB-ENG"),
        (["Savannah"], 0, "GH-SV"),
        # "Pinetown, North Carolina": the gazetteer's only Pinetown is abroad
        ([("Pinetown", {"container": 1}), ("North Carolina", {"hint": "admin1"}), "Pinetown"], 2, "US-NC"),
    ],
)
def test_article_state_over_population(names, index, admin1):
    assert _resolve(names).entries[index].admin1 == admin1


@pytest.mark.parametrize(
    ("names", "index", "admin1"),
    [
        # a neighbour decides between same-named towns of one country
        (["Atlanta", "Decatur"], 1, "US-GA"),
        (["Youngstown", "Warren"], 1, "US-OH"),
        (["Warren", "Youngstown"], 0, "US-OH"),
        (["Atlanta", "DeKalb County"], 1, "US-GA"),
        # without one, the larger town
        (["Decatur"], 0, "US-IL"),
        (["Warren"], 0, "US-MI"),
        # a world city keeps its reading next to a small namesake's neighbours
        (["Lexington", "Paris"], 1, "FR-IDF"),
    ],
)
def test_neighbours_choose_the_town(names, index, admin1):
    assert _resolve(names).entries[index].admin1 == admin1


@pytest.mark.parametrize(
    ("text", "surface", "admin1"),
    [
        ("ATLANTA (AP) \u2014 A man was killed in Decatur on Sunday, and police searched the area.", "Decatur", "US-GA"),
        ("YOUNGSTOWN, Ohio \u2014 A man was shot in Warren on Monday.", "Warren", "US-OH"),
        ("Police in Savannah said a man was shot. The Georgia Bureau of Investigation is helping.", "Savannah", "US-GA"),
        ("A girl was shot at a home in Pinetown, North Carolina. Her family lives in Pinetown.", "Pinetown", "US-NC"),
    ],
)
def test_local_story_towns(nlp, text, surface, admin1):
    places, _ = extract_places(nlp(text))
    assert all(p.admin1 == admin1 for p in places if p.text == surface)
    assert any(p.text == surface for p in places)


@pytest.mark.parametrize(
    ("text", "surface", "kind", "admin1", "located"),
    [
        ("TOONE, Tenn. \u2014 A boy was shot on Friday near his home.", "TOONE", "city", "US-TN", False),
        ("A boy was shot in Toone, Tenn., on Sunday.", "Toone", "city", "US-TN", False),
        ("A man was shot in North Philadelphia on Tuesday night.", "North Philadelphia", "city", "US-PA", True),
        ("Two teens were wounded in West Oakland late Friday.", "West Oakland", "city", "US-CA", True),
    ],
)
def test_unknown_town_and_city_parts(nlp, text, surface, kind, admin1, located):
    places, _ = extract_places(nlp(text))
    place = _by_text(places)[surface]
    assert (place.kind, place.country, place.admin1) == (kind, "US", admin1)
    assert (place.lat is not None) == located


def test_unknown_dateline_town_names_its_later_mentions(nlp):
    text = "Man held in Toone killing\n\nTOONE, Tenn. \u2014 A man was arrested on Friday."
    places, _ = extract_places(nlp(text))
    assert [(p.country, p.admin1) for p in places if p.name.casefold() == "toone"] == [("US", "US-TN")] * 2


@pytest.mark.parametrize(
    ("name", "kind", "admin1"),
    [("North Philadelphia", "city", "US-PA"), ("North Carolina", "admin1", "US-NC"), ("West Virginia", "admin1", "US-WV")],
)
def test_direction_prefix_candidates(name, kind, admin1):
    best = place_candidates(name)[0].entry
    assert (best.kind, best.admin1) == (kind, admin1)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("The shooting happened on Hearne Avenue in Shreveport on Friday.", "Hearne Avenue"),
        ("Officers were called to the 3700 block of Hearne after a crash on Hearne Avenue.", "Hearne"),
        ("Officers were called to the 3700 block of Hearne after a crash on Hearne Avenue.", "Hearne Avenue"),
        ("A car hit a pole on Warren Road near the school.", "Warren Road"),
    ],
)
def test_street_named_after_a_town(nlp, text, surface):
    places, _ = extract_places(nlp(text))
    hits = [p for p in places if p.text == surface]
    assert hits and all(p.kind == "landmark" and p.country is None for p in hits)
    assert not any(p.kind == "city" and p.name in ("Hearne", "Warren") for p in places)


def test_town_named_like_a_street_stays_a_town(nlp):
    places, _ = extract_places(nlp("The mayor of Hearne said the town would rebuild."))
    assert (_by_text(places)["Hearne"].kind, _by_text(places)["Hearne"].admin1) == ("city", "US-TX")


# --- the token table the finders read -------------------------------------------------


def test_token_table_reads_what_the_doc_holds(nlp):
    from spacy.symbols import ADJ, PROPN

    from factx.mentions.tokens import doc_text, token_table

    text = "BEIRUT (AP) -- Police in  Leshan, Sichuan\n\narrested 27 people on Friday.\u00a0 "
    doc = nlp(text)
    table = token_table(doc)
    assert table.text == doc.text == doc_text(doc) == text
    assert table.texts == [t.text for t in doc]
    assert table.lowers == [t.lower_ for t in doc]
    assert table.idx == [t.idx for t in doc]
    assert [bool(e) for e in table.ent] == [bool(t.ent_type_) for t in doc]
    assert [bool(p) for p in table.punct] == [t.is_punct for t in doc]
    assert [bool(a) for a in table.alpha] == [t.is_alpha for t in doc]
    assert [table.span_text(t.i, t.i + 2) for t in doc[:-1]] == [doc[t.i : t.i + 2].text for t in doc[:-1]]
    assert [p == PROPN for p in table.pos] == [t.pos_ == "PROPN" for t in doc]
    assert [p == ADJ for p in table.pos] == [t.pos_ == "ADJ" for t in doc]
    empty = nlp("")
    assert token_table(empty).text == doc_text(empty) == ""


# --- names the words around show to be places -------------------------------------------


def _assert_american(nlp, text, surface, kind, admin1):
    places, _ = extract_places(nlp(text))
    place = _by_text(places)[surface]
    assert (place.kind, place.country) == (kind, "US")
    if admin1:
        assert place.admin1 == admin1


@pytest.mark.parametrize(
    ("text", "surface", "kind", "admin1"),
    [
        # a town's or a county's office names a town or a county
        ("The Springfield Police Department said the road was closed.", "Springfield", "city", None),
        ("Toledo police said two men ran from the store.", "Toledo", "city", "US-OH"),
        ("Officers of the Bakersfield Police Department found the car.", "Bakersfield", "city", "US-CA"),
        ("The Greenwood County Sheriff's Office said the driver was hurt.", "Greenwood County", "admin2", None),
        ("Savannah-Chatham police arrested a woman on Friday.", "Savannah", "city", "US-GA"),
        ("Winston-Salem police said the car was stolen.", "Winston-Salem", "city", "US-NC"),
        # a name before a person or a building noun
        ("A Medford man was sentenced on Thursday.", "Medford", "city", None),
        ("Police arrested a 14-year-old Peoria boy on Monday.", "Peoria", "city", None),
        ("Four people were hurt in a Zanesville bar early Sunday.", "Zanesville", "city", "US-OH"),
        ("Chillicothe residents asked the council for more street lights.", "Chillicothe", "city", None),
        ("The Grand Junction woman who was hurt is expected to recover.", "Grand Junction", "city", "US-CO"),
        # a place a person is from, a place named as a village or a suburb
        ("Mark Ellis, 35, of Crab Orchard, was charged with assault.", "Crab Orchard", "city", None),
        ("The fire started in the nearby village of Mohawk on Wednesday.", "Mohawk", "city", None),
        ("The family moved to the Houston suburb of Katy last year.", "Katy", "city", "US-TX"),
        ("Deputies found a 70-year-old man from Cloquet in his deer stand.", "Cloquet", "city", "US-MN"),
        ("Mark Ellis, from Bean Station, was taken into custody.", "Bean Station", "city", "US-TN"),
        ("Police in Bean Station, Tennessee, said the officer was held.", "Bean Station", "city", "US-TN"),
    ],
)
def test_cue_words_make_places(nlp, text, surface, kind, admin1):
    _assert_american(nlp, text, surface, kind, admin1)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Many residents became sick after the storm.", "Many"),
        ("Volunteers cleaned the Glenrock State Conservation Area on Sunday.", "Conservation"),
        ("The UN police presence was welcomed by the government.", "UN"),
    ],
)
def test_cue_words_need_a_name(nlp, text, word):
    places, _ = extract_places(nlp(text))
    assert not any(p.text == word for p in places)


def test_landmark_takes_its_town(nlp):
    places, _ = extract_places(nlp("Shots were fired near the parking lot of Grand Junction High School on Monday."))
    school = [p for p in places if "High School" in p.text]
    assert school and all((p.kind, p.country, p.admin1) == ("landmark", "US", "US-CO") for p in school)
    assert school[0].lat is not None


def test_landmark_named_after_a_person_takes_no_town(nlp):
    places, _ = extract_places(nlp("Students gathered outside Lincoln High School on Monday."))
    assert not any(p.admin1 == "US-NE" for p in places)


@pytest.mark.parametrize(
    ("text", "surface", "admin1"),
    [
        ("SAN ANTONIO - The man who was shot on Friday has died.", "SAN ANTONIO", "US-TX"),
        ("STOCKTON-\n\nPolice say four people were shot on Sunday.", "STOCKTON", "US-CA"),
        ("ORANGE - The man who shot his neighbor was arrested.", "ORANGE", "US-CA"),
        ("TRENTON >> City police are looking for two men.", "TRENTON", "US-NJ"),
    ],
)
def test_all_caps_datelines(nlp, text, surface, admin1):
    places, _ = extract_places(nlp(text))
    place = _by_text(places)[surface]
    assert (place.kind, place.admin1) == ("city", admin1)
    assert text[place.start : place.end] == surface


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Aurora, 8, was killed in the crash.", "Aurora"),
        ("Police Chief Scott Jordan said the man fled on foot.", "Jordan"),
        ("Officers said Lt. Chad Brooks was not hurt.", "Chad"),
        ("Sheriff Tyler Lincoln said the boy was taken to a hospital.", "Lincoln"),
        ("The victim, Victoria Whitehurst, was found at home.", "Victoria"),
        # the model takes this person for a building: an age after a name makes it a person
        ("The victim was identified as Regina Herring, 34, of Barre.", "Herring"),
        ("The victim was identified as Regina Herring, 34, of Barre.", "Regina"),
    ],
)
def test_people_are_not_places(nlp, text, word):
    places, _ = extract_places(nlp(text))
    assert not any(word in p.text.split() for p in places)


# --- the article's country from its own words ----------------------------------------


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Deputies were called to the 700 block of Elm Street.", "US"),
        ("The Richland County Sheriff's Office said the man was hurt.", "US"),
        ("MANSFIELD (WCMH) \u2014 A man was shot.", "US"),
        ("The RCMP said the driver was not hurt.", "CA"),
        ("A spokesman for the Garda said the road was closed.", "IE"),
    ],
)
def test_country_cues(text, country):
    assert country_cues(text).most_common(1)[0][0] == country


@pytest.mark.parametrize("text", ["They live in a block of flats.", "The Ohio River rose.", ""])
def test_no_country_cues(text):
    assert not country_cues(text)


def test_cues_choose_the_country_of_an_ambiguous_town(nlp):
    text = "Hamilton police said the boy was shot in the 700 block of Main Street. Sheriff's deputies helped."
    places, focus = extract_places(nlp(text))
    assert _by_text(places)["Hamilton"].country == "US"
    assert focus.country == "US"


def test_clear_places_outweigh_cues(nlp):
    text = "Police in Hamilton, Ontario said a man was shot in the 700 block of Main Street."
    places, _ = extract_places(nlp(text))
    assert _by_text(places)["Hamilton"].admin1 == "CA-ON"


def test_cues_do_not_move_a_world_city(nlp):
    text = "The FBI said the suspect had flown to Paris before the 400 block of Elm Street was searched."
    places, _ = extract_places(nlp(text))
    assert _by_text(places)["Paris"].country == "FR"


@pytest.mark.parametrize(
    ("names", "index", "admin1"),
    [
        # two ambiguous names place each other where readings of both lie close together
        (["Peoria", "Fulton County"], 0, "US-IL"),
        (["Quincy", "Ephrata"], 0, "US-WA"),
        (["Williston", "Bronson", "Marion County"], 0, "US-FL"),
        (["Mansfield", "Richland County", "Ohio"], 1, "US-OH"),
    ],
)
def test_ambiguous_neighbours_place_each_other(names, index, admin1):
    assert _resolve(names, prefer_countries=["US"]).entries[index].admin1 == admin1


def test_a_foreign_alternate_name_is_no_world_city_rival():
    # "Santa Ana" is also an old name of a large Philippine city; it must not shield El Salvador's.
    res = resolve_places([Query("Santa Ana")], text="Two men were shot in the 1500 block of Main Street.")
    assert res.entries[0].admin1 == "US-CA"


@pytest.mark.parametrize(
    ("text", "surface", "kind", "admin1"),
    [
        ("The Wilson County Sheriff's Office on Sunday named the man.", "Wilson County", "admin2", None),
        ("ST. LOUIS (KMOV.com) \u2013 A man was killed on Friday.", "ST. LOUIS", "city", "US-MO"),
        ("A man was hurt during a family gathering in Bay St. Louis on Friday.", "Bay St. Louis", "city", "US-MS"),
        ("Three people were shot to death in Brooksville on Friday night.", "Brooksville", "city", None),
        ("They said they were shot in north Wichita, but police found no evidence.", "Wichita", "city", "US-KS"),
    ],
)
def test_names_the_model_splits_or_misses(nlp, text, surface, kind, admin1):
    _assert_american(nlp, text, surface, kind, admin1)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("They were sitting in a parked Toyota Camry when two men walked up.", "Toyota"),
        ("He was last seen driving a Dodge Durango.", "Durango"),
    ],
)
def test_cars_are_not_places(nlp, text, word):
    places, _ = extract_places(nlp(text))
    assert not any(word in p.text for p in places)


def test_a_title_is_no_word_of_a_name(nlp):
    text = "Dayton police said the boy was hurt. Dayton Sgt. Mark Smith said the case was open."
    places, _ = extract_places(nlp(text))
    assert any(p.text == "Dayton" and p.admin1 == "US-OH" for p in places)


def test_a_part_of_a_city_is_named_by_the_city(nlp):
    places, _ = extract_places(nlp("A man was shot in North Philadelphia on Tuesday night."))
    part = _by_text(places)["North Philadelphia"]
    assert (part.name, part.kind, part.admin1, part.geonames_id) == ("Philadelphia", "city", "US-PA", None)


def test_a_street_named_like_a_town_is_a_street(nlp):
    places, _ = extract_places(nlp("Shots were fired at Second Street and Bissell Avenue on Friday."))
    assert all(p.kind == "landmark" and p.country is None for p in places if "Street" in p.text)


def test_a_state_before_other_words_of_a_name(nlp):
    text = "It was held at the West Virginia State Economic Development Center.\n\nIt was late."
    places, _ = extract_places(nlp(text))
    assert not any(p.admin1 == "US-VA" for p in places)


def test_a_headline_is_no_person(nlp):
    text = "Houston Walgreens Man Shot\n\nA man who stopped at a store in northeast Houston was shot on Sunday."
    places, _ = extract_places(nlp(text))
    assert any(p.text == "Houston" and p.admin1 == "US-TX" for p in places)


def test_a_county_and_its_namesake_town_are_one_name():
    # "DeKalb" the town lies in one state's DeKalb County; that is no evidence for that county.
    res = _resolve(["DeKalb County", "DeKalb"], prefer_countries=["US"])
    assert res.entries[0].admin1 == "US-GA"


@pytest.mark.parametrize(
    "text",
    [
        "Police told WVTM 13 News that the boy was hurt.",
        "A friend wanted you to see this item from WRAL.com.",
        "He was charged with a felony and held on a $50,000 bond.",
    ],
)
def test_more_country_cues(text):
    assert country_cues(text).most_common(1)[0][0] == "US"


def test_a_country_lies_in_no_other_place(nlp):
    places, _ = extract_places(nlp("He reported on deals in Russia, U.S. officials said on Wednesday."))
    assert _by_text(places)["Russia"].kind == "country"


def test_cues_leave_world_cities_of_an_article_across_countries(nlp):
    text = ("The FBI said the former spy worked in Moscow, London and Paris for British intelligence, "
            "and later in Washington.")
    places, _ = extract_places(nlp(text))
    assert _by_text(places)["Paris"].country == "FR"


def test_a_county_jail_keeps_its_county(nlp):
    places, _ = extract_places(nlp("He is being held at the Black Hawk County jail on a theft charge."))
    assert _by_text(places)["Black Hawk County"].admin1 == "US-IA"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("One man was found dead at 40th and Grand on Sunday.", "Grand"),
        ("The crash happened at Meridian and Grace Streets on Sunday.", "Meridian"),
        ("Police were called to the area of Lake Mead and Jones boulevards.", "Jones"),
    ],
)
def test_crossing_streets_are_streets(nlp, text, word):
    places, _ = extract_places(nlp(text))
    assert all(p.kind == "landmark" and p.country is None for p in places if p.text == word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Paris Walker, of the south suburb, was ordered held without bail.", "Paris"),
        ('"Everybody was just running around," said Mary.', "Mary"),
        ("Her daughter, Mecca Canty, 21, was also hurt.", "Mecca"),
        ("He has long been called the Godfather of Soul.", "Soul"),
        ("Delta Flight 1088 left on time.", "Delta"),
    ],
)
def test_names_used_otherwise(nlp, text, word):
    places, _ = extract_places(nlp(text))
    assert not any(word in p.text for p in places)


@pytest.mark.parametrize(
    ("text", "surface", "country"),
    [
        ("Fighting continued in Paris on Sunday.", "Paris", "FR"),
        ("The Brooklyn District Attorney charged two men.", "Brooklyn", "US"),
        ("Officials in Georgia said the road was closed.", "Georgia", None),
    ],
)
def test_first_names_that_are_places_stay_places(nlp, text, surface, country):
    places, _ = extract_places(nlp(text))
    place = _by_text(places)[surface]
    assert place.country is not None
    if country:
        assert place.country == country


@pytest.mark.parametrize(("name", "admin1"), [("L.A.", "US-CA"), ("NYC", "US-NY")])
def test_city_short_names(name, admin1):
    assert place_candidates(name)[0].entry.admin1 == admin1


def test_la_nina_is_no_city():
    assert place_candidates("La") == [] or place_candidates("La")[0].entry.name != "Los Angeles"


def test_a_short_name_places_its_neighbour(nlp):
    places, _ = extract_places(nlp("Two men were shot in Pasadena on Friday, L.A. officials said."))
    assert _by_text(places)["Pasadena"].admin1 == "US-CA"


def test_a_small_division_is_no_likelier_than_a_large_town():
    # "Toledo" is also a district of Belize with some 16,000 people.
    assert place_candidates("Toledo")[0].entry.admin1 == "US-OH"
    assert place_candidates("Toledo", hint="admin1")[0].entry.admin1 == "BZ-TOL"
