"""The report as one self-contained HTML page (``--format html``, SPEC §9).

The page holds everything it shows: its style (with a print stylesheet) and a
few lines of script, inline; it loads nothing (its Content-Security-Policy
forbids any fetch), so that it can be sent up the line as one file and opened
anywhere. In order:

- the summary: the plan, the unit assessed, the verdict and the count of
  targets by status, and the units that did not report;
- the tree of units, each marked by the compliance of the plan assessed at it
  (``✓``/``✗``), collapsible (``<details>``: a click on a unit opens or closes
  its subtree; the top is open), with buttons to open or close every level;
- each target: its id and status, the plan's own Vietnamese words, observed
  against required, a bar (the observed figure, and a line where the
  requirement stands), and its failing units with their values and shortfalls.

Printed, every level of the tree opens and the buttons are left out.
Every text — names, ids, the plan's words, values — is escaped
(:func:`html.escape`): a unit named ``<script>alert(1)</script>`` reads as
those characters. Words are the catalogue's (:mod:`doanorg.core._catalogue`).

Part of the core: it reads a report through the protocols of
:mod:`doanorg.core._render` and :mod:`doanorg.core._tree`; no I/O.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from fractions import Fraction

from doanorg.core._catalogue import DEFAULT_LANG, Catalogue, catalogue
from doanorg.core._render import (
    MARKS,
    Report,
    TargetResult,
    as_of_text,
    figures,
    format_number,
    observed_exact,
    observed_figure,
    pace_text,
    required_text,
    status_text,
    stretch_text,
    verdict,
)
from doanorg.core._tree import UnitRow, unit_verdict

__all__ = ["bar_widths", "escape", "page_head", "render_html"]

_STYLE = """
:root { --ok: #1b7a3a; --bad: #b3261e; --muted: #666; --line: #ddd; }
body { font-family: "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
       margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem;
     margin-top: 2rem; }
.verdict { font-weight: bold; padding: .5rem .75rem; border-radius: .25rem; }
.verdict.ok { background: #e6f4ea; color: var(--ok); }
.verdict.bad { background: #fce8e6; color: var(--bad); }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .2rem .5rem; text-align: left;
         vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: var(--ok); }
.bad { color: var(--bad); }
.muted { color: var(--muted); }
.tree, .tree ul { list-style: none; padding-left: 1.25rem; margin: 0; }
.tree { padding-left: 0; }
.tree summary { cursor: pointer; }
.tree .leaf { padding-left: 1.1rem; }
.mark { font-weight: bold; }
.target { border: 1px solid var(--line); border-radius: .25rem; padding: .5rem .75rem;
          margin: .75rem 0; break-inside: avoid; }
.target h3 { font-size: 1rem; margin: 0 0 .25rem 0; }
.target .text { margin: .25rem 0; }
.bar { position: relative; height: .8rem; background: #eee; border-radius: .2rem;
       margin: .4rem 0; max-width: 30rem; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; border-radius: .2rem; }
.bar .fill.ok { background: var(--ok); }
.bar .fill.bad { background: var(--bad); }
.bar .fill.none { background: #999; }
.bar .need { position: absolute; top: -.2rem; bottom: -.2rem; width: 2px; background: #000; }
.buttons { margin: .5rem 0; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  .buttons { display: none; }
  .verdict, .bar, .bar .fill { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

_SCRIPT = """
(function () {
  function all(open) {
    document.querySelectorAll("#tree details").forEach(function (d) { d.open = open; });
  }
  document.getElementById("expand-all").addEventListener("click", function () { all(true); });
  document.getElementById("collapse-all").addEventListener("click", function () {
    all(false);
  });
  window.addEventListener("beforeprint", function () { all(true); });
})();
"""

_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
           "img-src data:")


def escape(text: object) -> str:
    """``text`` escaped for HTML, quotes included (every text of a page goes through
    here).

    >>> escape('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return html.escape(str(text), quote=True)


def page_head(title: str, lang: str) -> list[str]:
    """The lines of a page up to its ``<body>``: the language, the policy that lets it
    load nothing, the title (escaped) and the style, which every page of doanorg shares
    (the report's and the scores')."""
    return ["<!DOCTYPE html>", f'<html lang="{escape(lang)}">', "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<link rel="icon" href="data:,">', f"<title>{escape(title)}</title>",
            f"<style>{_STYLE}</style>", "</head>", "<body>"]


def bar_widths(result: TargetResult) -> tuple[float, float] | None:
    """Where a target's bar ends and where its requirement stands, in percent of the
    bar's width: the share of units passing and ``share`` for ``each``; else the observed
    figure and the lower bound (or the upper one alone) on a scale that holds both and
    the upper bound of a range. ``None`` where there is nothing to draw.

    >>> from doanorg import TargetResult
    >>> bar_widths(TargetResult(id="4", type="total", aspirational=False, status="met",
    ...                         observed=28640, required=26200))
    (100.0, 91.48)
    """
    exact = observed_exact(result)
    required = result.required
    if exact is None or not isinstance(required, int | float) or isinstance(required, bool):
        return None
    if result.type == "each":
        return _percent(exact), _percent(Fraction(str(required)))
    scale = max(exact, Fraction(str(required)), Fraction(str(result.required_max or 0)))
    if scale <= 0:
        return None
    return _percent(exact / scale), _percent(Fraction(str(required)) / scale)


def _percent(share: Fraction) -> float:
    return round(float(min(max(share, Fraction(0)), Fraction(1))) * 100, 2)


def _tree(rows: Sequence[UnitRow], words: Catalogue) -> list[str]:
    """The units as nested lists; a unit with children is a ``<details>`` (the top open)."""
    out = ['<ul class="tree">']
    for index, row in enumerate(rows):
        has_children = index + 1 < len(rows) and rows[index + 1].depth > row.depth
        state = "ok" if row.compliant else "bad"
        silent = ("" if row.reported
                  else f' <span class="muted">({escape(words["not_reported"])})</span>')
        label = (f'<span class="mark {state}">{"✓" if row.compliant else "✗"}</span> '
                 f"<code>{escape(row.unit)}</code> {escape(row.name)}{silent} "
                 f'<span class="{state}">— {escape(unit_verdict(row, words))}</span>')
        if has_children:
            opened = " open" if row.depth == 0 else ""
            out.append(f'<li data-unit="{escape(row.unit)}"><details{opened}>'
                       f"<summary>{label}</summary><ul>")
        else:
            out.append(f'<li data-unit="{escape(row.unit)}" class="leaf">{label}</li>')
        following = rows[index + 1].depth if index + 1 < len(rows) else 0
        for _ in range(row.depth - following if not has_children else 0):
            out.append("</ul></details></li>")
    out.append("</ul>")
    return out


def _target(result: TargetResult, silent: frozenset[str], words: Catalogue) -> list[str]:
    lang = words.lang
    state = {"met": "ok", "not_met": "bad"}.get(result.status, "none")
    out = [f'<section class="target" id="target-{escape(result.id)}">',
           f'<h3><span class="mark {state}">{escape(MARKS[result.status])}</span> '
           f"{escape(result.id)} — <span class=\"{state}\">"
           f"{escape(status_text(result, lang))}</span></h3>"]
    if result.text:
        out.append(f'<p class="text" lang="vi">{escape(result.text)}</p>')
    out.append(f"<p>{escape(figures(result, lang) + stretch_text(result, lang))}</p>")
    if result.pace is not None:
        out.append(f'<p class="pace">{escape(pace_text(result.pace, lang))}</p>')
    widths = bar_widths(result)
    if widths is not None:
        fill, need = widths
        label = words.say("observed_vs_required", observed=observed_figure(result, lang=lang),
                          required=required_text(result, lang))
        out.append(f'<div class="bar" role="img" aria-label="{escape(label)}" '
                   f'title="{escape(label)}">'
                   f'<div class="fill {state}" style="width: {fill}%"></div>'
                   f'<div class="need" style="left: {need}%"></div></div>')
    if result.failing:
        heads = [words[f"head.{key}"] for key in ("unit", "name", "value", "shortfall")]
        out += [f"<details{' open' if len(result.failing) <= 25 else ''}>",
                f"<summary>{escape(words.say('falling_short', count=len(result.failing)))}"
                "</summary>",
                "<table><thead><tr>" + "".join(f"<th>{escape(head)}</th>" for head in heads)
                + "</tr></thead><tbody>"]
        for unit in result.failing:
            value = (f"({words['not_reported']})" if unit.unit in silent
                     else format_number(unit.value, lang=lang))
            out.append(f"<tr><td><code>{escape(unit.unit)}</code></td><td>{escape(unit.name)}</td>"
                       f'<td class="number">{escape(value)}</td>'
                       f'<td class="number">{escape(format_number(unit.shortfall, lang=lang))}'
                       "</td></tr>")
        out.append("</tbody></table></details>")
    out.append("</section>")
    return out


def render_html(report: Report, rows: Sequence[UnitRow], lang: str = DEFAULT_LANG) -> str:
    """The report as one self-contained HTML page, in ``lang``; ``rows`` are the units of
    the assessed subtree with their verdicts (none: the page has no tree)."""
    words = catalogue(lang)
    state = "ok" if report.compliant else "bad"
    at = f"{report.at} — {report.at_name}" if report.at_name else report.at
    title = report.plan_title or report.plan
    summary = report.summary
    out = [*page_head(f"{words['report_title']} — {title} — {report.at}", lang),
           f"<h1>{escape(title)}</h1>",
           f"<p>{escape(words['plan'])}: <code>{escape(report.plan)}</code> · "
           f"{escape(words['assessed_at'])}: {escape(at)}</p>",
           f'<section id="summary"><h2>{escape(words["summary"])}</h2>',
           f'<p class="verdict {state}">{escape(verdict(report, lang))}</p>',
           *([f"<p>{escape(as_of_text(report.pacing, lang))}</p>"] if report.pacing else []),
           "<table><tbody>"]
    for key in ("targets", "met", "not_met", "not_applicable", "informational"):
        head = words["count_targets"] if key == "targets" else words.status(key)
        out.append(f'<tr><th>{escape(head)}</th><td class="number">{summary[key]}</td></tr>')
    out.append("</tbody></table>")
    if report.not_reported:
        out.append(f"<p>{escape(words.say('not_reported_list', count=len(report.not_reported)))}: "
                   + ", ".join(f"<code>{escape(unit)}</code>" for unit in report.not_reported)
                   + "</p>")
    if report.warnings:
        out.append(f"<p>{escape(words.say('warnings', count=len(report.warnings)))}</p><ul>"
                   + "".join(f"<li>{escape(warning)}</li>" for warning in report.warnings)
                   + "</ul>")
    out.append("</section>")
    if rows:
        out += [f'<section id="tree"><h2>{escape(words["tree"])}</h2>',
                '<div class="buttons">'
                f'<button type="button" id="expand-all">{escape(words["expand_all"])}</button> '
                f'<button type="button" id="collapse-all">{escape(words["collapse_all"])}</button>'
                "</div>", *_tree(rows, words), "</section>"]
    silent = frozenset(report.not_reported)
    out.append(f'<section id="targets"><h2>{escape(words["targets"])}</h2>')
    for result in report.results:
        out += _target(result, silent, words)
    out.append("</section>")
    if rows:
        out.append(f"<script>{_SCRIPT}</script>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
