"""Each event's own place and date, what it borrows from its incident, and the incidents of one article."""

from __future__ import annotations

import pytest

import factx

PUBLISHED = "2016-06-06"  # a Monday


def record(nlp, text: str, published: str | None = PUBLISHED):
    """Extract one text."""
    return factx.extract(text, published=published, nlp=nlp)


def first(rec, etype: str):
    """The first asserted event of a type."""
    return next(e for e in rec.events if e.type == etype and not e.negated)


class TestOwnPlace:
    def test_landmark_with_the_city_that_holds_it(self, nlp):
        text = "A bomb exploded at a mosque in Kabul on Friday."
        ev = first(record(nlp, text), "bombing")
        assert (ev.place["name"], ev.place["landmark"], ev.place["origin"]) == ("Kabul", "mosque", "clause")
        assert text[ev.place["start"]:ev.place["end"]] == ev.place["text"] == "a mosque in Kabul"

    def test_target_of_an_attack_is_where_it_happened(self, nlp):
        text = "The explosion targeted a bakery on a busy street in Lyon."
        ev = first(record(nlp, text), "explosion")
        assert ev.place["name"] == "Lyon" and ev.place["landmark"]

    def test_street_a_few_phrases_down(self, nlp):
        text = "A man was shot dead when he answered a knock at his door in Deerpark Road."
        ev = first(record(nlp, text), "kill")
        assert ev.place["landmark"] == "Deerpark Road"

    def test_area_word_points_back_to_the_place_named_before(self, nlp):
        text = "Belfast was tense on Friday. Later, gunmen opened fire in the city, killing two men."
        ev = first(record(nlp, text), "kill")
        assert (ev.place["name"], ev.place["text"]) == ("Belfast", "the city")

    def test_unknown_place_name_in_a_locative(self, nlp):
        text = "Fighters were killed in attacks in Badia al-Sukhnah, in eastern Syria."
        ev = first(record(nlp, text), "attack")
        assert "Badia al-Sukhnah" in ev.place["text"]

    def test_place_of_another_event_is_not_borrowed(self, nlp):
        text = "Two men were shot in Dallas on Sunday, a week after three people were killed in Houston."
        rec = record(nlp, text)
        assert first(rec, "injure").place["name"] == "Dallas"
        assert first(rec, "kill").place["name"] == "Houston"

    def test_a_place_called_a_neighbourhood_is_part_of_the_city(self, nlp):
        text = "CHICAGO -- A man was shot and killed Sunday in the South Shore neighborhood, police said."
        ev = first(record(nlp, text), "kill")
        assert (ev.place["name"], ev.place["landmark"]) == ("Chicago", "South Shore neighborhood")

    def test_a_neighbourhood_the_gazetteer_places_elsewhere(self, nlp):
        text = "CHICAGO -- A boy was shot to death Friday in the West Side Austin neighborhood, police said."
        ev = first(record(nlp, text), "kill")
        assert (ev.place["name"], ev.place["landmark"]) == ("Chicago", "West Side Austin neighborhood")

    def test_the_city_whose_police_tell_the_story(self, nlp):
        text = ("Boy, 17, shot to death in Austin\n\nA teenage boy was shot to death Friday morning in the West Side "
                "Austin neighborhood, according to Chicago Police.\n\nPolice said he died at the scene.")
        rec = record(nlp, text)
        assert {e.place["name"] for e in rec.events} == {"Chicago"}

    def test_neighbourhood_is_kept_as_the_landmark_of_its_city(self, nlp):
        text = "DALLAS -- A girl was shot in Southeast Dallas on Thursday, police said."
        ev = first(record(nlp, text), "injure")
        assert (ev.place["name"], ev.place["landmark"]) == ("Dallas", "Southeast Dallas")


