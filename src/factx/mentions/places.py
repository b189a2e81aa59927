"""Place mentions in a parsed article: find the names, then resolve them together.

Recognition starts from all-caps datelines ("TOONE, Tenn. --" even for a town the gazetteer
lacks, "STOCKTON-", "ST. LOUIS (KMOV.com) --") and spaCy's GPE, LOC and FAC entities and NORP
nationality words, then adds what the small model misses: names the gazetteer knows well
(countries, first-level divisions, large cities, demonyms) outside entities or embedded in an
organisation's name, any town the words around show to be a place (its office: "Toledo police",
"the Greenwood County Sheriff's Office"; its people or its buildings after "a" or an age: "a
Medford man", "a Zanesville bar"; "the village of Mohawk", "Jody Herring, 40, of Barre Town",
"in Brooksville"), and US state abbreviations after a town ("Hawthorne, Calif.").  The cue words
are data (``places_rules.json``).  "Leshan, Sichuan" is split into a town and its container, and a
following "province"/"state" says which kind of place is meant.  A landmark named after its town
("Grand Junction High School") is placed in that town.  A town name used as a street ("Hearne
Avenue", "the 3700 block of Hearne", "40th and Grand") is a landmark, never the town; a name used
as a person's ("Sheriff Rushing", "Aurora, 8, was killed", "Chad Dermyer") or a brand's ("a Toyota
Camry") is no place.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator, Sequence

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.symbols import ADJ, CARDINAL, DATE, MONEY, NOUN, ORDINAL, PERCENT, PROPN, QUANTITY, TIME

from ..models import Focus, PlaceMention
from ..normalize.gazetteer import load_gazetteer, name_key
from ..normalize.places import (
    DIRECTIONS,
    PlaceRules,
    Query,
    abbreviation_admin1,
    demonym_candidates,
    load_rules,
    place_candidates,
    resolve_places,
)
from .tokens import TokenTable, token_table

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entity labels whose text may hide a place name ("Syrian Observatory", "University of Iowa").
EMBEDDING_LABELS = frozenset({"ORG", "PERSON", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "NORP", "FAC", "MONEY"})
LEADING_WORDS = frozenset({"the", "The", "THE"})
POSSESSIVES = frozenset({"'s", "\u2019s", "'", "\u2019"})
DATELINE_DASHES = ("\u2014", "\u2013", "-", "(", "\ufffd", ":", ">")
MAX_NGRAM = 4
# "the capital of China", "the territory of Georgia": the word does not name the kind of the place after "of".
LOOSE_OF_WORDS = frozenset({"capital", "territory", "region", "district", "parish"})
REGION_KINDS = ("admin1", "country", "admin2")
LIST_JOINERS = frozenset({",", "and", "or", ", and", ", or", "&", "/"})
DEMONYM_FOCUS_WEIGHT = 0.5
# Outside entities, a town is taken only when it is this large: smaller names are too
# often people or common words.
GAP_CITY_POPULATION = 1_000_000
EMBEDDED_CITY_POPULATION = 1_000_000
WHOLE_ORG_CITY_POPULATION = 50_000
WHOLE_PERSON_CITY_POPULATION = 10_000
AT_WORDS = frozenset("at in near outside inside into from to behind opposite".split())
LOCATIVE_WORDS = frozenset(
    "in at near from to into outside inside across through toward towards via around between of".split()
)
# "a Medford man", "a 14-year-old Peoria boy": what comes before a name that modifies a noun.
MODIFIER_BEFORE = re.compile(r"(?:\b(?:a|an|another)\s+|\b\d+-(?:year|month|week|day)-old\s+)$", re.I)
# "Aurora, 8, was killed", "Mecca Canty, 21,": an age after a name, or after it and a surname, makes it a person.
AGE_AFTER = re.compile(r"(?:\s+[A-Z][\w'\u2019-]+)?\s*,\s*\d{1,3}\s*,")
# "Jody Herring, 40, of Barre Town": the place a person is from.
RESIDENCE_BEFORE = re.compile(r",\s*\d{1,3}\s*,\s*(?:of|from)\s+$")
# A town in a landmark's name ("Grand Junction High School") is read as the landmark's town only when it is this large.
BUILDING_TOWN_POPULATION = 10_000
# Entity labels of words that are no place names ("March residents", "a Christmas market").
NOT_NAME_ENTS = frozenset({DATE, TIME, CARDINAL, ORDINAL, MONEY, PERCENT, QUANTITY})
# The tagger reads a town used as a modifier ("Bellflower barbershop") as an adjective, an unknown one as a noun.
NAME_POS = frozenset({PROPN, ADJ, NOUN})
# "in Brooksville": after these words a name the gazetteer knows as a town of this size is taken.
IN_WORDS = frozenset("in near outside inside around throughout".split())
IN_CITY_POPULATION = 5_000
# The words a name follows in the frames that make it a place: "village of", "man from", "in (north)".
BEFORE_NAME_WORDS = frozenset({"of", "from"}) | IN_WORDS | DIRECTIONS
# "said Mary.": a name after these verbs and before punctuation is the speaker.
SPEECH_VERBS = frozenset("said says told asked added wrote".split())
# Former and foreign names this short collide with words and first names ("Soul", "Levi", "Jada").
SHORT_ALTERNATE = 5
# Tokens joining the words of one name: "St. Louis", "Winston-Salem".
NAME_JOINERS = frozenset({"-", "."})


@dataclass(slots=True)
class PlaceSpan:
    """A place name found in the text, before resolution."""

    start: int  # character offsets into the article
    end: int
    name: str
    demonym: bool = False
    hint: str | None = None
    label: str = "GPE"
    container: int | None = None
    weight: float = 1.0
    sentence: int = 0
    locative: bool = False
    peers: tuple[int, ...] = ()  # indexes of the places listed with this one
    street: bool = False  # a street named after a town ("Hearne Avenue"): never resolved as the town
    local: bool = False  # named with a town's office ("Toledo police"): a town or a county
    town: str | None = None  # the town a landmark is named after ("Grand Junction High School")


def extract_places(doc: Doc, *, prefer_countries: Sequence[str] = ()) -> tuple[list[PlaceMention], Focus]:
    """Find, resolve and disambiguate the places in ``doc``; return them sorted by start, and the document focus.

    Args:
        doc: a parsed article (the text as read, so offsets index the article).
        prefer_countries: ISO 3166-1 alpha-2 codes to favour when a name is ambiguous.

    Returns:
        The place mentions by start offset, and the country/region the article is about.

    Example:
        >>> places, focus = extract_places(nlp("Police in Leshan, Sichuan arrested two."))
        >>> places[0].admin1, focus.country
        ('CN-SC', 'CN')
    """
    table = token_table(doc)
    found = _find_place_spans(doc, table)
    queries = [
        Query(
            # A street has no gazetteer reading; an empty name has no candidates.
            "" if f.street else f.town or f.name,
            demonym=f.demonym,
            hint=f.hint,
            container=f.container,
            peers=f.peers,
            # "Syrian refugees in Canada": a nationality often names the other party.
            weight=f.weight * (DEMONYM_FOCUS_WEIGHT if f.demonym else 1.0),
            sentence=f.sentence,
            # A landmark's town is a town.
            local=f.local or f.town is not None,
        )
        for f in found
    ]
    text = table.text
    res = resolve_places(queries, prefer_countries=prefer_countries, text=text)
    rules = load_rules()
    places: list[PlaceMention] = []
    for f, entry in zip(found, res.entries):
        if f.town is not None:
            # The landmark lies in the town it is named after: it takes the town's place, not its name.
            where = (entry.country, entry.admin1, entry.lat, entry.lon) if entry is not None else ()
            places.append(PlaceMention(text[f.start : f.end], f.start, f.end, f.name, "landmark", *where))
            continue
        if entry is None:
            last = f.name.split()[-1].casefold() if f.name.split() else ""
            kind = "landmark" if f.label == "FAC" or last in rules.landmark_words else None
            # An unknown name the model calls a GPE is often a person; keep it only when
            # the text treats it as a place.
            if kind is None and f.label in ("GPE", "LOC") and not f.locative:
                continue
            places.append(PlaceMention(text[f.start : f.end], f.start, f.end, f.name, kind))
            continue
        places.append(
            PlaceMention(
                text[f.start : f.end],
                f.start,
                f.end,
                entry.name,
                "demonym" if f.demonym else entry.kind,
                entry.country,
                entry.admin1,
                entry.lat,
                entry.lon,
                entry.geonames_id,
            )
        )
    gaz = load_gazetteer()
    focus_entry = gaz.admin1(res.focus_admin1) if res.focus_admin1 else gaz.country(res.focus_country)
    focus_name = focus_entry.name if focus_entry else None
    order = sorted(range(len(places)), key=lambda i: (places[i].start, places[i].end))
    return [places[i] for i in order], Focus(res.focus_country, res.focus_admin1, focus_name)


def find_place_spans(doc: Doc) -> list[PlaceSpan]:
    """Return the place and demonym spans of ``doc`` (not yet resolved), in text order."""
    return _find_place_spans(doc, token_table(doc))


def _find_place_spans(doc: Doc, table: TokenTable) -> list[PlaceSpan]:
    rules = load_rules()
    taken = [False] * len(doc)
    found: list[PlaceSpan] = []
    text = table.text
    ents = doc.ents
    persons = _person_words(ents, table, rules)

    def claim_tokens(start: int, end: int, name: str | None = None, **kw) -> None:
        start_char, end_char = table.idx[start], table.end_char(end - 1)
        span_text = text[start_char:end_char]
        # "US$3,250", "HK$": a currency prefix, not a place.
        if span_text.endswith("$") or text[end_char : end_char + 1] == "$":
            return
        for i in range(start, end):
            taken[i] = True
        found.append(PlaceSpan(start_char, end_char, name or span_text, **kw))

    def claim(span: Span, name: str | None = None, **kw) -> None:
        claim_tokens(span.start, span.end, name, **kw)

    # A dateline first: the model often splits it ("ST" and "LOUIS") or runs it into the text.
    for start, end, end_char in _datelines(table, taken):
        for k in range(start, end):
            taken[k] = True
        found.append(PlaceSpan(table.idx[start], end_char, text[table.idx[start] : end_char], label="GPE",
                               locative=True))
    for ent in ents:
        if ent.label_ in PLACE_LABELS:
            for part, hint in _split_place(ent, rules, table, taken):
                if name_key(part.text) in rules.stop_names:
                    continue
                if not place_candidates(part.text) and demonym_candidates(part.text):
                    claim(part, demonym=True, label="NORP")
                    continue
                # "Jordan" where the article also names "Jordan Peterson" (unless the text puts something
                # in it), "Aurora, 8,", "Sheriff Rushing"
                placed = _placed(table, part.start, part.end, rules)
                if ent.label_ in ("GPE", "LOC") and _person_use(table, part.start, part.end, persons, rules,
                                                                placed=placed):
                    continue
                if ent.label_ == "GPE" and not placed and _first_name(table, part.start, part.end, rules):
                    continue  # "Paris Walker", "said Mary": a first name the model took for a place
                if ent.label_ == "FAC" and _person_landmark(table, part, persons, rules):
                    continue  # "Regina Herring": a person the model took for a building
                if _street_after(part, rules):
                    # "Hearne Avenue": the model stopped before the street word.
                    claim(doc[part.start : part.end + 1], label="FAC", street=True)
                    continue
                name = None
                if hint is None and part.start > 1 and doc[part.start - 1].text == ",":
                    # "Alexandria, LA", "Cooper County, Mo": a state code after a town
                    code = abbreviation_admin1(part.text, postal=True, bare=_bare_ok(part))
                    if code and doc[part.start - 2].text[:1].isupper():
                        hint = "admin1"
                        if not abbreviation_admin1(part.text, postal=True):
                            name = part.text + "."
                town = _landmark_town(table, part.start, part.end, persons, rules) if ent.label_ == "FAC" else None
                claim(part, name, hint=hint, label=ent.label_, town=town,
                      locative=_locative(part, lists=False) or hint is not None,
                      local=bool(_phrase_at(table.lowers, _chain_end(table, part.end), rules.local_cues)))
        elif ent.label_ in ("NORP", "LANGUAGE"):
            span = _trim(ent, table)
            if span is None:
                continue
            if demonym_candidates(span.text):
                claim(span, demonym=True, label="NORP")
            elif _strong(span.text):
                claim(span, label="GPE")
    # Names inside other entities and outside every entity.
    scan_ents = []
    for ent in ents:
        if ent.label_ in EMBEDDING_LABELS and not any(taken[ent.start : ent.end]):
            whole = _trim(ent, table)
            if whole is not None and _whole_place(whole, persons, table):
                claim(whole, label="GPE")
                continue
            if whole is not None and ent.label_ in ("ORG", "FAC") and len(whole) > 1:
                last = whole[-1].lower_
                town = (_landmark_town(table, whole.start, whole.end, persons, rules)
                        if last in rules.landmark_words else None)
                if last in rules.feature_words or (last in rules.landmark_words and (town or _at_place(ent))):
                    # "Royal Street", "Lake Manassas": a street or a natural feature whatever the model
                    # says; a building ("... Hospital") where the text puts something at it or where
                    # its name says its town ("Grand Junction High School").
                    claim(whole, label="FAC", town=town)
                    continue
            scan_ents.append(ent)
    for start, end, local in _cue_names(table, taken, persons, rules):
        if not any(taken[start:end]):
            claim_tokens(start, end, label="GPE", locative=True, local=local)
    for ent in scan_ents:
        for start, end, demonym in _scan(table, ent.start, ent.end, EMBEDDED_CITY_POPULATION, taken):
            if ent.label_ == "PERSON" and not demonym and _in_name(table, ent.start, start, end, rules):
                continue
            if _vehicle(table, start, end, rules) or (
                # "Paris Walker": a first name and a surname the model took for an organisation
                len(ent) == 2 and start == ent.start and _first_name(table, start, end, rules)
            ):
                continue
            claim_tokens(start, end, demonym=demonym, label="GPE")
    n = len(doc)
    ent_types = table.ent
    i = 0
    while i < n:
        if taken[i] or ent_types[i]:
            i += 1
            continue
        j = i
        while j < n and not taken[j] and not ent_types[j]:
            j += 1
        for start, end, demonym in _scan(table, i, j, GAP_CITY_POPULATION, taken):
            claim_tokens(start, end, demonym=demonym, label="GPE")
        for start, end in _streets(table, i, j, taken):
            claim_tokens(start, end, label="FAC")
        i = j
    found.extend(_abbreviations(table, taken))
    found.sort(key=lambda f: (f.start, f.end))
    _mark_streets(text, found, rules)
    _link_containers(text, found)
    _link_lists(text, found)
    _mark_dateline(text, found)
    sent_starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
    for f in found:
        f.sentence = max(bisect_right(sent_starts, f.start) - 1, 0)
    return found


def _trim(span: Span, table: TokenTable) -> Span | None:
    """Drop leading articles and lowercase words ("the", "northern"), a trailing possessive and punctuation."""
    start, end = span.start, span.end
    texts, punct = table.texts, table.punct
    while start < end and (texts[start] in LEADING_WORDS or punct[start] or texts[start][:1].islower()):
        start += 1
    # A final period may belong to an abbreviation ("Calif.", "D.C."), so it stays.
    while end > start and ((punct[end - 1] and texts[end - 1] != ".") or texts[end - 1] in POSSESSIVES):
        end -= 1
    if end - start == 1 and texts[start] == ".":
        return None
    return span.doc[start:end] if end > start else None


def _split_place(ent: Span, rules: PlaceRules, table: TokenTable, taken: list[bool]) -> list[tuple[Span, str | None]]:
    """Split "Leshan, Sichuan" into its parts; read a trailing "province" as a kind hint.

    Tokens already taken (a dateline) and a town's office the model ran into the name ("The Wilson
    County Sheriff") are left out.
    """
    start, end = ent.start, ent.end
    while start < end and taken[start]:
        start += 1
    while end > start and taken[end - 1]:
        end -= 1
    for k in range(start + 1, end):
        # Not in a name that holds a cue word ("Kansas City police").
        if _phrase_at(table.lowers, k, rules.local_cues) and table.texts[k - 1][:1].isupper() and not (
            place_candidates(table.span_text(start, end))
        ):
            end = k
            break
    if end <= start:
        return []
    span = _trim(ent.doc[start:end], table)
    if span is None:
        return []
    doc = ent.doc
    if "," in span.text and place_candidates(span.text):
        return [(span, None)]  # "Washington, D.C." is one name
    parts: list[Span] = []
    start = span.start
    for t in span:
        # "SAN ANTONIO - New police documents": a dateline's dash ends the place.
        if t.text == "," or (t.text in DATELINE_DASHES and t.i > 0 and doc[t.i - 1].whitespace_):
            if t.i > start:
                parts.append(doc[start : t.i])
            start = t.i + 1
    if start < span.end:
        parts.append(doc[start : span.end])
    out = []
    for part in _hyphen_parts(parts, table):
        part = _trim(part, table)
        if part is None:
            continue
        hint = None
        last = part[-1]
        if len(part) > 1 and last.text.islower() and last.text in rules.division_words:
            hint = rules.division_words[last.text]
            part = part[:-1]
        elif part.end < len(doc) and doc[part.end].text.islower() and doc[part.end].text in rules.division_words:
            hint = rules.division_words[doc[part.end].text]
        elif (
            part.start >= 2
            and doc[part.start - 1].lower_ == "of"
            and doc[part.start - 2].text in rules.division_words
            and doc[part.start - 2].text not in LOOSE_OF_WORDS
        ):
            # "the state of Washington", "the province of Sichuan"
            hint = rules.division_words[doc[part.start - 2].text]
        out.append((part, hint))
    return out


@lru_cache(maxsize=64)
def _first_words(phrases: frozenset[tuple[str, ...]]) -> frozenset[str]:
    """The first words of ``phrases``."""
    return frozenset(p[0] for p in phrases if p)


def _phrase_at(lowers: list[str], k: int, phrases: frozenset[tuple[str, ...]]) -> int:
    """Return the length of the longest phrase of ``phrases`` that starts at token ``k`` (0 for none)."""
    if k >= len(lowers) or lowers[k] not in _first_words(phrases):
        return 0
    for n in (4, 3, 2, 1):
        if k + n <= len(lowers) and tuple(lowers[k : k + n]) in phrases:
            return n
    return 0


def _known(text: str, *, min_city: int = 0) -> bool:
    """Return whether ``text`` has a gazetteer reading (a town only from ``min_city`` people up)."""
    key = name_key(text)
    rules = load_rules()
    if not key or key in rules.stop_names or key in rules.unrecognized_regions or demonym_candidates(text):
        return False  # a nationality ("a German-Iraqi boy") is read as a demonym where the model finds it
    cands = place_candidates(text)
    if not cands:
        return False
    return min_city == 0 or any(c.entry.kind != "city" or c.entry.population >= min_city for c in cands)


def _name_tokens(table: TokenTable, i: int, taken: list[bool]) -> bool:
    """Return whether token ``i`` can be a word of a place name: a free proper noun, not a date ("March")."""
    word = table.texts[i]
    return (not taken[i] and word[:1].isupper() and word not in LEADING_WORDS
            and (table.alpha[i] or word.endswith(".")) and table.pos[i] in NAME_POS
            and table.lowers[i] not in STOP_WORDS and table.ent[i] not in NOT_NAME_ENTS
            # "UN police", "EU residents": an acronym is an organisation.
            and not (word.isupper() and len(word) <= 3))


def _glued(table: TokenTable, i: int) -> bool:
    """Return whether token ``i`` is a joiner with no space on either side ("Winston-Salem", "St.Louis")."""
    if table.texts[i] not in NAME_JOINERS or i == 0:
        return False
    start = table.idx[i]
    return table.end_char(i - 1) == start and table.idx[i + 1] == start + 1 if i + 1 < len(table.idx) else False


def _names_before(table: TokenTable, k: int, taken: list[bool], *, lo: int = 0, min_city: int = 0,
                  whole: bool = False) -> list[tuple[int, int]]:
    """Return the place names that end right before token ``k``, from token ``lo`` on.

    The longest known name wins ("Grand Junction", not "Junction"), and with ``whole`` only the
    whole run of capitalised words counts ("Glenrock State Conservation Area" is no "Conservation");
    hyphenated names are read whole ("Winston-Salem") or, when the whole is unknown, as places
    joined ("Savannah-Chatham" gives both).
    """
    first = k
    while first > lo and k - first < 2 * MAX_NGRAM and (
        _name_tokens(table, first - 1, taken) or (table.texts[first - 1] == "-" and _glued(table, first - 1))
    ):
        first -= 1
    while first < k and table.texts[first] == "-":
        first += 1
    if first >= k:
        return []
    if _known(table.span_text(first, k), min_city=min_city):
        return [(first, k)]
    out: list[tuple[int, int]] = []
    end = k
    while end > first:
        group = end
        while group > first and table.texts[group - 1] != "-":
            group -= 1
        for start in range(max(group, end - MAX_NGRAM), group + 1 if whole else end):
            if _known(table.span_text(start, end), min_city=min_city):
                out.append((start, end))
                break
        end = group - 1
    return sorted(out)


def _name_after(table: TokenTable, k: int, taken: list[bool], *, min_city: int = 0) -> tuple[int, int] | None:
    """Return the run of capitalised words from token ``k`` when it is a known place name ("of Crab Orchard,")."""
    n = len(table.texts)
    last = k
    while last < n and last - k < MAX_NGRAM and _name_tokens(table, last, taken):
        last += 1
    # Not the start of a longer name ("of Dayton Children's"): the name must end where the capitals do.
    if last == k or (last < n and table.texts[last][:1].isupper() and not table.punct[last]):
        return None
    return (k, last) if _known(table.span_text(k, last), min_city=min_city) else None


def _cue_names(table: TokenTable, taken: list[bool], persons: list[tuple[int, int, int, set[str]]],
               rules: PlaceRules) -> Iterator[tuple[int, int, bool]]:
    """Yield (start, end, local) for names the words around show to be places.

    After a name: a town's office ("Toledo police", "the Elmira Police Department"), its people or
    its area ("Flint residents", "the Atwater area"); a building noun or a person after "a" or an age
    ("a Medford man", "a 14-year-old Peoria boy", "a Zanesville bar"). Before it: "the village
    of", or a person and "of" ("Jody Herring, 40, of Barre Town", "James Blazier of Brookhaven").
    """
    texts, lowers, text = table.texts, table.lowers, table.text
    n = len(texts)
    person_ends = {e for _, e, _, _ in persons}
    # Most tokens start no cue: a set test first keeps the scan cheap.
    after_first = _first_words(rules.local_cues) | _first_words(rules.building_words) | _first_words(rules.place_cues)
    before_last = BEFORE_NAME_WORDS
    after_any = after_first | rules.modifier_nouns
    spots = {k for k, w in enumerate(lowers) if w in after_any}
    spots.update(k + 1 for k, w in enumerate(lowers) if w in before_last)
    for k in sorted(spots):
        if k < 1 or k >= n:
            continue
        word = texts[k - 1]
        low = lowers[k]
        if (low in after_first or low in rules.modifier_nouns) and word[:1].isupper() and not taken[k - 1]:
            local = bool(_phrase_at(lowers, k, rules.local_cues))
            building = not local and bool(_phrase_at(lowers, k, rules.building_words))
            if local or building or _phrase_at(lowers, k, rules.place_cues):
                # An office may be named by the last words of a longer name ("Metro Nashville Police");
                # "the Atwater area", "Flint residents" need the whole name.
                for start, end in _names_before(table, k, taken, whole=not (local or building),
                                                min_city=BUILDING_TOWN_POPULATION if building else 0):
                    if building and name_key(table.span_text(start, end)) in rules.namesakes:
                        continue
                    if not _person_use(table, start, end, persons, rules, placed=local):
                        yield start, end, local or building
            elif texts[k].islower() and lowers[k] in rules.modifier_nouns:
                for start, end in _names_before(table, k, taken, whole=True):
                    # "The Wichita Falls man": after "the" only a name of several words ("the Smith family").
                    before = MODIFIER_BEFORE.search(text, 0, table.idx[start]) or (
                        end - start > 1 and start > 0 and lowers[start - 1] == "the"
                    )
                    if before and not _person_use(table, start, end, persons, rules):
                        yield start, end, False
        if lowers[k - 1] not in before_last or not texts[k][:1].isupper() or taken[k]:
            continue
        if (k >= 2 and _phrase_at(lowers, k - 2, rules.before_cues) == 2) or (
            lowers[k - 1] in ("of", "from")
            and (k - 1 in person_ends or (texts[k - 2] == "," and k - 2 in person_ends)
                 or RESIDENCE_BEFORE.search(text, 0, table.idx[k]))
        ) or (
            # "a 73-year-old man from Cloquet"; not "the son of David"
            lowers[k - 1] == "from" and k >= 2 and lowers[k - 2] in rules.modifier_nouns
        ):
            hit = _name_after(table, k, taken)
        elif _after_in(table, k):
            # "in Brooksville", "in north Wichita": a town the model missed or took for an organisation;
            # any town where its state follows ("in Bean Station, Tennessee").
            hit = _name_after(table, k, taken, min_city=IN_CITY_POPULATION)
            if hit is None:
                hit = _name_after(table, k, taken)
                if hit is not None and not _state_after(table, hit[1]):
                    hit = None
            # "in St Patrick's", "in Lincoln's speech": a possessive is mostly a building's or a person's.
            if hit is not None and hit[1] < len(texts) and texts[hit[1]] in POSSESSIVES:
                hit = None
        else:
            continue
        if hit is not None and not _person_use(table, hit[0], hit[1], persons, rules,
                                               placed=_placed(table, hit[0], hit[1], rules)):
            yield hit[0], hit[1], False


def _state_after(table: TokenTable, k: int) -> bool:
    """Return whether ", <state>" starts at token ``k`` ("Bean Station, Tennessee", "Bean Station, Tenn.")."""
    texts = table.texts
    if k + 1 >= len(texts) or texts[k] != ",":
        return False
    for n in (2, 1):
        if k + 1 + n <= len(texts):
            name = table.span_text(k + 1, k + 1 + n)
            if abbreviation_admin1(name) or any(c.entry.kind == "admin1" for c in place_candidates(name)[:1]):
                return True
    return _state_follows(texts, k)


def _after_in(table: TokenTable, start: int) -> bool:
    """Return whether "in", "near" or the like, and maybe a direction ("in northeast"), come right before ``start``."""
    lowers = table.lowers
    k = start - 1
    if k >= 0 and lowers[k] in DIRECTIONS:
        k -= 1
    return k >= 0 and lowers[k] in IN_WORDS


def _placed(table: TokenTable, start: int, end: int, rules: PlaceRules) -> bool:
    """Return whether the text treats tokens ``start:end`` as a place: "in (northeast) X", "X police"."""
    return _after_in(table, start) or bool(_phrase_at(table.lowers, _chain_end(table, end), rules.local_cues))


def _person_use(table: TokenTable, start: int, end: int, persons: list[tuple[int, int, int, set[str]]],
                rules: PlaceRules, *, placed: bool = False) -> bool:
    """Return whether the name at tokens ``start:end`` is used as a person's (or a car's).

    After a title, even with a first name between ("Sheriff Rushing", "Lt. Jeff Crisp"), before an
    age ("Aurora, 8, was killed"), or as a word of a longer PERSON entity elsewhere ("Jordan" and
    "Scott Jordan"); a brand or a car's model ("Toyota Camry", "Dodge Durango", "Delta Flight").
    """
    texts = table.texts
    i = start - 1
    skipped = 0
    while i >= 0 and skipped < 2 and texts[i][:1].isupper() and table.alpha[i] and (
        texts[i].casefold() not in rules.person_titles
    ):
        i -= 1
        skipped += 1
    if i >= 0 and texts[i] == "." and i > 0:
        i -= 1
    if i >= 0 and texts[i].casefold().rstrip(".") in rules.person_titles and texts[i][:1].isupper():
        return True
    if _vehicle(table, start, end, rules):
        return True
    if AGE_AFTER.match(table.text, table.end_char(end - 1)) and not (
        start > 0 and table.lowers[start - 1] in LOCATIVE_WORDS
    ):
        return True
    return not placed and end - start == 1 and _elsewhere(start, end, set(table.lowers[start:end]), persons)


def _in_name(table: TokenTable, first: int, start: int, end: int, rules: PlaceRules) -> bool:
    """Return whether a place name inside a PERSON entity is a word of a person's name.

    A first name that is also a place ("Chad Dermyer", "Victoria Whitehurst") or a word after another
    capitalised word ("Scott Jordan") is; "Azerbaijani", "New Brunswick RCMP" are not.
    """
    if name_key(table.span_text(start, end)) in rules.given_names:
        return True
    prev = table.texts[start - 1] if start > first else ""
    return prev[:1].isupper() and prev.isalpha() and not prev.isupper()


def _first_name(table: TokenTable, start: int, end: int, rules: PlaceRules) -> bool:
    """Return whether a name that is mostly a person's stands as one: before a surname or after "said"."""
    if end - start != 1 or name_key(table.texts[start]) not in rules.first_names:
        return False
    texts = table.texts
    nxt = texts[end] if end < len(texts) else ""
    low = nxt.casefold()
    # A surname may be a small town's name too ("Walker"), not a well-known place's.
    if (nxt[:1].isupper() and nxt.isalpha() and not nxt.isupper() and not _strong(nxt, WHOLE_ORG_CITY_POPULATION)
            and low not in rules.division_words and low not in rules.landmark_words
            and not _phrase_at(table.lowers, end, rules.local_cues)):
        return True  # "Paris Walker"; not "Paris Police", "Georgia State"
    return start > 0 and table.lowers[start - 1] in SPEECH_VERBS and (not nxt or table.punct[end])


