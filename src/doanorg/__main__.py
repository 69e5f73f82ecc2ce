"""``python -m doanorg``: the same as the ``doanorg`` command."""

import sys

from doanorg.cli import main

sys.exit(main())
