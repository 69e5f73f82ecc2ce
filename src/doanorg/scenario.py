"""The old path of :mod:`doanorg.whatif.scenario`, where what-if scenarios now live.

Import them from :mod:`doanorg.whatif.scenario`. This alias holds only the
names :mod:`doanorg.io` reads and writes scenario files with, and goes once
``doanorg.io`` imports them from their new path.
"""

from doanorg.whatif.scenario import Edit, Scenario, edit_from_mapping, edit_to_mapping

__all__ = ["Edit", "Scenario", "edit_from_mapping", "edit_to_mapping"]
