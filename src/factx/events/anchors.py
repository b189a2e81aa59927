"""Where and when an event happened, and the money it involves: each chosen among the article's mentions."""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..mentions.tokens import doc_text
from ..models import Event, MoneyMention, PlaceMention
from .context import Context, Trigger
from .dates import OWN, fill_date
from .rules import Rules
from .syntax import clause_heads, in_span, text_at, with_changes

SPECIFICITY = {"landmark": 5, "city": 4, "admin2": 3, "admin1": 2, "region": 1, "country": 1}


USABLE_PLACE_KINDS = {"city", "admin2", "admin1", "country", "region"}


def place_for(trig: Trigger, sent: SpacySpan, ctx: Context) -> dict[str, Any] | None:
    """The event's own place: its locative phrase, else a place of its clause or sentence; None when the text
    gives it none (``fill_anchors`` then takes the incident's, the dateline's or the article's)."""
    found = _locative_place(trig, ctx)
    if found is not None:
        return found
    return _sentence_place(trig, sent, ctx)


# A clause of time hung on the event tells its circumstances: "shot dead when he answered the door in Deerpark Road".
CIRCUMSTANCE_MARKS = {"when", "as", "while"}


def _locative_place(trig: Trigger, ctx: Context) -> dict[str, Any] | None:
    """A place from the event's locative phrases: "in Kabul", "at a mosque in Kabul", "in the city", "Kabul's
    main mosque", the target of an attack ("targeted a bakery", "the bombing of the city"); the most specific."""
    rules = ctx.rules
    phrases: list[Token] = []
    heads = clause_heads(trig)
    heads += [c for h in heads[:1] for c in h.children if c.dep_ == "advcl"
              and any(m.lower_ in CIRCUMSTANCE_MARKS for m in c.children if m.dep_ in ("mark", "advmod"))]
    family = rules.types[trig.type].family if trig.type in rules.types else ""
    for head in heads:
        # Where the hurt were treated ("died at a hospital in Camden") is not where they were hurt.
        phrases += _locatives(head, rules, skip_care=family in rules.treated_families)
        if head.dep_ == "relcl" and any(c.lower_ == "where" for c in head.children):
            phrases.append(head.head)  # "the bar where he was shot"
    tok = trig.token
    if trig.kind == "noun":
        # "the Kabul bombing", "Saturday's attack in Kabul": a place name modifying the event noun.
        phrases += [c for c in tok.children if c.dep_ in ("compound", "poss", "nmod")]
    if family in rules.target_is_place:
        # What an attack or an explosion hit, when it is a place: "targeted a bakery", "the bombing of the city".
        for head in heads[:2]:
            phrases += [c for c in head.children if c.dep_ == "dobj"]
        phrases += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                    if g.dep_ == "pobj"]
    best, best_rank = None, None
    for np in phrases:
        rec = _phrase_place(np, ctx)
        # A building or a street is finer than a named area around it ("Deerpark Road, in the Old Park district").
        rank = (*_rank(rec), np.lemma_.lower() not in rules.area_nouns) if rec is not None else None
        if rank is not None and (best_rank is None or rank > best_rank):
            best, best_rank = rec, rank
    return best


def _locatives(head: Token, rules: Rules, *, skip_care: bool = False) -> list[Token]:
    """The objects of a word's locative prepositions, and of those a few phrases down ("in a battle between troops
    and rebels in the Markets area", "answered a knock at his door in Deerpark Road"); a hospital the hurt were
    taken to, and with ``skip_care`` any place of care, is left out with what it holds."""
    out: list[Token] = []
    frontier = [head]
    for _ in range(3):
        nxt = []
        for node in frontier:
            for c in node.children:
                if c.dep_ == "dobj" and node is head:
                    nxt.append(c)
                if c.dep_ != "prep":
                    continue
                for g in c.children:
                    if g.dep_ == "pobj":
                        if _care_place(g, rules) and (skip_care or c.lower_ in ("to", "into")):
                            continue
                        if c.lower_ in rules.locative_prepositions:
                            out.append(g)
                        nxt += [g] + [m for m in g.children if m.dep_ == "conj"]
        frontier = nxt
    return out


def _care_place(np: Token, rules: Rules) -> bool:
    """A hospital, clinic or medical centre ("Parkview Hospital", "Harborview Medical Center")."""
    return np.lemma_.lower() in rules.care_nouns or any(
        c.dep_ in ("compound", "amod") and c.lemma_.lower() in rules.care_nouns for c in np.children)


