"""The core: the organisation tree, facts, plans, the roll-up and the report.

Layers, lowest first: errors → core → whatif → io → testing → cli. A module
may import its own layer and the layers below it.

This layer holds what an assessment is made of, in memory, and does no I/O:
:mod:`~doanorg.core.schema` (kinds and where each may stand),
:mod:`~doanorg.core.model` (the tree, in tree order),
:mod:`~doanorg.core.metrics` (metric types, one value read),
:mod:`~doanorg.core.facts` (each unit's own values, as columns),
:mod:`~doanorg.core.rules` (conditions, targets, plans),
:mod:`~doanorg.core.engine` (the roll-up: one bottom-up pass, any subtree) and
:mod:`~doanorg.core.report` (the report, and its rendering for people). Its
modules import :mod:`doanorg.errors`, pyarrow, numpy and attrs, and each
other in that order — texts and schema first, the report last — never
anything above. Nothing is re-exported here: the public names are
:mod:`doanorg`'s.
"""

__all__: list[str] = []