def _vehicle(table: TokenTable, start: int, end: int, rules: PlaceRules) -> bool:
    """Return whether tokens ``start:end`` name a brand ("Toyota Camry", "Delta Flight 1088", "Dodge Durango").

    A make or an airline before a model or another capitalised word, or a model after a make.
    """
    texts = table.texts
    if start > 0 and name_key(texts[start - 1]) in rules.brand_names:
        return True
    if name_key(table.span_text(start, end)) not in rules.brand_names or end >= len(texts):
        return False
    nxt = texts[end]
    return nxt[:1].isupper() or (nxt[:1].isdigit() and not table.punct[end] and nxt.isalnum() and not nxt.isdigit())


def _person_landmark(table: TokenTable, part: Span, persons: list[tuple[int, int, int, set[str]]],
                     rules: PlaceRules) -> bool:
    """Return whether a FAC entity with no landmark word is a person's name ("Regina Herring, 34,")."""
    lowers = table.lowers[part.start : part.end]
    if any(w in rules.landmark_words or w in rules.feature_words for w in lowers) or place_candidates(part.text):
        return False
    return bool(AGE_AFTER.match(table.text, part.end_char)) or any(
        not set(lowers).isdisjoint(person) for _, _, _, person in persons
    )


def _landmark_town(table: TokenTable, start: int, end: int, persons: list[tuple[int, int, int, set[str]]],
                   rules: PlaceRules) -> str | None:
    """Return the town a landmark is named after ("Grand Junction" in "Grand Junction High School"), if any."""
    lowers = table.lowers
    free = [False] * len(lowers)
    for k in range(start + 1, end):
        if not _phrase_at(lowers, k, rules.building_words):
            continue
        for s, e in _names_before(table, k, free, lo=start, min_city=BUILDING_TOWN_POPULATION):
            name = table.span_text(s, e)
            if e == k and name_key(name) not in rules.namesakes and not _person_use(table, s, e, persons, rules):
                return name
        return None
    return None