def _not_a_scene(root: Token, rules: Rules, *, care: bool = True) -> bool:
    """A place name that tells where someone lives or (with ``care``) was treated, not where anything happened:
    "Dianne Harriell, 28, of Dayton", "at an Atlanta hospital", "Parkview Hospital in Fort Wayne". ("A Lakeland woman"
    is kept: local news names the victim's town so, and the town is most often where it happened.)"""
    persons = rules.participants.get("person", frozenset())
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in ("of", "from"):
        holder = head.head
        if holder.ent_type_ == "PERSON" or holder.like_num or holder.lemma_.lower() in persons:
            return True
    cur = root
    for _ in range(3 if care else 0):
        if cur.dep_ not in ("compound", "amod", "nmod", "pobj", "prep", "poss", "appos", "conj") or cur.head is cur:
            break
        cur = cur.head
        if cur.pos_ in ("NOUN", "PROPN") and _care_place(cur, rules):
            return True
    return False


def _in_region(p: PlaceMention, ctx: Context) -> bool:
    """A town resolved outside the article's region, when the article names a city inside it, is most often a
    same-named town elsewhere ("Rogers Park" in a Tennessee story): it is left out."""
    focus, city = ctx.focus, ctx.doc_city
    if not (focus and focus.admin1 and city is not None and city[1].admin1 == focus.admin1):
        return True
    return p.admin1 in (None, focus.admin1) or p.kind in ("country", "admin1")


def _rank(rec: dict[str, Any]) -> tuple[int, int, int]:
    # A name the gazetteer does not know ("in Badia al-Sukhnah, in eastern Syria") is finer than what holds it.
    kind = rec.get("kind") or ("city" if rec.get("landmark") else "")
    return (1 if rec.get("country") or rec.get("landmark") else 0, SPECIFICITY.get(kind, 0),
            1 if rec.get("landmark") else 0)


def _phrase_place(np: Token, ctx: Context) -> dict[str, Any] | None:
    """The place a noun phrase names: a place mention in it, a landmark (with the place that holds it), or an
    area word that points back to a place named before ("the city")."""
    tokens = [t for t in np.subtree if not (t.dep_ in ("relcl", "acl") or any(a.dep_ in ("relcl", "acl") and
                                                                                   t in a.subtree for a in np.children))]
    start, end = min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)
    inside = [(i, p) for i, p in enumerate(ctx.places) if start <= p.start and p.end <= end and p.kind != "demonym"]
    lemma = np.lemma_.lower()
    landmark = None
    named_area = lemma in ctx.rules.area_nouns and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in np.children)
    if lemma in ctx.rules.landmark_nouns or named_area or any(p.kind == "landmark" and p.start <= np.idx < p.end
                                                              for p in ctx.places):
        first = next((t for t in tokens if t.dep_ not in ("det", "poss", "case", "predet") and not t.is_punct), np)
        lm_start = first.idx
        lm_end = max(t.idx + len(t.text) for t in tokens if t.i <= np.i)
        landmark = {"name": text_at(ctx.doc, lm_start, lm_end), "text": text_at(ctx.doc, start, end),
                    "start": start, "end": end}
    resolved = [(i, p) for i, p in inside if _usable_place(p) and p.kind != "landmark" and _in_region(p, ctx)]
    if resolved:
        i, p = max(resolved, key=lambda ip: (SPECIFICITY.get(ip[1].kind or "", 0), -ip[1].start))
        rec = place_record((i, p), "clause")
    elif lemma in ctx.rules.area_nouns and not named_area and any(
            c.lower_ in ("the", "this", "that", "these", "those") for c in np.children):
        # "in the city", "across the province": the place of that kind named last before.
        kinds = AREA_KINDS.get(ctx.rules.area_nouns[lemma], (ctx.rules.area_nouns[lemma],))
        prior = [(i, p) for i, p in enumerate(ctx.places) if p.end <= np.idx and p.kind in kinds and _usable_place(p)]
        if not prior:
            return None
        rec = place_record(max(prior, key=lambda ip: (-kinds.index(ip[1].kind), ip[1].start)), "clause")
        rec.update(text=text_at(ctx.doc, start, end), start=start, end=end)
    elif landmark is not None or inside or (np.pos_ == "PROPN" and np.head.lower_ in ctx.rules.locative_prepositions
                                            and (np.ent_type_ in ("GPE", "LOC", "FAC", "")
                                                 or np.head.lower_ in ("in", "near", "outside"))):
        # A landmark, or a place name the gazetteer does not know ("in Badia al-Sukhnah"): what holds it is
        # filled in later.
        name = landmark["name"] if landmark is not None else inside[0][1].name if inside else text_at(
            ctx.doc, start, end)
        rec = {"ref": None, "name": name, "kind": "landmark" if landmark is not None else None, "country": None,
               "admin1": None, "lat": None, "lon": None, "text": text_at(ctx.doc, start, end), "start": start,
               "end": end, "origin": "clause", "landmark": name}
        return rec
    else:
        return None
    if landmark is not None:
        # The phrase that places the event is the landmark's; the place record names what holds it.
        rec.update(text=landmark["text"], start=start, end=end)
        rec["landmark"] = landmark["name"]
    return rec


