"""The ``doanorg`` command's process: ``python -m doanorg`` and the installed ``doanorg``
script (:func:`run`) are the same.

doanorg does no linear algebra, yet numpy's OpenBLAS starts a thread per core as numpy
is imported, and for a while they spin; on a two-core machine one takes a core from the
CSV reader (about 0.1 s of processor time a run). So the command's process asks
OpenBLAS for one thread, before anything imports numpy, unless its environment already
says how many (``OPENBLAS_NUM_THREADS``). A program that imports doanorg keeps its own
setting: only the command does this.
"""

import os
from typing import NoReturn


def run() -> NoReturn:
    """The ``doanorg`` command: :func:`doanorg.cli.run` in a process whose OpenBLAS keeps
    to one thread (see the module's docstring)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from doanorg.cli import run as command  # (numpy is loaded from here on)

    command()


if __name__ == "__main__":
    run()
