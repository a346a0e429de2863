"""The ``diff`` and ``docs`` commands: thin wrappers over :mod:`hazard_rules.authoring`.

``diff`` exits like ``diff(1)``: 0 when nothing differs, 1 when something does (a
rule, an edition, a fact, or, with ``--records``, a record's verdict), 2 when an
input is invalid (a ruleset that does not load, a path or records file that does
not exist, a single edition with no counterpart).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from hazard_rules.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK
from hazard_rules.errors import RulesetError, render_diagnostics

__all__ = ["diff", "docs"]


def _err(text: str) -> None:
    print(text, file=sys.stderr)


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    if path is None or path == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        yield f


def diff(args: argparse.Namespace) -> int:
    """``hazard-rules diff OLD NEW``: what changed, rule by rule; exit 0, 1 or 2."""
    from hazard_rules.authoring.compare import PairingError, diff_paths
    from hazard_rules.authoring.diff_text import render_diff

    for path in (args.old, args.new, args.records):
        if path is not None and path != "-" and not Path(path).exists():
            _err(f"hazard-rules: no such file or folder: {path}")
            return EXIT_INVALID
    try:
        result = diff_paths(args.old, args.new, records=args.records,
                            records_format=args.records_format)
    except RulesetError as exc:
        _err(render_diagnostics(exc.diagnostics))
        return EXIT_INVALID
    except (PairingError, OSError, ValueError, ImportError) as exc:
        _err(f"hazard-rules: {exc}")
        return EXIT_INVALID
    try:
        with _output(args.output) as out:
            if args.format == "json":
                out.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
            else:
                out.write(render_diff(result) + "\n")
    except OSError as exc:
        _err(f"hazard-rules: cannot write {args.output}: {exc.strerror}")
        return EXIT_INVALID
    return EXIT_FINDINGS if result.differs else EXIT_OK


def docs(args: argparse.Namespace) -> int:
    """``hazard-rules docs OUT [PATH...]``: write the rule catalog; exit 0 or 2."""
    from hazard_rules.authoring.docs import write_docs
    from hazard_rules.cli.commands import _load

    as_of = None
    if args.as_of is not None:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            _err(f"hazard-rules: --as-of {args.as_of!r} is not a date (YYYY-MM-DD)")
            return EXIT_INVALID
    rulesets, code = _load(args)
    if rulesets is None:
        return code
    formats = ["md", "html"] if args.format == "both" else [args.format]
    try:
        written = write_docs(args.out, rulesets, formats, lang=args.lang, as_of=as_of)
    except OSError as exc:
        _err(f"hazard-rules: cannot write {args.out}: {exc.strerror or exc}")
        return EXIT_INVALID
    n_rules = sum(len(e.rules) for e in rulesets)
    print(f"wrote {len(written)} files to {args.out}: {len(rulesets)} editions, "
          f"{n_rules} rules")
    return EXIT_OK