# The kinds of place an area word may point back to, the first preferred: "the province" is an admin1, or a
# county where the article names none.
AREA_KINDS = {"city": ("city", "admin2"), "admin1": ("admin1", "admin2", "city"), "admin2": ("admin2", "city"),
              "country": ("country",)}


def _sentence_place(trig: Trigger, sent: SpacySpan, ctx: Context) -> dict[str, Any] | None:
    """A place named elsewhere in the event's sentence that belongs to no other event's phrase and no comparison."""
    focus_country = ctx.focus.country if ctx.focus else None
    others = [t for t in sent if t.i != trig.token.i and t.lemma_.lower() in ctx.rules.trigger_lemmas()
              and t.pos_ in ("VERB", "NOUN") and not trig.token.is_ancestor(t)]
    dateline = dateline_place(ctx)
    treated = trig.type in ctx.rules.types and ctx.rules.types[trig.type].family in ctx.rules.treated_families
    cands = []
    for i, p in enumerate(ctx.places):
        if not (sent.start_char <= p.start < sent.end_char) or not _usable_place(p) or p.kind == "landmark":
            continue
        span = ctx.doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if any(o.is_ancestor(root) and not o.is_ancestor(trig.token) for o in others):
            continue  # the place of another event of the sentence
        if root.head.lemma_.lower() in ctx.rules.seat_words or _not_a_scene(root, ctx.rules, care=treated):
            continue  # "Detroit-based WXYZ", "a Medford man", "an Atlanta hospital": no scene of the event
        if any(a.lower_ in ctx.rules.comparison_words for a in [root.head, root.head.head]):
            continue  # "the worst since the bombing in Madrid"
        if focus_country and p.country != focus_country and not trig.token.is_ancestor(root):
            continue  # outside the event's own phrase, a place abroad is background
        if not _in_region(p, ctx):
            continue
        cands.append((i, p))
    if not cands:
        return None
    chosen = max(cands, key=lambda ip: (SPECIFICITY.get(ip[1].kind or "", 0), -abs(ip[1].start - trig.start)))
    return place_record(chosen, "dateline" if dateline is not None and dateline[0] == chosen[0] else "sentence")


def fill_anchors(events: list[Event], ctx: Context) -> list[Event]:
    """Give events without a place or date of their own those of their incident, else the dateline's or the
    article's (each with its origin); a landmark or an unknown place name gets the place that holds it. The dates
    of legal and reporting events are never borrowed from the happening they are about."""
    dateline = dateline_place(ctx)
    fallback = dateline and place_record(dateline, "dateline") or (
        ctx.doc_city and place_record(ctx.doc_city, "document"))
    # First the holders of landmarks: a place of the same sentence, else of the incident, the dateline, the article.
    events = [with_changes(ev, place=_held(ev, events, ctx, fallback)) if ev.place and not ev.place.get("country")
              else ev for ev in events]
    # Then parts of the article's city become the city, before the incident's other events borrow them.
    events = [ev if ev.place is None or (finer := _finer(ev.place, ctx)) is ev.place
              else with_changes(ev, place=finer) for ev in events]
    by_incident: dict[str, list[Event]] = {}
    for ev in events:
        if ev.incident:
            by_incident.setdefault(ev.incident, []).append(ev)
    main = events[0].incident if events else None
    out = []
    for ev in events:
        place, date = ev.place, ev.date
        mates = by_incident.get(ev.incident or "", [])
        if place is None:
            place = _inherit_place(mates, ctx)
            if place is None and dateline is not None:
                place = place_record(dateline, "dateline")
            if place is None and ctx.doc_city is not None:
                place = place_record(ctx.doc_city, "document")
            if place is None:
                place = _focus_place(ctx)
        place = _finer(place, ctx)
        if date is None:
            date = fill_date(ev, mates, main, ctx)
        if place is not ev.place or date is not ev.date:
            ev = with_changes(ev, place=place, date=date, confidence=_lower(ev.confidence, place, date))
        out.append(ev)
    return out


