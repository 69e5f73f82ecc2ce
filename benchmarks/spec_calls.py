"""The SPEC §7 calls, as a doanorg user writes them: files in, the root report out.

    python benchmarks/spec_calls.py ORG.csv FACTS.csv

Loads the organisation, then the facts (``period=None``, no plan at load, as
SPEC §7 writes it), then the built-in plan, assesses it at the root and turns
the report into its SPEC §5 dict, with every failing unit listed. It then
reads the dict (every target's status and number of failing units), so that
nothing is skipped, and prints that digest as one line of JSON for the
benchmark to compare with the polars peer's.
"""

from __future__ import annotations

import json
import sys

from _digest import digest

import doanorg


def main() -> None:
    org_path, facts_path = sys.argv[1:3]
    org = doanorg.load_org(org_path)
    facts = doanorg.load_facts(facts_path, org=org, period=None)
    plan = doanorg.load_plan("doan-khoi-2020")
    report = doanorg.assess(org, facts, plan, at=None)
    print(json.dumps(digest(report.to_dict())))


if __name__ == "__main__":
    main()