class TestBorrowedPlace:
    def test_incident_place(self, nlp):
        text = "A gunman killed three people at a mall in Omaha on Saturday. Police arrested a suspect on Sunday."
        arrest = first(record(nlp, text), "arrest")
        assert (arrest.place["name"], arrest.place["origin"]) == ("Omaha", "incident")

    def test_dateline(self, nlp):
        text = "SPRINGFIELD, Ill. -- Two men were wounded early Sunday, police said."
        ev = first(record(nlp, text), "injure")
        assert (ev.place["name"], ev.place["origin"]) == ("Springfield", "dateline")

    def test_the_hospital_the_hurt_were_taken_to_places_nothing(self, nlp):
        text = ("PORTLAND, Ind. -- A boy was accidentally shot by a friend while hunting on Tuesday.\n\n"
                "He was taken to Parkview Hospital in Fort Wayne with non-life-threatening injuries.")
        rec = record(nlp, text)
        assert {e.place["name"] for e in rec.events if e.type == "injure"} == {"Portland"}

    def test_a_shooting_at_a_hospital_happened_there(self, nlp):
        ev = first(record(nlp, "A gunman opened fire at a hospital in Dallas on Monday, killing two nurses."),
                   "shooting")
        assert (ev.place["name"], ev.place["landmark"]) == ("Dallas", "hospital")

    def test_where_people_live_places_nothing(self, nlp):
        text = ("TULSA, Okla. -- Three burglars were shot dead Monday at a house on Elm Street.\n\n"
                "Michael Blair, 44, of Dayton, was charged in the shooting.")
        rec = record(nlp, text)
        assert {e.place["name"] for e in rec.events} == {"Tulsa"}

    def test_treated_in_two_towns(self, nlp):
        text = ("DUNKIRK, N.Y. -- A four-year-old shot himself on Sunday.\n\n"
                "The child suffered non-life threatening injuries and was treated at hospitals in Dunkirk and Buffalo.")
        rec = record(nlp, text)
        assert {e.place["name"] for e in rec.events} == {"Dunkirk"}

    def test_where_a_station_is_based_places_nothing(self, nlp):
        text = ("TOLEDO, Ohio -- A man was arrested early Sunday.\n\n"
                "Police told Cleveland-based WKYC that the man had killed two neighbours.")
        ev = first(record(nlp, text), "kill")
        assert ev.place["name"] == "Toledo"


class TestDates:
    def test_own_date_first(self, nlp):
        text = "A gunman killed three people at a mall in Omaha on Saturday. Police arrested a suspect on Sunday."
        rec = record(nlp, text)
        assert first(rec, "kill").date["value"] == "2016-06-04"
        assert (first(rec, "arrest").date["value"], first(rec, "arrest").date["origin"]) == ("2016-06-05", "clause")

    def test_legal_event_does_not_take_the_crime_date(self, nlp):
        text = ("A man was shot dead in Toledo on March 3, 2014. On Monday, his killer was sentenced to life "
                "in prison. The judge said he had shown no remorse.")
        rec = record(nlp, text)
        assert first(rec, "kill").date["value"] == "2014-03-03"
        assert first(rec, "sentence").date["value"] == "2016-06-06"

    def test_the_happening_began_on_its_earliest_day(self, nlp):
        text = ("A woman was shot on Dec. 12 in her apartment. She died on Monday, police said. Her daughter was "
                "also wounded.")
        rec = record(nlp, text, published="2016-12-22")
        assert first(rec, "kill").date["value"] == "2016-12-19"
        assert first(rec, "injure").date["value"] == "2016-12-12"

    def test_house_number_is_no_year(self, nlp):
        text = "The victim was shot in front of 3103 Foster Ave. on Sunday."
        ev = first(record(nlp, text, published="2017-01-22"), "injure")
        assert ev.date["value"] == "2017-01-22"