def _finer(place: dict[str, Any] | None, ctx: Context) -> dict[str, Any] | None:
    """The article's city for a region or county that holds it ("in Greene County"), and for a part of it ("in
    South Sacramento", a neighbourhood a few kilometres from it, "the South Shore neighborhood"), which is kept
    as the landmark."""
    city = ctx.doc_city
    if not place or city is None or city[1].kind != "city":
        return place
    c = city[1]
    if place.get("landmark") is None and (
            place.get("kind") in ("admin1", "admin2") and c.admin1 == place.get("admin1")
            and not (place.get("kind") == "admin2" and place.get("name") == c.name)):
        return place_record(city, "document")
    if place.get("kind") == "city" and place.get("name") != c.name and _part_of_city(place, c, ctx):
        return held_place(place, place_record(city, place["origin"]), place["origin"])
    return place


NEIGHBOURHOOD_KM = 5.0
# A place the text calls a part of a city ("the Englewood neighborhood") may lie this far from its centre.
NAMED_PART_KM = 25.0


def _part_of_city(place: dict[str, Any], city: PlaceMention, ctx: Context) -> bool:
    """Whether a town reading is a part of the article's city: named by it ("North Philadelphia"), a few
    kilometres from it, or called a neighbourhood ("the Austin neighborhood", "the Juniata section"), which the
    gazetteer may only know as a same-named town elsewhere."""
    words = (place.get("text") or "").lower().replace(",", " ").split()
    named_part = any(w in ctx.rules.neighbourhood_words for w in words)
    if city.admin1 != place.get("admin1"):
        return named_part
    return (f" {city.name} " in f" {place.get('name')} "
            or _km(place, city) <= (NAMED_PART_KM if named_part else NEIGHBOURHOOD_KM))
