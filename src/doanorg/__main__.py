"""``python -m doanorg``: the same as the ``doanorg`` command."""

from doanorg.cli import run

run()
