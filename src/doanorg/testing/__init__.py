"""Testing: property-test doanorg, and your own rules and tools built on it.

Layers, lowest first: errors → core → whatif → io → testing → cli. A module
may import its own layer and the layers below it.

This layer holds :mod:`~doanorg.testing.strategies` (Hypothesis strategies
for schemas, trees, plans, facts and scenarios),
:mod:`~doanorg.testing.laws` (the laws of the roll-up, as checks), and the
two plugins doanorg declares: the pytest plugin
(:mod:`~doanorg.testing.pytest_plugin`, named ``doanorg``: ``pytest -p
no:doanorg`` turns it off) and the Hypothesis one, which makes
``st.from_type`` draw doanorg's value types. It may import errors, the core,
whatif, io and the top-level names of :mod:`doanorg`; never the command
line, and no lower layer imports it.

The strategies need Hypothesis, a test extra (``pip install doanorg[test]``);
the laws and the pytest plugin do not, and the Hypothesis plugin loads the
strategies only when a test asks for one of doanorg's types. So this
``__init__`` imports nothing.
"""

__all__: list[str] = []
