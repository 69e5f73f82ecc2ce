"""What the benchmark compares between doanorg's report and the polars peer's.

Imported by ``spec_calls.py`` and ``peer_polars.py`` (both run as scripts, with this
folder on the path); it imports nothing of doanorg, so the peer stays independent.
"""

from __future__ import annotations

from typing import Any


def digest(report: dict[str, Any]) -> dict[str, Any]:
    """Each target's status, failing units, selected and passing units, observed figure
    and stretch verdict, and the number of units not reported."""
    return {
        "at": report["at"],
        "compliant": report["compliant"],
        "not_reported": len(report["not_reported"]),
        "targets": {
            target["id"]: {
                "status": target["status"],
                "failing": len(target["failing"]),
                "units": target["units"],
                "observed": target["observed"],
                "stretch_met": target["stretch_met"],
            }
            for target in report["targets"]
        },
    }
