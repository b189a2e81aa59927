"""Incidents across articles: the incidents of many factx/1 records grouped into happenings (factx-incident/1).

Each article's own incidents (its record's ``incidents``) are the units. A unit keeps only what grouping needs:
its kind of happening, place, the period its date allows, counts by type, the names of those it happened to
and of those who acted, money, and a fingerprint of its events for spotting copies of one report. Units are
compared only inside blocks (a group of families, a region or a name, and a window of dates), a pair joins
when its evidence reaches a threshold and nothing contradicts, and groups grow from the best-supported pairs
first while every group stays free of contradictions (two places, two victims, two dates, counts that cannot
be one figure, two units of one article). Each group becomes one incident with reconciled figures and a
stable id. Thresholds and word lists live in ``data/incidents.json``.

The modules, in the order the data flows through them:

- ``rules``: the thresholds and word lists of ``data/incidents.json``, the schema names and shared constants;
- ``read``: factx/1 records streamed from files, folders and stdin, each checked (``iter_records``);
- ``dates``: the days a TIMEX3 value covers and the period an incident's date allows (``timex_period``);
- ``units``: each article's incidents reduced to units (``Unit``, ``units_from_record``);
- ``compare``: the evidence that two units are one happening, or a contradiction (``relate``, ``place_relation``);
- ``candidates``: the pairs worth comparing, blocks cut into date windows, and copies of one report
  (``partitions``, ``duplicate_pairs``);
- ``group``: the pairs that reach the threshold joined, best first, into groups (``group_units``);
- ``build``: one factx-incident/1 object per group, with its stable id and reconciled counts
  (``build_incident``, ``reconcile_counts``);
- ``run``: the whole run, record by record (``IncidentGrouper``, ``group_records``, ``write_incidents``).

    >>> recs = [_example("a", "2016-06-12", 49), _example("b", "2016-06-13", 50)]
    >>> [(i["sources"], i["counts"]["kill"]["value"]) for i in group_records(recs)]
    [(['a', 'b'], 50)]
"""

from .build import build_incident, incident_id, reconcile_counts
from .candidates import (
    block_pairs,
    candidate_pairs,
    duplicate_pairs,
    partitions,
    score_partitions,
)
from .compare import (
    COPY,
    LATE,
    counts_compatible,
    headline_weights,
    place_relation,
    relate,
    relate_pair,
)
from .dates import timex_period
from .group import accepted_pairs, duplicate_scores, group_units, scored_pairs
from .read import IncidentInputError, iter_records
from .rules import (
    LOWER_BOUNDS,
    OWN_ORIGINS,
    RECORD_SCHEMA,
    SCHEMA,
    GroupingRules,
    load_grouping_rules,
    type_families,
)
from .run import IncidentGrouper, _example, group_records, write_incidents
from .units import Unit, units_from_record

__all__ = [
    # rules
    "SCHEMA", "RECORD_SCHEMA", "LOWER_BOUNDS", "OWN_ORIGINS", "GroupingRules", "load_grouping_rules", "type_families",
    # read
    "IncidentInputError", "iter_records",
    # dates
    "timex_period",
    # units
    "Unit", "units_from_record",
    # compare
    "place_relation", "counts_compatible", "relate", "LATE", "COPY", "relate_pair", "headline_weights",
    # candidates
    "partitions", "block_pairs", "candidate_pairs", "score_partitions", "duplicate_pairs",
    # group
    "scored_pairs", "duplicate_scores", "accepted_pairs", "group_units",
    # build
    "incident_id", "build_incident", "reconcile_counts",
    # run
    "IncidentGrouper", "group_records", "write_incidents",
    # the small record of the examples in docstrings (factx.show_incidents uses it too)
    "_example",
]
