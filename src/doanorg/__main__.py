"""The ``doanorg`` command's process: ``python -m doanorg`` and the installed ``doanorg``
script (:func:`run`) are the same.

Before anything imports numpy or pyarrow, the command's process sets two things for
itself, each unless its environment already says otherwise (:data:`PROCESS_SETTINGS`):

- ``OPENBLAS_NUM_THREADS=1``: doanorg does no linear algebra, yet numpy's OpenBLAS
  starts a thread per core as numpy is imported, and for a while they spin; on a
  two-core machine one takes a core from the CSV reader (about 0.1 s of processor time
  a run).
- ``ARROW_DEFAULT_MEMORY_POOL=system``: pyarrow's columns are allocated with malloc, as
  numpy's arrays are, so that memory one frees the other reuses. With pyarrow's own
  pool (mimalloc) beside malloc, each keeps its own high-water mark: over 10^6 units
  the command's peak was 25–40 MB higher and its system time more than twice as long.

A program that imports doanorg keeps its own settings: only the command does this.
"""

import os
from typing import NoReturn

PROCESS_SETTINGS = {"OPENBLAS_NUM_THREADS": "1", "ARROW_DEFAULT_MEMORY_POOL": "system"}
"""What the command's process sets in its environment, where the environment does not."""


def run() -> NoReturn:
    """The ``doanorg`` command: :func:`doanorg.cli.run` in a process set up as the
    module's docstring says."""
    for name, value in PROCESS_SETTINGS.items():
        os.environ.setdefault(name, value)
    from doanorg.cli import run as command  # (numpy and pyarrow are loaded from here on)

    command()


if __name__ == "__main__":
    run()
