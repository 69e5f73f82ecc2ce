"""The report's options of ``doanorg check`` and ``doanorg demo`` (SPEC §9).

``--format text|json|md|html|xlsx|tree`` chooses the report's form, ``--out FILE``
writes it to a file instead of the terminal (``html`` and ``xlsx`` always need one;
an existing file is replaced only with ``--force``), and ``--lang vi|en`` its words:
Vietnamese by default, English on request. JSON is the same in both languages.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from doanorg.core._catalogue import DEFAULT_LANG, LANGS
from doanorg.core.report import Report
from doanorg.errors import DoanorgError
from doanorg.io import REPORT_FORMATS

__all__ = [
    "FILE_FORMATS",
    "add_lang_option",
    "add_report_options",
    "add_schema_option",
    "check_report_options",
    "report_output",
]

FILE_FORMATS = ("html", "xlsx")
"""The formats that are files, never printed: they need ``--out``."""


def add_report_options(command: argparse.ArgumentParser, *,
                       formats: tuple[str, ...] = REPORT_FORMATS) -> None:
    """Add ``--format`` (one of ``formats``), ``--out``, ``--force`` and ``--lang`` to
    ``command``."""
    shown = {"text": "text (default)", "json": "json", "md": "md (Markdown)",
             "html": "html (one self-contained page)",
             "xlsx": "xlsx (a workbook; needs doanorg[excel])",
             "tree": "tree (each unit with its status)"}
    command.add_argument("--format", choices=formats, default="text",
                         help=", ".join(shown[name] for name in formats[:-1])
                         + f" or {shown[formats[-1]]}")
    command.add_argument("--out", metavar="FILE", type=Path,
                         help="write the output to FILE instead of printing it (html and "
                         "xlsx need it; never over a file that exists, unless --force)")
    command.add_argument("--force", action="store_true",
                         help="with --out: replace FILE if it exists (never an input file)")
    add_lang_option(command)


def add_schema_option(command: argparse.ArgumentParser) -> None:
    """Add ``--schema``, the schema a plan is read with, to ``command``."""
    command.add_argument("--schema", metavar="SCHEMA",
                         help="schema TOML file or built-in schema name "
                         "(default: the one the plan names, else 'doan')")


def add_lang_option(command: argparse.ArgumentParser) -> None:
    """Add ``--lang vi|en`` to ``command``: the words and number forms of what it prints."""
    command.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG,
                         help="the words of the output: vi (Vietnamese, the default) or en "
                         "(English); JSON is the same in both")


def check_report_options(args: argparse.Namespace) -> Path | None:
    """The ``--out`` file, once the options agree: a file format needs one, and
    ``--force`` means nothing without it."""
    out: Path | None = args.out
    if out is None and args.format in FILE_FORMATS:
        raise DoanorgError(f"--format {args.format}: writes a file; name it with --out FILE")
    if out is None and args.force:
        raise DoanorgError("--force: only with --out FILE (it lets FILE be replaced)")
    return out


def report_output(report: Report, format: str, lang: str) -> str:
    """The report as the text ``format`` prints (text, json, md or tree)."""
    if format == "json":
        return report.to_json()
    return {"text": report.to_text, "md": report.to_markdown,
            "tree": report.to_tree}[format](lang)
