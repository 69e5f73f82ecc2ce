"""Law of shown figures: a figure rounded for people never contradicts its verdict.

For any observed figure and bounds: the figure shown beside a bound equals the shown
bound only when the exact figure equals the bound, it stands on the same side of it as
the exact figure, and so the condition read on the shown figures gives the verdict the
report gives. Checked on :func:`doanorg.core._render.figure` itself and on the text of
reports the engine makes, for shares, ratios and totals.
"""

from __future__ import annotations

import re
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from doanorg import Facts, UnitRow, assess, build_org
from doanorg.core._render import figure
from doanorg.core.facts import RawValue
from doanorg.core.rules import Condition, plan_from_mapping
from doanorg.io import builtin_schema

_SCHEMA = builtin_schema("doan")


def _sign(number: Fraction) -> int:
    return (number > 0) - (number < 0)


def _read(text: str) -> Fraction:
    """A figure as shown (``1,234.5``, ``99.99%``) read back as a number."""
    number = Fraction(text.replace(",", "").rstrip("%"))
    return number / 100 if text.endswith("%") else number


@st.composite
def _decimals(draw: st.DrawFn, *, top: int = 10**7) -> Fraction:
    """A decimal as a plan writes one: up to 15 significant digits."""
    places = draw(st.integers(0, 8))
    return Fraction(draw(st.integers(0, min(top * 10**places, 10**15 - 1))), 10**places)


@st.composite
def _near(draw: st.DrawFn, anchors: list[Fraction]) -> Fraction:
    """A figure on, or a hair's breadth either side of, one of ``anchors``, or anywhere."""
    if not anchors or draw(st.booleans()):
        return Fraction(draw(st.integers(0, 10**19)), draw(st.integers(1, 10**19)))
    anchor = draw(st.sampled_from(anchors))
    offset = Fraction(draw(st.integers(-3, 3)), 10 ** draw(st.integers(0, 25)))
    return max(Fraction(0), anchor + offset)


@given(st.data())
def test_a_figure_keeps_its_side_of_every_reference(data: st.DataObject) -> None:
    references = data.draw(st.lists(_decimals(), max_size=3), label="references")
    value = data.draw(_near(references), label="value")
    percent = data.draw(st.booleans(), label="percent")
    shown = figure(value, references, percent=percent)
    for reference in references:
        assert _sign(_read(shown) - reference) == _sign(value - reference), (shown, reference)
        assert _exact_text(reference) == figure(reference, [reference])  # a bound: in full


def _exact_text(number: Fraction) -> str:
    """A finite decimal written in full, as a bound is shown."""
    places = 0
    while (number * 10**places).denominator != 1:
        places += 1
    whole, rest = divmod(int(number * 10**places), 10**places)
    return f"{whole:,}" + (f".{rest:0{places}d}".rstrip("0") if rest else "")


# --- through the engine and the report's text ------------------------------------------------

_LINE = re.compile(r"\] t +\S.* — (?:\d+/\d+ units \((?P<share>[\d,.]+%)\) meet .*; need "
                   r"(?P<need>[\d,.]+%)|(?:ratio|total) (?P<observed>[\d,.]+%?); need "
                   r"(?P<condition>.+))$", re.MULTILINE)
_CONDITION = re.compile(r"(?P<op>≥|≤|=|≠) (?P<a>[\d,.]+%?)|(?P<low>[\d,.]+%?)–(?P<high>[\d,.]+%?)")


Bounds = dict[str, Fraction]
"""A condition's numeric bounds, exactly: ``at_least``, ``at_most``, ``equals`` or
``not_equals`` (a range has the first two)."""
_KEYS = ("at_least", "at_most", "equals", "not_equals")


def _shown_bounds(text: str) -> Bounds:
    """The condition as the report shows it (``≥ 100%``, ``1,000–1,500``), read back."""
    match = _CONDITION.fullmatch(text)
    assert match, text
    if match["low"]:
        return {"at_least": _read(match["low"]), "at_most": _read(match["high"])}
    return {_KEYS["≥≤=≠".index(match["op"])]: _read(match["a"])}


def _exact_bounds(condition: Condition) -> Bounds:
    """The plan's bounds as the decimals written (0.7 is 7/10)."""
    return {key: Fraction(repr(value)) for key in _KEYS
            if isinstance(value := getattr(condition, key), float)}


def _holds(bounds: Bounds, value: Fraction) -> bool:
    checks = {"at_least": value.__ge__, "at_most": value.__le__, "equals": value.__eq__,
              "not_equals": value.__ne__}
    return all(checks[key](bound) for key, bound in bounds.items())


