"""The ``hazard-rules`` command line. Each command calls one library function.

Exit codes (the same for every command):

====  =====================================================================
0     success: rulesets valid, tests passed, no major hazard found
1     findings: a record has a major hazard, or a ruleset test failed
2     invalid ruleset, invalid usage, or a file or record that was not found
3     some input records are bad (they are still reported, row by row)
====  =====================================================================

When several apply, the highest code wins.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hazard_rules import __version__

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_INVALID", "EXIT_OK", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2
EXIT_BAD_INPUT = 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="hazard-rules",
        description="Classify inspection records against China's major-accident-hazard "
                    "judgment standards (重大事故隐患判定标准).",
        epilog="Exit codes: 0 ok, 1 findings or test failures, 2 invalid ruleset or usage, "
               "3 bad input records.",
    )
    p.add_argument("--version", action="version", version=f"hazard-rules {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def rulesets_args(sp: argparse.ArgumentParser, positional: bool) -> None:
        if positional:
            sp.add_argument("paths", nargs="*", metavar="PATH",
                            help="rulesets folders, edition folders or ruleset.yaml files "
                                 "(default: the bundled rulesets)")
        else:
            sp.add_argument("--rulesets", dest="paths", action="append", default=[],
                            metavar="PATH", help="rulesets to use instead of the bundled ones "
                                                 "(repeatable)")
        sp.add_argument("--with-bundled", action="store_true",
                        help="load the bundled rulesets as well as PATH")

    def report_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--format", choices=("text", "json", "junit", "sarif"),
                        default="text", help="format of the report on stdout (default text)")
        for flag, what in (("--json", "JSON"), ("--junit-xml", "JUnit XML"),
                           ("--sarif", "SARIF 2.1.0")):
            sp.add_argument(flag, metavar="PATH",
                            help=f"also write the report as {what} to PATH")

    sp = sub.add_parser("validate", help="check rulesets: YAML, facts, conditions, case files; "
                                         "with --strict, static analysis too")
    rulesets_args(sp, positional=True)
    sp.add_argument("--strict", action="store_true",
                    help="also run the static checks (contradictions, equivalent rules, "
                         "unused facts, cases, citations, clause text...)")
    sp.add_argument("--config", metavar="FILE",
                    help="check configuration (default: ./.hazard-rules.yaml if present)")
    sp.add_argument("--standards", metavar="DIR",
                    help="folder of official texts to compare clause text with (--strict)")
    sp.add_argument("--list-checks", action="store_true",
                    help="list the static checks with their codes and severities, and exit")
    report_args(sp)

    sp = sub.add_parser("test", help="run the cases beside each edition")
    rulesets_args(sp, positional=True)
    sp.add_argument("--backend", default="python",
                    help="evaluation backend for the cases (python or rete)")
    sp.add_argument("--min-coverage", type=float, metavar="PERCENT",
                    help="fail when condition coverage is below PERCENT")
    report_args(sp)
    sp.add_argument("-v", "--verbose", action="store_true",
                    help="list every case, and each atom not yet seen TRUE, FALSE or UNKNOWN")

    sp = sub.add_parser("coverage", help="clauses, rules, missing text and cases per edition")
    rulesets_args(sp, positional=True)
    sp.add_argument("--format", choices=("text", "json"), default="text")

    sp = sub.add_parser("classify", help="classify records from a file (JSON Lines, JSON, "
                                         "CSV, Parquet), in batches")
    sp.add_argument("input", metavar="INPUT", help="records file, or - for stdin")
    sp.add_argument("-o", "--output", default="-", help="verdicts file (default: stdout)")
    sp.add_argument("--input-format", choices=("auto", "jsonl", "json", "csv", "parquet"),
                    default="auto")
    sp.add_argument("--output-format", choices=("auto", "jsonl", "csv", "parquet"),
                    default="auto")
    sp.add_argument("--missing", choices=("unknown", "false"), default="unknown",
                    help="unknown: unreported facts are unknown (default); false: closed "
                         "world, unreported facts count as compliant")
    sp.add_argument("--backend", choices=("auto", "columnar", "python", "rete"),
                    default="auto",
                    help="auto (default): column-wise if polars is installed, else python")
    sp.add_argument("--batch-size", type=int, default=50_000, metavar="N",
                    help="records per batch; memory grows with it (default 50000)")
    sp.add_argument("--errors", metavar="PATH",
                    help="write bad rows here, one JSON line each (default: "
                         "OUTPUT.errors.jsonl if a row is bad; on stderr for stdout)")
    sp.add_argument("-q", "--quiet", action="store_true",
                    help="no progress bar and no summary on stderr")
    rulesets_args(sp, positional=False)

    sp = sub.add_parser("explain", help="explain the verdict of one record of a file")
    sp.add_argument("input", metavar="INPUT", help="records file, or - for stdin")
    sp.add_argument("--record", required=True, metavar="ID", help="the record_id to explain")
    sp.add_argument("--lang", choices=("zh", "en"), default="zh")
    sp.add_argument("--input-format", choices=("auto", "jsonl", "json", "csv"), default="auto")
    sp.add_argument("--missing", choices=("unknown", "false"), default="unknown")
    rulesets_args(sp, positional=False)

    sp = sub.add_parser("rules", help="list or show rules and editions")
    rsub = sp.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    lp = rsub.add_parser("list", help="list editions and their rules")
    lp.add_argument("--edition", help="only this edition")
    lp.add_argument("--format", choices=("text", "json"), default="text")
    rulesets_args(lp, positional=False)
    shp = rsub.add_parser("show", help="show a rule, or an edition (with --source its code)")
    shp.add_argument("id", metavar="ID", help="a rule id (gongmao-2023/11.3) or an edition id")
    shp.add_argument("--lang", choices=("zh", "en"), default="zh")
    shp.add_argument("--source", action="store_true",
                     help="for an edition: print the Python the reference backend generates")
    rulesets_args(shp, positional=False)

    sp = sub.add_parser("schema", help="print the JSON Schema of a verdict")

    sp = sub.add_parser(
        "diff", help="what changed between two rulesets or editions, rule by rule",
        description="Compare two rulesets trees, or two editions (edition folders or "
                    "ruleset.yaml files, compared as old and new edition of one standard). "
                    "Exit code 0: no differences; 1: differences; 2: invalid input.")
    sp.add_argument("old", metavar="OLD", help="the old rulesets folder, edition or ruleset.yaml")
    sp.add_argument("new", metavar="NEW", help="the new rulesets folder, edition or ruleset.yaml")
    sp.add_argument("--records", metavar="FILE",
                    help="also judge these records (JSON Lines, JSON, CSV, Parquet; - for "
                         "stdin) with both and report the ones whose verdict changes")
    sp.add_argument("--records-format", choices=("auto", "jsonl", "json", "csv", "parquet"),
                    default="auto")
    sp.add_argument("--format", choices=("text", "json"), default="text")
    sp.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")

    sp = sub.add_parser("docs", help="write a browsable rule catalog (Markdown and HTML)")
    sp.add_argument("out", metavar="OUT", help="the folder to write into (created if needed)")
    rulesets_args(sp, positional=True)
    sp.add_argument("--format", choices=("md", "html", "both"), default="both")
    sp.add_argument("--lang", choices=("zh", "en"), default="zh",
                    help="language of the pages and of fact labels in conditions")
    sp.add_argument("--as-of", metavar="DATE",
                    help="show each edition's status on this day (default: by the "
                         "rulesets' dates alone)")

    sp = sub.add_parser("township", help="generate a synthetic township's year of inspection "
                                         "records (deterministic)")
    sp.add_argument("-o", "--output", default="-",
                    help="records file: .jsonl or .parquet (default: JSON Lines on stdout)")
    sp.add_argument("--format", choices=("auto", "jsonl", "parquet"), default="auto",
                    help="output format (default: by the file's extension)")
    sp.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    sp.add_argument("--enterprises", type=int, default=120, metavar="N",
                    help="number of enterprises (default 120)")
    sp.add_argument("--villages", type=int, default=6, metavar="N",
                    help="number of villages, 1 to 10 (default 6)")
    sp.add_argument("--year", type=int, default=2025, help="year of the records (default 2025)")
    sp.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from hazard_rules.cli import authoring, commands

    args = _parser().parse_args(argv)
    handler = {
        "validate": commands.validate,
        "test": commands.test,
        "coverage": commands.coverage,
        "classify": commands.classify,
        "explain": commands.explain,
        "rules": commands.rules,
        "schema": commands.schema,
        "diff": authoring.diff,
        "docs": authoring.docs,
        "township": commands.township,
    }[args.command]
    try:
        return handler(args)
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        return EXIT_OK
