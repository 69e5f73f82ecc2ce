"""doanorg's pytest plugin: the laws of the roll-up as one fixture, ``doanorg_laws``.

pytest loads this plugin by itself once doanorg is installed (through the
``pytest11`` entry point doanorg declares; ``-p no:doanorg`` turns it off).
A test then checks every law of :mod:`doanorg.testing.laws` in one line:

.. code-block:: python

    def test_my_year_keeps_the_laws(doanorg_laws, org, facts, plan):
        doanorg_laws.check(org, facts, plan)

and any one law by its name (``doanorg_laws.additivity(org, facts, plan)``,
``doanorg_laws.monotonicity(org, facts, plan, unit="h01", metric="m",
amount=1)``, ...). A law that does not hold fails the test with a
:class:`~doanorg.testing.laws.LawViolation`, which names the law, the counterexample
unit and the figures. With Hypothesis, draw the data from
:mod:`doanorg.testing.strategies` and use the fixture in a ``@given`` test: it holds
no state and is session-scoped, so Hypothesis's health check against
function-scoped fixtures does not object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from doanorg.core.facts import Facts
    from doanorg.core.model import Org
    from doanorg.core.rules import Plan

__all__ = ["Laws", "doanorg_laws"]


class Laws:
    """The laws of :mod:`doanorg.testing.laws`, for a test: :meth:`check` runs them all.

    Each law is also an attribute named after it, taking the arguments of its
    ``check_*`` function.

    Examples
    --------
    >>> from doanorg import Facts, UnitRow, build_org, load_plan
    >>> plan = load_plan("doan-khoi-2020")
    >>> org = build_org([UnitRow("khoi", None, "khoi", "Đoàn Khối")], plan.schema)
    >>> Laws().check(org, Facts.from_records({"khoi": {"trees_planted": 30000}}), plan)
    >>> Laws().additivity(org, Facts.from_records({}), plan)
    """

    def check(self, org: Org, facts: Facts, plan: Plan) -> None:
        """Check every law (:func:`doanorg.testing.laws.check_all`); raise the first violation."""
        from doanorg.testing.laws import check_all

        check_all(org, facts, plan)

    def additivity(self, org: Org, facts: Facts, plan: Plan) -> None:
        """:func:`doanorg.testing.laws.check_additivity`."""
        from doanorg.testing.laws import check_additivity

        check_additivity(org, facts, plan)

    def ratio_of_sums(self, org: Org, facts: Facts, plan: Plan) -> None:
        """:func:`doanorg.testing.laws.check_ratio_of_sums`."""
        from doanorg.testing.laws import check_ratio_of_sums

        check_ratio_of_sums(org, facts, plan)

    def monotonicity(self, org: Org, facts: Facts, plan: Plan, **arguments: Any) -> None:
        """:func:`doanorg.testing.laws.check_monotonicity` (``unit``, ``metric``, ``amount``)."""
        from doanorg.testing.laws import check_monotonicity

        check_monotonicity(org, facts, plan, **arguments)

    def locality(self, org: Org, facts: Facts, plan: Plan, **arguments: Any) -> None:
        """:func:`doanorg.testing.laws.check_locality` (``at``, ``other_facts``)."""
        from doanorg.testing.laws import check_locality

        check_locality(org, facts, plan, **arguments)

    def permutation(self, org: Org, facts: Facts, plan: Plan, **arguments: Any) -> None:
        """:func:`doanorg.testing.laws.check_permutation` (``order``)."""
        from doanorg.testing.laws import check_permutation

        check_permutation(org, facts, plan, **arguments)

    def gap(self, org: Org, facts: Facts, plan: Plan, **arguments: Any) -> None:
        """:func:`doanorg.testing.laws.check_gap` (``at``, ``include_aspirational``)."""
        from doanorg.testing.laws import check_gap

        check_gap(org, facts, plan, **arguments)


@pytest.fixture(scope="session")
def doanorg_laws() -> Laws:
    """The laws of the roll-up: ``doanorg_laws.check(org, facts, plan)`` runs them all."""
    return Laws()
