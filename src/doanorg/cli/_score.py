"""``doanorg score`` and ``doanorg demo --score`` (SPEC §11): the rubric's scores, grades
and ranks of the scored units of a subtree.

The handler of the subcommand: :mod:`doanorg.cli` loads the inputs, finds the
``--at`` unit and checks the ``--out`` file (never an input, never over a file
without ``--force``), then hands them here. ``--format text|json|md`` prints,
``html|xlsx`` writes a file (they need ``--out``; any format may be written with
it); ``--lang vi|en`` gives the words and numbers of every format but JSON.
Exit status: 0 when every unit's self-grade (if the rubric names a self-grade
metric) matches its computed grade, 1 when some differ (they are listed first),
2 on bad input.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path

from doanorg.cli._files import _write
from doanorg.cli._safety import emit, say
from doanorg.core.engine import Assessment
from doanorg.errors import DoanorgError, Problem
from doanorg.io import SCORE_FORMATS, save_scores

__all__ = ["EXIT_DIFFERENCES", "EXIT_MATCH", "SCORE_FORMATS", "run_score"]

EXIT_MATCH, EXIT_DIFFERENCES = 0, 1


def run_score(args: argparse.Namespace, assessment: Assessment, at: str | None,
              warn: Callable[[Iterable[Problem]], None], out: Path | None = None) -> int:
    """Print the scores at ``at`` in ``args.format`` and ``args.lang``, or write them to
    ``out``; the exit status."""
    if args.format not in SCORE_FORMATS:
        raise DoanorgError(f"--format {args.format}: scores are written as "
                           f"{', '.join(SCORE_FORMATS)}")
    scores = assessment.scores(at)
    warn(scores.warnings)
    if out is None:
        emit(scores.to_json() if args.format == "json" else {
            "md": scores.to_markdown, "text": scores.to_text}[args.format](args.lang))
    else:
        _write("--out", out, lambda path: save_scores(scores, path, format=args.format,
                                                      lang=args.lang), force=args.force)
        say(f"wrote {out}")
    return EXIT_DIFFERENCES if scores.differences else EXIT_MATCH