def _km(place: dict[str, Any], city: PlaceMention) -> float:
    """Great-circle distance between a place record and a place mention, or infinity without coordinates."""
    import math

    if None in (place.get("lat"), place.get("lon"), city.lat, city.lon):
        return math.inf
    la1, lo1, la2, lo2 = map(math.radians, (place["lat"], place["lon"], city.lat, city.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def _held(ev: Event, events: list[Event], ctx: Context, fallback: dict[str, Any] | None) -> dict[str, Any]:
    """A landmark's (or unknown place's) record completed with the place that holds it."""
    place = ev.place or {}
    start, end = ev.sentence.get("start", 0), ev.sentence.get("end", 0)
    here = [(i, p) for i, p in enumerate(ctx.places) if start <= p.start < end and _usable_place(p)
            and p.kind != "landmark"]
    holder = place_record(max(here, key=lambda ip: SPECIFICITY.get(ip[1].kind or "", 0)), "clause") if here else None
    if holder is None:
        mates = [e for e in events if e.incident and e.incident == ev.incident]
        holder = _inherit_place(mates, ctx) or fallback
    if holder is None:
        return place
    return held_place(place, holder, holder["origin"])


def held_place(place: dict[str, Any], holder: dict[str, Any], origin: str) -> dict[str, Any]:
    """The holder's place record, keeping the phrase (text and offsets) and the landmark name of ``place``."""
    return {**holder, "text": place.get("text"), "start": place.get("start"), "end": place.get("end"),
            "landmark": place.get("landmark") or place.get("name"), "origin": origin}


def _inherit_place(mates: list[Event], ctx: Context) -> dict[str, Any] | None:
    """The most specific place of its own among the events of an incident, as a city or coarser record."""
    # A dateline in an event's own sentence places it as firmly as the sentence's other words would.
    own = [e.place for e in mates if e.place and e.place.get("origin") in (*OWN, "dateline") and e.place.get("country")]
    if not own:
        return None
    best = max(own, key=lambda p: SPECIFICITY.get(p.get("kind") or "", 0) if p.get("kind") != "landmark" else 0)
    rec = {k: v for k, v in best.items() if k != "landmark"}
    if rec.get("ref"):
        # The holder itself, with its own words, not the landmark phrase it was read from.
        i = int(rec["ref"][7:-1])
        rec = place_record((i, ctx.places[i]), "incident")
    else:
        rec["origin"] = "incident"
    return rec




def _lower(confidence: float, place: dict | None, date: dict | None) -> float:
    """A borrowed place or date makes the record less sure than one its own clause gives."""
    borrowed = sum(1 for a in (place, date) if a and a.get("origin") not in OWN)
    return round(max(0.2, confidence - 0.05 * borrowed), 2)


def dateline_place(ctx: Context) -> tuple[int, PlaceMention] | None:
    """The place of the article's dateline ("SAN ANTONIO —", "Kabul, Oct. 3 (Xinhua) --"), if it has one."""
    text = doc_text(ctx.doc)
    for i, p in enumerate(ctx.places[:3]):
        if not _usable_place(p) or p.kind == "landmark":
            continue
        line_start = text.rfind("\n", 0, p.start) + 1
        before = text[line_start:p.start].strip()
        after = text[p.end:p.end + 40]
        if before == "" and DATELINE_AFTER.match(after):
            return i, p
    return None


DATELINE_AFTER = re.compile(r"\s*(?:,[^\n]{0,30}?)?(?:\([^)\n]{1,40}\))?\s*(?:[\u2014\u2013-]{1,2}|:)")


def _usable_place(p: PlaceMention) -> bool:
    """A place that can locate an event: resolved to a country (streets and hospitals often are not)."""
    if p.kind == "demonym" or not p.country:
        return False
    return p.kind in USABLE_PLACE_KINDS or (p.kind == "landmark" and p.admin1 is not None)


def document_city(ctx: Context) -> tuple[int, PlaceMention] | None:
    """The article's city: its dateline's, else the first city (else county) that agrees with its focus, unless
    that city's police never speak and another city's do ("shot in Austin, according to Chicago Police")."""
    f = ctx.focus
    dateline = dateline_place(ctx)
    if dateline is not None and dateline[1].kind == "city" and not (f and f.admin1 and dateline[1].admin1 != f.admin1):
        return dateline
    agencies = _agency_cities(ctx)
    for kinds in (("city",), ("admin2",)):
        for i, p in enumerate(ctx.places):
            if p.kind not in kinds or not _usable_place(p):
                continue
            if f and f.admin1 and p.admin1 != f.admin1:
                continue
            if f and f.country and p.country != f.country:
                continue
            if agencies and p.kind == "city" and p.name not in {a.name for _, a in agencies}:
                return agencies[0]
            return i, p
    return agencies[0] if agencies else None


def _agency_cities(ctx: Context) -> list[tuple[int, PlaceMention]]:
    """The cities named as the police or sheriff of the story ("Chicago Police", "Tustin police")."""
    text = doc_text(ctx.doc)
    f = ctx.focus
    out = []
    for i, p in enumerate(ctx.places):
        if p.kind == "city" and _usable_place(p) and (not f or not f.country or p.country == f.country):
            after = text[p.end:p.end + 20].lower().split()
            if after and after[0].strip(".,'’s") in ctx.rules.agency_words:
                out.append((i, p))
    return out


def place_record(ip: tuple[int, PlaceMention], origin: str) -> dict[str, Any]:
    """An event's place record for the article's i-th place mention, with its origin."""
    i, p = ip
    rec = {"ref": f"places[{i}]", "name": p.name, "kind": p.kind, "country": p.country, "admin1": p.admin1,
           "lat": p.lat, "lon": p.lon, "text": p.text, "start": p.start, "end": p.end, "origin": origin}
    if p.kind == "city" and p.geonames_id is None and p.name and p.name != p.text and p.name in p.text:
        rec["landmark"] = p.text  # a part of the city named by it: "Southeast Dallas" is in Dallas
    return rec


def _focus_place(ctx: Context) -> dict[str, Any] | None:
    f = ctx.focus
    if not f or not (f.country or f.admin1):
        return None
    return {"ref": None, "name": f.name, "kind": "admin1" if f.admin1 else "country", "country": f.country,
            "admin1": f.admin1, "lat": None, "lon": None, "text": None, "start": None, "end": None, "origin": "focus"}


def money_for(trig: Trigger, sent: SpacySpan, ctx: Context) -> list[dict[str, Any]]:
    """The amounts of money in the event's phrase, else in its sentence."""
    subtree = list(trig.token.subtree) if trig.kind != "noun" else list(trig.token.head.subtree)
    in_sent = [(i, m) for i, m in enumerate(ctx.money) if sent.start_char <= m.start < sent.end_char]
    in_tree = [(i, m) for i, m in in_sent if in_span(m.start, m.end, subtree)]
    chosen = in_tree or in_sent
    return [_money_record(i, m) for i, m in chosen]


def _money_record(i: int, m: MoneyMention) -> dict[str, Any]:
    return {"ref": f"money[{i}]", "amount": m.amount, "currency": m.currency, "qualifier": m.qualifier,
            "text": m.text, "start": m.start, "end": m.end}