@st.composite
def _conditions(draw: st.DrawFn) -> Condition:
    first = float(draw(_decimals(top=10**4)))
    second = float(draw(_decimals(top=10**4)))
    low, high = sorted((first, second))
    return draw(st.sampled_from([Condition(at_least=first), Condition(at_most=first),
                                 Condition(at_least=low, at_most=high),
                                 Condition(equals=first), Condition(not_equals=first)]))


@given(st.data())
def test_a_ratio_or_total_shown_agrees_with_its_verdict(data: st.DataObject) -> None:
    """The ratio of two counts, or a total of an amount, at the root: the shown figure
    and the shown bounds give the verdict the report gives, and each shown bound is the
    plan's; the shown figure equals a shown bound only when the figure is that bound."""
    condition = data.draw(_conditions(), label="condition")
    bounds = _exact_bounds(condition)
    kind = data.draw(st.sampled_from(["ratio", "total"]), label="kind")
    if kind == "ratio":
        denominator = data.draw(st.integers(1, 10**18), label="denominator")
        aim = data.draw(_near(list(bounds.values())), label="aim")
        numerator = min(max(0, round(aim * denominator) + data.draw(st.integers(-1, 1))),
                        2**62)
        records: dict[str, dict[str, RawValue]] = {
            "k": {"trained": numerator, "cadres": denominator}}
        target: dict[str, object] = {"id": "t", "ratio": ["trained", "cadres"]}
        exact = Fraction(numerator, denominator)
    else:
        exact = data.draw(_near(list(bounds.values())), label="total")
        exact = Fraction(round(exact * 10**6), 10**6)  # amounts as written, six places
        written = _exact_text(exact).replace(",", "")
        # an amount holds at most 15 significant digits (what a float reads exactly)
        assume(len(written.replace(".", "").lstrip("0")) <= 15)
        records = {"k": {"funds": written}}
        target = {"id": "t", "total": "funds"}
    target.update({key: getattr(condition, key) for key in bounds})
    plan = plan_from_mapping({"id": "p", "metrics": {
        "trained": {"type": "count"}, "cadres": {"type": "count"},
        "funds": {"type": "amount"}}, "targets": [target]}, _SCHEMA)
    org = build_org([UnitRow("k", None, "khoi", "K")], _SCHEMA)
    report = assess(org, Facts.from_records(records), plan)
    result = report.result("t")
    assert result.status == ("met" if _holds(bounds, exact) else "not_met")
    match = _LINE.search(report.to_text("en"))
    assert match and match["observed"], report.to_text("en")
    shown = _read(match["observed"])
    assert bounds == _shown_bounds(match["condition"])  # each bound shown as written
    assert _holds(bounds, shown) == (result.status == "met"), match.group(0)
    for bound in bounds.values():
        assert _sign(shown - bound) == _sign(exact - bound), match.group(0)


@given(st.data())
def test_a_share_shown_agrees_with_its_verdict(data: st.DataObject) -> None:
    """passing/selected chi đoàn beside ``share``: shown at or above the shown share
    exactly when met, equal to it only when the share is exactly reached."""
    selected = data.draw(st.integers(1, 60), label="selected")
    passing = data.draw(st.integers(0, selected), label="passing")
    exact = Fraction(passing, selected)
    share = data.draw(st.one_of(
        _decimals(top=1),
        st.integers(0, 8).map(lambda places: Fraction(round(exact * 10**places), 10**places)),
        st.just(exact).filter(lambda share: (share * 10**8).denominator == 1),
    ).filter(lambda share: 0 < share <= 1), label="share")  # a share near the figure, or on it
    org = build_org([UnitRow("k", None, "khoi", "K"), UnitRow("cs", "k", "doan_co_so", "CS"),
                     *[UnitRow(f"c{n}", "cs", "chi_doan", f"C{n}") for n in range(selected)]],
                    _SCHEMA)
    plan = plan_from_mapping({"id": "p", "metrics": {"pledged": {"type": "flag"}}, "targets": [
        {"id": "t", "each": ["chi_doan"], "metric": "pledged", "equals": True,
         "share": float(share)}]}, _SCHEMA)
    facts = Facts.from_records({f"c{n}": {"pledged": n < passing} for n in range(selected)})
    report = assess(org, facts, plan)
    match = _LINE.search(report.to_text("en"))
    assert match and match["share"], report.to_text("en")
    shown, need = _read(match["share"]), _read(match["need"])
    assert need == share
    assert _sign(shown - need) == _sign(exact - share), match.group(0)
    assert (shown >= need) == (report.result("t").status == "met"), match.group(0)