class TestIncidents:
    def test_counts_follow_the_text(self, nlp):
        text = ("Three people were killed and five wounded in a shooting in Dallas on Sunday. "
                "A fourth victim died on Monday.")
        rec = record(nlp, text)
        assert len(rec.incidents) == 1
        inc = rec.incidents[0]
        assert inc.counts["kill"]["value"] == 4 and len(inc.counts["kill"]["events"]) == 2
        assert inc.counts["injure"]["value"] == 5 and inc.types[0] == "shooting"

    def test_the_hurt_are_the_ones_who_lived(self, nlp):
        # Those shot include those who died of it; the incident's hurt are the rest.
        rec = record(nlp, "A man was shot on Friday night in Dayton, Ohio. He died later at a hospital.")
        counts = rec.incidents[0].counts
        assert counts["kill"]["value"] == 1
        assert counts["injure"]["value"] == 0 and counts["injure"]["total"] == 1
        rec = record(nlp, "Three people were shot on Friday in Dayton, Ohio. One man died and two were wounded.")
        counts = rec.incidents[0].counts
        assert (counts["kill"]["value"], counts["injure"]["value"]) == (1, 2)

    def test_figures_of_others_are_not_those_of_the_dead(self, nlp):
        rec = record(nlp, "A man was killed on Friday night in Dayton, Ohio. Another man was shot in the leg.")
        assert [e.type for e in rec.events] == ["kill", "injure"]
        counts = rec.incidents[0].counts
        assert (counts["kill"]["value"], counts["injure"]["value"]) == (1, 1)
        rec = record(nlp, "A woman was stabbed to death in Dayton, Ohio, on Friday. A man was wounded.")
        counts = rec.incidents[0].counts
        assert (counts["kill"]["value"], counts["injure"]["value"]) == (1, 1)

    def test_separate_incident(self, nlp):
        text = ("Two men were shot in Chicago on Sunday. In a separate incident, a woman was killed in Detroit "
                "on Saturday.")
        rec = record(nlp, text)
        assert len(rec.incidents) == 2
        assert {i.place["name"] for i in rec.incidents} == {"Chicago", "Detroit"}

    def test_headlines_under_a_related_label_are_other_stories(self, nlp):
        text = ("Three people were found dead Friday morning after a shooting in an apartment building in Fresno.\n\n"
                "Police said they had no suspects.\n\nRELATED:\n\nFamilies mourn victims of Bay Area limo fire\n")
        rec = record(nlp, text)
        fire = next(e for e in rec.events if e.type == "fire")
        kill = next(e for e in rec.events if e.type == "kill")
        assert fire.incident != kill.incident
        assert kill.place["name"] == "Fresno"

    def test_each_event_names_its_incident(self, nlp):
        text = "Police arrested 12 protesters in Paris on Monday. Two officers were injured."
        rec = record(nlp, text)
        ids = {i.id for i in rec.incidents}
        assert all(e.incident in ids for e in rec.events if not e.negated)


