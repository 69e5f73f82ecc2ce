"""How the command line ends when its output cannot be written, or it is interrupted.

Every run ends with an exit status and, on a fault, one line on stderr, never a
traceback:

- bad input (:class:`~doanorg.DoanorgError`): one line per problem, exit 2;
- standard output closed (``>&-``), full (``>/dev/full``), a pipe whose reader
  has gone, or an encoding that cannot hold the report (``PYTHONIOENCODING=ascii``):
  one line saying so, exit 2 (what is pending for the output is dropped, so that
  Python does not complain of it again on the way out);
- Ctrl-C (:class:`KeyboardInterrupt`): one line, exit 130, as a shell reports
  a command interrupted by SIGINT (128 + 2). A file being written is left as it
  was (:mod:`doanorg.io._atomic`).

Every line written to stderr is shown by :func:`~doanorg.core._texts.printable`:
a name in a message cannot steer the terminal either.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import IO, NoReturn

from doanorg.core._texts import printable
from doanorg.errors import DoanorgError

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERRUPTED", "emit", "end", "guarded", "say"]

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


def emit(text: str) -> None:
    """Write ``text`` to standard output, and flush it: every character in it that would
    steer a terminal but its line ends written as its escape
    (:func:`~doanorg.core._texts.printable`; the reports escape line breaks in names
    too, and in JSON the escape is JSON's own).

    Raises
    ------
    DoanorgError
        If standard output is closed, cannot take the text's characters, or fails.
    """
    stream = sys.stdout
    if stream is None:
        raise DoanorgError("cannot write the output: standard output is closed")
    try:
        stream.write(printable(text, keep="\n"))
        stream.flush()
    except UnicodeEncodeError as error:  # (nothing written: the text is encoded first)
        character = error.object[error.start : error.start + 1]
        raise DoanorgError(
            f"cannot write the output: standard output takes {error.encoding} text only, "
            f"and the output holds {character!r}; set PYTHONIOENCODING=utf-8 (or a UTF-8 "
            "locale)") from None
    except (OSError, ValueError) as error:  # (ValueError: a stream already closed)
        _drop_pending(stream)
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise DoanorgError(f"cannot write the output: {reason}") from None


def say(line: str) -> None:
    """Write one line to stderr, shown :func:`~doanorg.core._texts.printable`; dropped if
    stderr is closed or fails (there is nowhere left to say it)."""
    stream = sys.stderr
    if stream is None:
        return
    shown = printable(line) + "\n"
    try:
        try:
            stream.write(shown)
        except UnicodeEncodeError:
            stream.write(shown.encode("ascii", "backslashreplace").decode("ascii"))
        stream.flush()
    except (OSError, ValueError):
        _drop_pending(stream)


def guarded(run: Callable[[], int]) -> int:
    """``run()``'s exit status, or that of the fault it ended with (see the module's
    docstring); argparse's exits (``--help``, usage errors) pass through."""
    try:
        return run()
    except DoanorgError as error:
        for problem in error.problems:
            say(f"error: {problem}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        if sys.stdout is not None:  # (the rest of an output cut short is not wanted)
            _drop_pending(sys.stdout)
        say("error: interrupted")
        return EXIT_INTERRUPTED


def end(status: int) -> NoReturn:
    """End the process with ``status`` at once, standard output and stderr flushed.

    A run that assessed a million units holds millions of objects; on the way out
    Python would free them one by one (a fifth of a second) and then stop pyarrow's
    threads. :func:`os._exit` skips both. Nothing else is pending by then: every output
    goes through :func:`emit` or :func:`say`, and every file is written whole, closed
    and put in place before (:mod:`doanorg.io._atomic`). Should standard output still
    fail to flush, that is said, and the status is 2.
    """
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError) as error:
        _drop_pending(sys.stdout)
        say(f"error: cannot write the output: {error.strerror or error}"
            if isinstance(error, OSError) else f"error: cannot write the output: {error}")
        status = EXIT_BAD_INPUT
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):  # (nowhere left to say it)
            sys.stderr.flush()
    os._exit(status)


def _drop_pending(stream: IO[str]) -> None:
    """Point ``stream``'s file at the null device, so that the text still pending in its
    buffer is dropped when Python flushes it at exit, not reported again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())
        finally:
            os.close(null)
