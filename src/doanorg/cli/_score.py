"""``doanorg score`` and ``doanorg demo --score`` (SPEC §11): the rubric's scores, grades
and ranks of the scored units of a subtree.

The handler of the subcommand: :mod:`doanorg.cli` loads the inputs and finds the
``--at`` unit, then hands them here. Exit status: 0 when every unit's self-grade
(if the rubric names a self-grade metric) matches its computed grade, 1 when some
differ (they are listed first), 2 on bad input.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable

from doanorg.cli._safety import emit
from doanorg.core.engine import Assessment
from doanorg.errors import DoanorgError, Problem

__all__ = ["EXIT_DIFFERENCES", "EXIT_MATCH", "SCORE_FORMATS", "run_score"]

EXIT_MATCH, EXIT_DIFFERENCES = 0, 1
SCORE_FORMATS = ("text", "json", "md")


def run_score(args: argparse.Namespace, assessment: Assessment, at: str | None,
              warn: Callable[[Iterable[Problem]], None]) -> int:
    """Print the scores at ``at`` in ``args.format``; the exit status."""
    if args.format not in SCORE_FORMATS:
        raise DoanorgError(f"--format {args.format}: scores are written as "
                           f"{', '.join(SCORE_FORMATS)}")
    scores = assessment.scores(at)
    warn(scores.warnings)
    output = {"json": scores.to_json, "md": scores.to_markdown,
              "text": scores.to_text}[args.format]()
    emit(output)
    return EXIT_DIFFERENCES if scores.differences else EXIT_MATCH