def _chain_end(table: TokenTable, end: int) -> int:
    """Return the end of the hyphenated names that ``end`` continues ("Savannah" in "Savannah-Chatham police")."""
    while end + 1 < len(table.texts) and _glued(table, end) and table.texts[end + 1][:1].isupper():
        end += 2
    return end


def _hyphen_parts(parts: list[Span], table: TokenTable) -> list[Span]:
    """Read hyphenated names whole where the gazetteer knows them, else as places joined.

    "Winston" before "-Salem" becomes "Winston-Salem"; "Savannah-Chatham" gives "Savannah" and "Chatham".
    """
    out = []
    for part in parts:
        doc = part.doc
        end = part.end
        while end + 1 < len(doc) and _glued(table, end) and table.texts[end + 1][:1].isupper():
            if not place_candidates(doc[part.start : end + 2].text):
                break
            end += 2
        part = doc[part.start : end]
        cuts = [t.i for t in part if t.text == "-" and _glued(table, t.i)]
        pieces = []
        start = part.start
        for cut in [*cuts, part.end]:
            pieces.append(doc[start:cut])
            start = cut + 1
        if not cuts or place_candidates(part.text) or not all(
            len(p.text) > 2 and (place_candidates(p.text) or demonym_candidates(p.text)) for p in pieces
        ):
            out.append(part)
        else:
            out.extend(pieces)
    return out


