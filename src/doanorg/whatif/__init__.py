"""What if: scenarios of edits, what they change, and the least effort that meets a plan.

Layers, lowest first: errors → core → whatif → io → testing → cli. A module
may import its own layer and the layers below it.

This layer holds what works on what-if scenarios, in memory:
:mod:`~doanorg.whatif.scenario` (the baseline and its edits),
:mod:`~doanorg.whatif.compare` (what flips between two scenarios, and why),
:mod:`~doanorg.whatif.gap` (the least extra effort) and
:mod:`~doanorg.whatif.sweep` (many scenarios compared at once, on any
executor); comparisons and gaps render themselves as text or Markdown, in the words of the report's
rendering. It imports errors, the core and itself; never :mod:`doanorg.io`,
which reads and writes scenario files and so stands above it, nor testing
or the command line. Nothing is re-exported here: import each name from its
module (:func:`doanorg.sweep` is also a top-level name).
"""

__all__: list[str] = []
