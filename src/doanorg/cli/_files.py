"""Files the command line writes: never over an input, never over a file unless asked,
never half-written.

:func:`_write` writes through a temporary file in the same folder, put in place only
once everything else succeeded (:func:`~doanorg.io._atomic.staged`);
:func:`_refuse_inputs` and :func:`_refuse_taken` refuse a name before any work is
done. Every subcommand that writes a file (``gap --apply``, ``template --out``,
``check --out``) uses them.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from doanorg.errors import DoanorgError
from doanorg.io._atomic import staged

__all__ = ["_refuse_inputs", "_refuse_taken", "_write"]

_T = TypeVar("_T")


def _inputs(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """Every file the run reads, with the option that names it: --org, --facts, --plan
    and --schema (when they name a file), and --scenario files."""
    named = [(f"--{option}", Path(getattr(args, option))) for option in (
        "org", "facts", "plan", "schema") if getattr(args, option, None) is not None]
    named += [(option, Path(value)) for option, value in getattr(args, "edits", None) or ()
              if option == "--scenario"]
    return named


def _same_file(first: Path, second: Path) -> bool:
    """Whether two paths are one file (device and inode): a hard link, a symbolic link
    or a path through ``..`` to a file is that file; a path to no file is no file."""
    try:
        return os.path.samefile(first, second)
    except (OSError, ValueError):
        return False


def _refuse_inputs(option: str, out: Path, args: argparse.Namespace) -> None:
    """Refuse to write ``out`` when it is one of the run's input files."""
    for named, path in _inputs(args):
        if _same_file(out, path):
            raise DoanorgError(f"{option} {out}: that is an input file ({named} {path}); "
                               "doanorg never writes over its inputs")


def _taken(option: str, out: Path) -> DoanorgError:
    return DoanorgError(f"{option} {out}: the file exists; pass --force to replace it")


def _refuse_taken(option: str, out: Path, *, force: bool) -> None:
    """Refuse to write ``out`` when a file (or any link) has that name, unless ``force``;
    a directory, always."""
    if out.is_dir():
        raise DoanorgError(f"{option} {out}: that is a directory; name the file to write")
    if not force and os.path.lexists(out):
        raise _taken(option, out)


def _write(option: str, out: Path, write: Callable[[Path], _T], *, force: bool,
           then: Callable[[], object] = lambda: None) -> _T:
    """``write(path)`` to a new file beside ``out``, then ``then()`` (the report to stdout),
    then the file moved onto ``out`` (:func:`~doanorg.io._atomic.staged`): a run that fails
    anywhere leaves no file, and an old one whole; a replaced ``out`` is a new file, so no
    other name of the old one is written through. Without ``force`` the name must still be
    free when the file is put in place."""
    try:
        with staged([out], replace=force) as (temporary,):
            result = write(temporary)
            then()
    except FileExistsError:  # (made meanwhile)
        raise _taken(option, out) from None
    except OSError as error:
        raise DoanorgError(f"{option} {out}: cannot write: {error.strerror or error}") from None
    return result
