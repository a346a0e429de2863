"""The CLI commands: thin wrappers that call the library and format its results."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from hazard_rules.build import load_rulesets_with_diagnostics
from hazard_rules.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK
from hazard_rules.errors import Severity, render_diagnostics
from hazard_rules.model import Rulesets
from hazard_rules.verdict import Status


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _load(args: argparse.Namespace) -> tuple[Rulesets | None, int]:
    paths = list(getattr(args, "paths", []) or [])
    rulesets, diags = load_rulesets_with_diagnostics(*paths, bundled=args.with_bundled or None)
    if rulesets is None:
        _err(render_diagnostics(diags))
        return None, EXIT_INVALID
    warnings = [d for d in diags if d.severity is not Severity.ERROR]
    if warnings:
        _err(render_diagnostics(warnings))
    return rulesets, EXIT_OK


# -- validate and test ---------------------------------------------------------------


def _write_reports(args: argparse.Namespace, render: Callable[[str], str]) -> int:
    """Print ``--format`` on stdout and write ``--json/--junit-xml/--sarif`` files."""
    sys.stdout.write(render(args.format))
    for fmt, path in (("json", args.json), ("junit", args.junit_xml), ("sarif", args.sarif)):
        if path:
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(render(fmt))
            except OSError as exc:
                _err(f"hazard-rules: cannot write {path}: {exc}")
                return EXIT_INVALID
    return EXIT_OK


def _list_checks() -> int:
    from hazard_rules.lint import CHECKS

    width = max(len(c) for c in CHECKS)
    group = None
    for check in sorted(CHECKS.values(), key=lambda c: (c.group, c.code)):
        if check.group != group:
            group = check.group
            print(f"{group}:")
        print(f"  {check.code:<{width}}  {check.severity.value:<7}  {check.summary}")
    return EXIT_OK


def validate(args: argparse.Namespace) -> int:
    from hazard_rules.cases import check_case_files
    from hazard_rules.lint import CONFIG_FILE, LintConfig, Suppressed, lint, load_config
    from hazard_rules.reports import validation_report

    if args.list_checks:
        return _list_checks()
    paths = list(args.paths or [])
    rulesets, diags = load_rulesets_with_diagnostics(*paths, bundled=args.with_bundled or None)
    suppressed: list[Suppressed] = []
    config: LintConfig | None = None
    config_path = args.config or (CONFIG_FILE if os.path.isfile(CONFIG_FILE) else None)
    if args.strict and config_path:
        if not os.path.isfile(config_path):
            _err(f"hazard-rules: cannot read {config_path}: no such file")
            return EXIT_INVALID
        config, config_diags = load_config(Path(config_path))
        diags.extend(config_diags)
    if rulesets is not None:
        cases, case_diags = check_case_files(rulesets)
        diags.extend(case_diags)
        if args.strict and (config is not None or not config_path):
            report = lint(rulesets, config=config, cases=cases,
                          standards=Path(args.standards) if args.standards else None)
            diags.extend(report.diagnostics)
            suppressed = report.suppressed
    errors = [d for d in diags if d.severity is Severity.ERROR]
    code = _write_reports(args, lambda fmt: validation_report(
        fmt, diags, suppressed, rulesets, strict=args.strict))
    return EXIT_INVALID if errors else code


def test(args: argparse.Namespace) -> int:
    from hazard_rules.cases import run_cases
    from hazard_rules.engine import Engine
    from hazard_rules.reports import case_report

    rulesets, code = _load(args)
    if rulesets is None:
        return code
    report = run_cases(rulesets, Engine(rulesets, backend=args.backend), conditions=True)
    code = _write_reports(args, lambda fmt: case_report(
        fmt, report, rulesets, min_coverage=args.min_coverage, verbose=args.verbose))
    if code != EXIT_OK or any(d.severity is Severity.ERROR for d in report.diagnostics):
        return EXIT_INVALID
    assert report.conditions is not None
    low = args.min_coverage is not None and report.conditions.percent < args.min_coverage
    return EXIT_OK if report.ok and not low else EXIT_FINDINGS


def coverage(args: argparse.Namespace) -> int:
    from hazard_rules.coverage import coverage as compute
    from hazard_rules.coverage import render_coverage

    rulesets, code = _load(args)
    if rulesets is None:
        return code
    rows = compute(rulesets)
    if args.format == "json":
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        print(render_coverage(rows))
    return EXIT_OK


# -- classify and explain -------------------------------------------------------------


def _input_format(args: argparse.Namespace) -> str:
    from hazard_rules.recordio import guess_format

    return str(guess_format(args.input) if args.input_format == "auto" else args.input_format)


def classify(args: argparse.Namespace) -> int:
    from hazard_rules.cli.progress import Progress
    from hazard_rules.engine import Engine
    from hazard_rules.stream import classify_file

    rulesets, code = _load(args)
    if rulesets is None:
        return code
    per_record = args.backend in ("python", "rete")
    engine = Engine(rulesets, backend=args.backend if per_record else "python",
                    missing=args.missing)
    if args.input != "-" and not os.path.exists(args.input):
        _err(f"hazard-rules: cannot read {args.input}: no such file")
        return EXIT_INVALID
    progress = Progress(enabled=False if args.quiet else None)
    try:
        report = classify_file(
            engine, args.input, args.output, input_format=args.input_format,
            output_format=args.output_format,
            backend="engine" if per_record else args.backend, batch_size=args.batch_size,
            errors=args.errors or "auto", progress=progress)
    except (ValueError, ImportError, OSError) as exc:
        progress.close()
        _err(f"hazard-rules: {exc}")
        return EXIT_INVALID
    progress.close()
    if not args.quiet:
        rate = (f", {report.rows / report.seconds:,.0f} records/s"
                if report.seconds > 0 and report.rows else "")
        _err(f"classified {report.rows} records in {report.seconds:.2f} s{rate} "
             f"({report.backend}): "
             + ", ".join(f"{s.value} {report.counts.get(s.value, 0)}" for s in Status)
             + f"; records with input problems: {report.bad_rows}")
        if report.bad_rows and report.errors_path:
            _err(f"bad rows written to {report.errors_path}")
        elif report.bad_rows:
            for entry in report.first_bad:
                reasons = "; ".join(f"{e['code']}: {e['message']}" for e in entry["errors"])
                _err(f"  row {entry['row']} ({entry['record_id'] or 'no record_id'}): "
                     f"{reasons}")
            if report.bad_rows > len(report.first_bad):
                _err(f"  ... and {report.bad_rows - len(report.first_bad)} more; "
                     "use --errors PATH to keep them all")
    if report.bad_rows:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if report.counts.get("major") else EXIT_OK


def explain(args: argparse.Namespace) -> int:
    from hazard_rules.engine import Engine
    from hazard_rules.recordio import open_text, read_records

    rulesets, code = _load(args)
    if rulesets is None:
        return code
    engine = Engine(rulesets, missing=args.missing)
    try:
        source = open_text(args.input)
    except OSError as exc:
        _err(f"hazard-rules: cannot read {args.input}: {exc.strerror}")
        return EXIT_INVALID
    with source:
        for row in read_records(source, _input_format(args), rulesets.catalog):
            rec = row.record
            if isinstance(rec, dict) and str(rec.get("record_id")) == args.record:
                verdict = engine.classify(rec, index=row.number)
                print(engine.explain(verdict, lang=args.lang))
                if verdict.errors:
                    return EXIT_BAD_INPUT
                return EXIT_FINDINGS if verdict.status is Status.MAJOR else EXIT_OK
    _err(f"hazard-rules: no record with record_id {args.record!r} in {args.input}")
    return EXIT_INVALID


# -- rules ----------------------------------------------------------------------------


def rules(args: argparse.Namespace) -> int:
    rulesets, code = _load(args)
    if rulesets is None:
        return code
    if args.rules_command == "list":
        return _rules_list(rulesets, args)
    return _rules_show(rulesets, args)


def _rules_list(rulesets: Rulesets, args: argparse.Namespace) -> int:
    editions = list(rulesets)
    if args.edition:
        editions = [e for e in editions if e.id == args.edition]
        if not editions:
            _err(f"hazard-rules: no edition {args.edition!r}; loaded: "
                 f"{', '.join(rulesets.editions)}")
            return EXIT_INVALID
    if args.format == "json":
        print(json.dumps([{
            "id": e.id, "standard": e.standard, "title": e.title, "document": e.document,
            "effective_from": e.effective_from.isoformat(),
            "effective_until": e.effective_until.isoformat() if e.effective_until else None,
            "rules": [{"id": r.id, "article": r.article, "text": r.text, "tags": list(r.tags)}
                      for r in e.rules],
            "missing_text": [{"article": m.article, "id": m.id} for m in e.missing_text],
        } for e in editions], ensure_ascii=False, indent=2))
        return EXIT_OK
    for e in editions:
        print(f"{e.id}  《{e.title}》 {e.document}  {e.period}  ({len(e.rules)} rules)")
        for r in e.rules:
            text = r.text if len(r.text) <= 60 else r.text[:59] + "…"
            print(f"  {r.id:<24} {r.article:<14} {text}")
        for m in e.missing_text:
            print(f"  {(m.id or ''):<24} {m.article:<14} 【缺】official text not available")
    return EXIT_OK


def _rules_show(rulesets: Rulesets, args: argparse.Namespace) -> int:
    if args.id in rulesets.editions:
        ed = rulesets.edition(args.id)
        if args.source:
            from hazard_rules.backends.python import PythonBackend

            print(PythonBackend().compile(ed).source)
            return EXIT_OK
        print(f"{ed.id}: 《{ed.title}》")
        print(f"  standard: {ed.standard}    document: {ed.document}")
        print(f"  in force: {ed.period}" + (f"    supersedes: {ed.supersedes}"
                                            if ed.supersedes else ""))
        if ed.applies_source:
            print(f"  applies: {' '.join(ed.applies_source.split())}")
        print(f"  rules: {len(ed.rules)}    clauses without text: {len(ed.missing_text)}")
        return EXIT_OK
    try:
        rule = rulesets.rule(args.id)
    except KeyError:
        import difflib

        ids = [r.id for e in rulesets for r in e.rules] + list(rulesets.editions)
        close = difflib.get_close_matches(args.id, ids, n=1)
        _err(f"hazard-rules: no rule or edition {args.id!r}"
             + (f"; did you mean {close[0]!r}?" if close else ""))
        return EXIT_INVALID
    ed = rulesets.edition(rule.edition_id)
    zh = args.lang == "zh"
    print(f"{rule.id}  《{ed.title}》{rule.article}")
    print(f"  {'条文' if zh else 'text'}: {rule.text}")
    if rule.applies_source:
        print(f"  applies: {' '.join(rule.applies_source.split())}")
    print(f"  when: {' '.join(rule.when_source.split())}")
    if rule.tags:
        print(f"  tags: {', '.join(rule.tags)}")
    if rule.notes:
        print(f"  notes: {' '.join(rule.notes.split())}")
    print(f"  {'事实' if zh else 'facts'}:")
    for name in rule.facts:
        fact = rulesets.catalog.get(name)
        label = fact.label(args.lang) if fact else ""
        print(f"    {name:<48} {fact.type if fact else ''}  {label}")
    return EXIT_OK


def schema(args: argparse.Namespace) -> int:
    from hazard_rules.verdict import verdict_json_schema

    print(json.dumps(verdict_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


# -- township -------------------------------------------------------------------------


def township(args: argparse.Namespace) -> int:
    from hazard_rules.township import generate_township

    try:
        town = generate_township(seed=args.seed, enterprises=args.enterprises,
                                 villages=args.villages, year=args.year)
    except ValueError as exc:
        _err(f"hazard-rules: {exc}")
        return EXIT_INVALID
    if args.output == "-":
        if args.format == "parquet":
            _err("hazard-rules: Parquet output needs a file (-o PATH)")
            return EXIT_INVALID
        sys.stdout.write(town.to_jsonl())
    else:
        try:
            town.write(args.output, args.format)
        except OSError as exc:
            _err(f"hazard-rules: cannot write {args.output}: {exc.strerror}")
            return EXIT_INVALID
    if not args.quiet:
        _err(f"generated {len(town.records)} records of {len(town.enterprises)} enterprises "
             f"in {len(town.villages)} villages of {town.name} ({town.code}), "
             f"year {town.year}, seed {town.seed}")
    return EXIT_OK