class TestTitle:
    def test_a_text_without_events_has_its_title_read(self, nlp):
        title = "Teenager shot and killed in Dayton"
        rec = factx.extract("Police are looking for witnesses.\n\nSign up for our newsletter.", title=title,
                            published=PUBLISHED, nlp=nlp)
        ev = first(rec, "kill")
        assert ev.part == "title" and title[ev.trigger.start:ev.trigger.end] == ev.trigger.text
        assert ev.place["name"] == "Dayton" and ev.place["ref"] is None and ev.place["origin"] == "clause"
        assert rec.incidents and rec.incidents[0].counts["kill"]["value"] == 1

    def test_the_title_takes_the_place_of_the_dateline(self, nlp):
        rec = factx.extract("DAYTON, Ohio — Police are looking for witnesses.",
                            title="Man stabbed to death at bus stop", published=PUBLISHED, nlp=nlp)
        ev = first(rec, "kill")
        assert ev.part == "title" and ev.place["origin"] == "dateline"
        assert ev.place["ref"] == "places[0]" and rec.places[0].name == "Dayton"

    def test_the_text_tells_what_it_tells_and_the_title_adds_the_rest(self, nlp):
        rec = factx.extract("A man was killed in Dayton on Sunday, police said.", title="Man shot dead in Dayton",
                            published=PUBLISHED, nlp=nlp)
        assert [(e.type, e.part) for e in rec.events] == [("kill", "text")]
        rec = factx.extract("DAYTON, Ohio — Police arrested a 19-year-old man on Sunday.",
                            title="Man shot dead outside Dayton bar", published=PUBLISHED, nlp=nlp)
        assert [(e.id, e.type, e.part, e.incident) for e in rec.events] == [
            ("e1", "arrest", "text", "i1"), ("e2", "kill", "title", "i1")]
        inc = rec.incidents[0]
        assert inc.counts["kill"]["value"] == 1 and inc.date["ref"] == "dates[0]"

    def test_a_title_without_events_adds_nothing(self, nlp):
        rec = factx.extract("Markets were calm on Monday.", title="Stocks steady", published=PUBLISHED, nlp=nlp)
        assert rec.events == []

    @pytest.mark.parametrize(("title", "etype"), [
        ("Man fatally stabbed in Dayton", "kill"),  # a capitalized first word, an adverb before the participle
        ("Woman killed in crash on Interstate 75", "kill"),  # "on" further on tells where, not a target
        ("Man stabbed to death at bus stop", "kill"),
        ("Teen shot outside school", "injure"),
        ("Boy, 3, wounded in accidental shooting", "injure"),  # an age, not three boys
    ])
    def test_headline_participles_are_passive(self, nlp, title, etype):
        rec = factx.extract("DAYTON, Ohio — Police are looking for witnesses.", title=title, published=PUBLISHED,
                            nlp=nlp)
        ev = first(rec, etype)
        assert ev.part == "title" and ev.count["value"] == 1 and ev.place["name"] == "Dayton"

    def test_a_headline_verb_with_its_target_is_active(self, nlp):
        rec = factx.extract("Police are looking for witnesses.", title="Man shot at police officers",
                            published=PUBLISHED, nlp=nlp)
        assert not [e for e in rec.events if e.type in ("kill", "injure")]

    @pytest.mark.parametrize(("title", "etype"), [
        ("4 shot near Bessemer, one dead", "kill"),
        ("Alleged gang member was target, but 2-year-old was shot", "injure"),
    ])
    def test_a_title_is_read_as_the_sentence_it_stands_for(self, nlp, title, etype):
        rec = factx.extract("Police are looking for witnesses.", title=title, published=PUBLISHED, nlp=nlp)
        assert first(rec, etype).sentence["end"] <= len(title)


class TestDatesThatAreNoEventDates:
    @pytest.mark.parametrize("text", [
        "Police arrested Mauricio Martinez (04/05/88) after a stabbing at a bar.",
        "Police arrested John Smith, DOB 04/05/1988, after a stabbing at a bar.",
    ])
    def test_a_date_of_birth_dates_nothing(self, nlp, text):
        rec = record(nlp, text, published="2017-04-03")
        assert rec.events and all(not (e.date or {}).get("value", "").startswith("1988") for e in rec.events)

    def test_a_weekday_with_its_date_in_brackets_still_dates(self, nlp):
        rec = record(nlp, "A man was stabbed at a bar on Saturday (April 1), police said.", published="2017-04-03")
        assert first(rec, "injure").date["value"] == "2017-04-01"

    @pytest.mark.parametrize("text", ["A man, 20, died after a fall from a roof.", "The fall of the city was swift."])
    def test_a_fall_is_no_season(self, nlp, text):
        assert not [d for d in record(nlp, text).dates if d.value.endswith("FA")]

    @pytest.mark.parametrize(("text", "value"), [("The school will open in the fall.", "2016-FA"),
                                                   ("Elections are due in early spring.", "2016-SP")])
    def test_a_season_after_a_preposition(self, nlp, text, value):
        assert [d.value for d in record(nlp, text).dates] == [value]

    def test_the_day_of_an_arrest_does_not_date_the_happening(self, nlp):
        text = "Two teens were arrested Wednesday. Police said a 20-year-old man had died at a hospital."
        rec = record(nlp, text, published="2016-02-26")
        assert first(rec, "arrest").date["value"] == "2016-02-24"
        assert first(rec, "kill").date["origin"] == "published"