def _locative(span: Span, *, lists: bool = True) -> bool:
    """Return whether a preposition of place (or, with ``lists``, a comma after a place) precedes ``span``."""
    doc = span.doc
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_ in LOCATIVE_WORDS:
        return True
    return (
        lists
        and prev is not None
        and prev.text == ","
        and span.start > 1
        and doc[span.start - 2].ent_type_ in ("GPE", "LOC", "FAC")
    )


def _at_place(span: Span) -> bool:
    """Return whether a preposition of location ("at", "in", "outside") comes right before ``span``."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and doc[i].lower_ in LEADING_WORDS | {"the"}:
        i -= 1
    return i >= 0 and doc[i].lower_ in AT_WORDS


def _whole_place(span: Span, persons: list[tuple[int, int, int, set[str]]], table: TokenTable) -> bool:
    """Return whether an entity the model did not call a place is one by its whole name.

    A well-known name ("White House", "Liverpool" the club) counts as an organisation's
    toponym; a town tagged as a person counts only after a preposition of place.
    """
    label = span.root.ent_type_ if len(span) else ""
    if label == "MONEY":
        return False
    rules = load_rules()
    if (_person_name(span, persons) or AGE_AFTER.match(table.text, span.end_char)
            or _vehicle(table, span.start, span.end, rules)):
        return False
    if label == "PERSON" and _first_name(table, span.start, span.end, rules):
        return False  # "said Mary": a first name the model rightly took for a person
    if label == "PERSON":
        return _strong(span.text, WHOLE_PERSON_CITY_POPULATION if _locative(span) else WHOLE_ORG_CITY_POPULATION)
    return _strong(span.text, WHOLE_ORG_CITY_POPULATION)


def _person_words(ents: tuple[Span, ...], table: TokenTable, rules: PlaceRules) -> list[tuple[int, int, int, set[str]]]:
    """The token range and lower-cased words of every PERSON entity.

    Not of one before a town's office ("Charlotte-Mecklenburg police"): the model misread a place;
    titles are left out ("Dayton Sgt" is no longer name than "Dayton").
    """
    out = []
    for ent in ents:
        if ent.label_ != "PERSON" or _phrase_at(table.lowers, ent.end, rules.local_cues):
            continue
        if any(w in rules.modifier_nouns for w in table.lowers[ent.start : ent.end]):
            continue  # "Houston Walgreens Man": a headline the model took for a name
        # "Dayton Sgt": a title is no word of the name.
        words = [w for w in table.lowers[ent.start : ent.end] if w.rstrip(".") not in rules.person_titles]
        out.append((ent.start, ent.end, len(words), set(words)))
    return out


def _elsewhere(start: int, end: int, words: set[str], persons: list[tuple[int, int, int, set[str]]]) -> bool:
    """Return whether a PERSON entity longer than tokens ``start:end``, and not holding them, shares a word."""
    size = end - start
    return any(
        length > size and not (s <= start and end <= e) and not words.isdisjoint(person)
        for s, e, length, person in persons
    )


def _person_name(span: Span, persons: list[tuple[int, int, int, set[str]]]) -> bool:
    """Return whether ``span`` is used as a person's name elsewhere in the article ("Mr. Lincoln").

    ``persons`` is ``_person_words(doc.ents)``.
    """
    doc = span.doc
    prev = doc[span.start - 1].lower_.rstrip(".") if span.start > 0 else ""
    if prev in load_rules().person_titles:
        return True
    return _elsewhere(span.start, span.end, {t.lower_ for t in span}, persons)


@lru_cache(maxsize=65536)
def _strong(text: str, min_city: int = GAP_CITY_POPULATION) -> bool:
    """Return whether ``text`` is a name that means a place nearly whatever the context."""
    if name_key(text) in load_rules().unrecognized_regions:
        return False
    cands = place_candidates(text)
    if not cands:
        return False
    e = cands[0].entry
    if e.kind in ("country", "region") or cands[0].prefer or cands[0].curated:
        return True
    if cands[0].alternate and len(text) <= SHORT_ALTERNATE:
        return False  # a short former or foreign name ("Soul" for Seoul, "Jada" for Jeddah) is mostly a word or a name
    if text.isupper() and len(text) <= 4:
        return False  # an acronym ("OAS", "AI") is an organisation, not a town
    if e.kind == "admin1":
        return e.population >= 1_000_000
    return e.kind == "city" and e.population >= min_city


def _scan(
    table: TokenTable, start: int, end: int, min_city: int, taken: list[bool]
) -> Iterator[tuple[int, int, bool]]:
    """Yield (start, end, is_demonym) token ranges of well-known names among the free tokens ``start:end``."""
    rules = load_rules()
    texts, pos = table.texts, table.pos
    i = start
    while i < end:
        if not texts[i][:1].isupper() or table.punct[i] or taken[i]:
            i += 1
            continue
        hit = None
        for n in range(min(MAX_NGRAM, end - i), 0, -1):
            last = i + n
            if not texts[last - 1][:1].isupper() or taken[last - 1]:
                continue
            if not all(pos[k] == PROPN or texts[k].isupper() or pos[k] == ADJ for k in range(i, last)):
                continue
            text = table.span_text(i, last)
            if text.isupper() and len(text) > 3:
                text = text.title()
            key = name_key(text)
            if key in rules.stop_names or key in rules.unrecognized_regions:
                continue
            if demonym_candidates(text):
                hit = (i, last, True)
                break
            if _strong(text, min_city):
                hit = (i, last, False)
                # "West Virginia State ...": a known name that holds the word before is the name meant.
                if i > start and not taken[i - 1] and texts[i - 1][:1].isupper() and place_candidates(
                    table.span_text(i - 1, last)
                ):
                    hit = (i - 1, last, False)
                break
        if hit:
            yield hit
            i = hit[1]
        else:
            i += 1


def _streets(table: TokenTable, start: int, end: int, taken: list[bool]) -> Iterator[tuple[int, int]]:
    """Yield capitalised names ending in a street word ("Press Street", "Elm Ave.") outside entities."""
    streets = load_rules().street_words
    texts, lowers, pos = table.texts, table.lowers, table.pos
    for k in range(start + 1, end):
        if taken[k] or lowers[k] not in streets or not texts[k][:1].isupper():
            continue
        first = k
        while (
            first - 1 >= start and not taken[first - 1] and pos[first - 1] == PROPN and texts[first - 1][:1].isupper()
        ):
            first -= 1
        if first < k:
            yield first, k + 1


def _datelines(table: TokenTable, taken: list[bool]) -> Iterator[tuple[int, int, int]]:
    """Yield (start, end, end_char) of an all-caps place at the start of a line before a dash, "(AP)" or a comma.

    The dash may be glued to the name ("STOCKTON-"); ``end_char`` then stops before it.
    """
    texts = table.texts
    n = len(texts)
    for i, word in enumerate(texts):
        if taken[i] or not word.isupper() or not word[:1].isalpha():
            continue
        # A token's trailing whitespace is a single space at most: a line break is a token of its own.
        if i > 0 and "\n" not in texts[i - 1]:
            continue
        bare = word.rstrip("".join(DATELINE_DASHES))
        if bare != word:
            # "STOCKTON-" before a line break: the tokenizer keeps the dash on the word.
            if bare.isalpha() and place_candidates(bare.title()):
                yield i, i + 1, table.idx[i] + len(bare)
            continue
        if not table.alpha[i]:
            continue
        end = i
        while end < n and not taken[end] and (texts[end].isupper() or texts[end] == "."):
            end += 1
        if end >= n or not texts[end].startswith(DATELINE_DASHES + (",",)):
            continue
        last = end
        while last > i and texts[last - 1] == ".":
            last -= 1
        if last > i and (place_candidates(table.span_text(i, last).title()) or _state_follows(texts, end)):
            yield i, last, table.end_char(last - 1)


def _state_follows(texts: list[str], i: int) -> bool:
    """Return whether ", <state abbreviation>" starts at token ``i`` ("TOONE, Tenn. --")."""
    if i + 1 >= len(texts) or texts[i] != ",":
        return False
    text = texts[i + 1]
    if not text.endswith(".") and i + 2 < len(texts) and texts[i + 2] == ".":
        text += "."
    return abbreviation_admin1(text) is not None


def _abbreviations(table: TokenTable, taken: list[bool]) -> list[PlaceSpan]:
    """Find state abbreviations after a town and a comma ("Hawthorne, Calif.")."""
    out = []
    texts = table.texts
    n = len(texts)
    for i in range(2, n):
        if taken[i] or texts[i - 1] != ",":
            continue
        text = texts[i]
        # The tokenizer may split "W.Va." or keep the period apart from "Calif".
        if not text.endswith(".") and i + 1 < n and texts[i + 1] == ".":
            text += "."
        name = text
        if not abbreviation_admin1(text, postal=True) and abbreviation_admin1(text, bare=_bare_ok_at(table, i + 1)):
            name = text + "."
        if abbreviation_admin1(name, postal=True) and texts[i - 2][:1].isupper():
            start = table.idx[i]
            out.append(PlaceSpan(start, start + len(text), name, hint="admin1", label="GPE"))
            taken[i] = True
    return out


def _bare_ok(span: Span) -> bool:
    """Return whether a period-less word after a comma may be a state ("Cooper County, Mo on Friday").

    Not before a capitalised word: "Jones, Miss Ellis" is a title.
    """
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    return nxt is None or not nxt.text[:1].isupper() or nxt.is_punct


def _bare_ok_at(table: TokenTable, nxt: int) -> bool:
    """``_bare_ok`` for a word whose next token is ``nxt``."""
    return nxt >= len(table.texts) or not table.texts[nxt][:1].isupper() or table.punct[nxt]


def _street_after(part: Span, rules: PlaceRules) -> bool:
    """Return whether a capitalised street word follows ``part`` ("Hearne Avenue", "Elm St.")."""
    doc = part.doc
    if part.end >= len(doc):
        return False
    nxt = doc[part.end]
    return nxt.text[:1].isupper() and nxt.lower_ in rules.street_words and not nxt.ent_type_


def _mark_streets(text: str, found: list[PlaceSpan], rules: PlaceRules) -> None:
    """Mark town names used as streets: "the 3700 block of Hearne", "on Hearne" after "Hearne Avenue"."""
    stems = set()
    for f in found:
        words = f.name.split()
        if f.label == "FAC" and len(words) > 1 and words[-1].casefold() in rules.street_words:
            stems.add(name_key(" ".join(words[:-1])))
    for f in found:
        if f.demonym or f.street or f.hint is not None:
            continue
        words = f.name.split()
        if len(words) > 1 and words[-1].casefold() in rules.street_words:
            # "Second Street", "Church Street": a street, whatever town the gazetteer names so.
            f.street, f.label = True, "FAC"
            continue
        before = text[max(0, f.start - 20) : f.start].casefold().split()
        if before[-2:] == ["block", "of"] or (
            name_key(f.name) in stems and before[-1:] in (["on"], ["onto"], ["off"])
        ) or _crossing(text, f, rules):
            f.street, f.label = True, "FAC"


ORDINAL_STREET = re.compile(r"\d+(?:st|nd|rd|th)\b")


@lru_cache(maxsize=4)
def _plurals(words: frozenset[str]) -> frozenset[str]:
    """The plural forms of the street words ("streets", "boulevards")."""
    return frozenset(w + "s" for w in words if not w.endswith("."))


def _crossing(text: str, f: PlaceSpan, rules: PlaceRules) -> bool:
    """Return whether a name is one of two crossing streets ("40th and Grand", "Meridian and Grace Streets")."""
    after = text[f.end : f.end + 40]
    before = text[max(0, f.start - 40) : f.start]
    words = after.split()
    # "Jones boulevards", "Meridian and Grace Streets": a plural street word after the pair
    plural = _plurals(rules.street_words)
    if words and words[0].casefold().rstrip(".,") in plural:
        return True
    if words[:1] in (["and"], ["&"]) and len(words) > 1:
        if ORDINAL_STREET.match(words[1]) or any(w.casefold().rstrip(".,") in plural for w in words[1:4]):
            return True
    tail = before.split()
    return len(tail) >= 2 and tail[-1] in ("and", "&") and (
        bool(ORDINAL_STREET.fullmatch(tail[-2])) or tail[-2].casefold() in rules.street_words
    )


def _link_containers(text: str, found: list[PlaceSpan]) -> None:
    """Mark "A, B" pairs where B is the region that contains A; join "Washington, D.C."."""
    i = 0
    while i + 1 < len(found):
        a, b = found[i], found[i + 1]
        joined = text[a.start : b.end]
        if text[a.end : b.start].strip() == "," and any(c.curated for c in place_candidates(joined)):
            found[i : i + 2] = [PlaceSpan(a.start, b.end, joined, label=a.label, locative=a.locative, weight=a.weight)]
        i += 1
    for i, (a, b) in enumerate(zip(found, found[1:])):
        if a.demonym or b.demonym:
            continue
        between = text[a.end : b.start]
        if between.strip() == "," and len(between) <= 3:
            a_cands = place_candidates(a.name, hint=a.hint)
            if a_cands and a_cands[0].entry.kind == "country":
                continue  # "in Russia, U.S. officials said": a country lies in no other place
            b_cands = place_candidates(b.name, hint=b.hint)
            if _in_list_of(text, found, i, b_cands):
                continue
            if b_cands and b_cands[0].entry.kind in REGION_KINDS:
                a.container = i + 1
            elif b.hint is None and (box := _region_holding(a, b_cands)) is not None:
                # "Buffalo, New York": after a town that lies in it, the name is the state, not the city.
                a.container = i + 1
                b.hint = box


def _in_list_of(text: str, found: list[PlaceSpan], i: int, b_cands: list) -> bool:
    """Return whether ``found[i]`` follows a comma after a place of the kind ``b_cands`` suggests.

    In "Utah, Virginia, Washington, West Virginia" each name is a state of the list, not a
    town inside the next one.
    """
    if i == 0 or not b_cands or found[i - 1].demonym:
        return False
    prev, a = found[i - 1], found[i]
    if text[prev.end : a.start].strip() != ",":
        return False
    p_cands = place_candidates(prev.name, hint=prev.hint)
    return bool(p_cands) and p_cands[0].entry.kind == b_cands[0].entry.kind


def _region_holding(town: PlaceSpan, cands: list) -> str | None:
    """Return the kind of a region reading among ``cands`` that holds a reading of ``town``, if any."""
    regions = [c.entry for c in cands if c.entry.kind in REGION_KINDS]
    if not regions:
        return None
    for c in place_candidates(town.name, hint=town.hint):
        for r in regions:
            if c.entry.kind not in REGION_KINDS and (
                (r.kind != "country" and r.admin1 and c.entry.admin1 == r.admin1)
                or (r.kind == "country" and c.entry.country == r.country)
            ):
                return r.kind
    return None


def _link_lists(text: str, found: list[PlaceSpan]) -> None:
    """Mark neighbours in a list of places ("Utah, Washington and Wisconsin"; "California or Washington")."""
    for i, (a, b) in enumerate(zip(found, found[1:])):
        if a.demonym or b.demonym or a.container == i + 1:
            continue
        if " ".join(text[a.end : b.start].split()) in LIST_JOINERS:
            a.peers += (i + 1,)
            b.peers += (i,)


def _mark_dateline(text: str, found: list[PlaceSpan]) -> None:
    """Give more weight to a dateline place ("BEIRUT (AP) --", "Leshan, China --")."""
    if not found:
        return
    first = found[0]
    line_start = text.rfind("\n", 0, first.start) + 1
    if first.start - line_start > 2:
        return
    rest = text[first.end : first.end + 30].lstrip(" ,")
    if rest.startswith(DATELINE_DASHES) or first.name.isupper():
        first.weight = 3.0
