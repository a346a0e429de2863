"""Find ruleset files, parse them, and validate their shape with the spec models.

Every problem becomes a :class:`~hazard_rules.errors.Diagnostic` pointing at the
offending key or value; nothing stops at the first error.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from hazard_rules.errors import Diagnostic, SourceFile, Span
from hazard_rules.spec.yamlspans import YamlDocument, load_yaml

__all__ = [
    "Loaded",
    "RulesetFiles",
    "discover",
    "load_files",
    "read_document",
    "validate_document",
]

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

EDITION_FILE = "ruleset.yaml"
FACTS_DIR = "facts"
CASES_DIR = "cases"


@dataclass
class Loaded(Generic[T]):
    """A validated spec with the YAML document it came from (for spans)."""

    spec: T
    doc: YamlDocument
    path: Path


@dataclass
class RulesetFiles:
    """The files that make up one or more ruleset trees."""

    catalogs: list[Path] = field(default_factory=list)
    editions: list[Path] = field(default_factory=list)
    cases: dict[Path, list[Path]] = field(default_factory=dict)  # edition file -> case files
    roots: list[Path] = field(default_factory=list)


def _edition_cases(edition_file: Path) -> list[Path]:
    d = edition_file.parent / CASES_DIR
    if not d.is_dir():
        return []
    return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml"))


def discover(paths: Iterable[Path]) -> tuple[RulesetFiles, list[Diagnostic]]:
    """Find catalogs, editions and cases under ``paths``.

    A path may be a rulesets root (with ``facts/`` and one folder per edition),
    an edition folder, or an edition's ``ruleset.yaml``; for the latter two the
    catalogs are taken from the sibling ``facts/`` folder.
    """
    files = RulesetFiles()
    diags: list[Diagnostic] = []
    seen: set[Path] = set()

    def add_catalogs(root: Path) -> None:
        facts = root / FACTS_DIR
        if facts.is_dir():
            for p in sorted(facts.iterdir()):
                if p.suffix in (".yaml", ".yml") and p.resolve() not in seen:
                    seen.add(p.resolve())
                    files.catalogs.append(p)

    def add_edition(f: Path) -> None:
        if f.resolve() in seen:
            return
        seen.add(f.resolve())
        files.editions.append(f)
        files.cases[f] = _edition_cases(f)

    for raw in paths:
        p = Path(raw)
        if not p.exists():
            diags.append(Diagnostic("not-found", f"no such file or folder: {p}", file=str(p)))
            continue
        if p.is_file():
            if p.name != EDITION_FILE:
                diags.append(Diagnostic(
                    "not-found", f"{p} is not a {EDITION_FILE}", file=str(p),
                    hint="give a rulesets folder, an edition folder or its ruleset.yaml"))
                continue
            add_catalogs(p.parent.parent)
            add_edition(p)
            files.roots.append(p.parent.parent)
        elif (p / EDITION_FILE).is_file():
            add_catalogs(p.parent)
            add_edition(p / EDITION_FILE)
            files.roots.append(p.parent)
        else:
            add_catalogs(p)
            found = sorted(p.glob(f"*/{EDITION_FILE}"))
            if not found and not (p / FACTS_DIR).is_dir():
                diags.append(Diagnostic(
                    "not-found", f"{p} holds no editions (no */{EDITION_FILE})", file=str(p)))
            for f in found:
                add_edition(f)
            files.roots.append(p)
    return files, diags


def read_document(path: Path) -> YamlDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        doc = YamlDocument(SourceFile(str(path), ""), None)
        doc.diagnostics.append(Diagnostic("io", f"cannot read {path}: {exc}", file=str(path)))
        return doc
    return load_yaml(text, str(path))


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The pydantic model class describing the mapping at ``loc`` (best effort)."""
    current: Any = model
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            if isinstance(part, int) or part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
        current = _unwrap(current, part)
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any, part: str | int) -> Any:
    """Strip Optional / list / dict wrappers around a nested model annotation."""
    for _ in range(4):
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin in (typing.Union, types.UnionType):
            non_none = [a for a in args if a is not type(None)]
            annotation = non_none[0] if non_none else None
            continue
        if origin is list and args:
            if isinstance(part, int):
                return args[0]
            annotation = args[0]
            continue
        if origin is dict and len(args) == 2:
            return args[1]
        break
    return annotation


def validate_document(
    doc: YamlDocument, model: type[M], data: Any = None, prefix: tuple[str | int, ...] = ()
) -> tuple[M | None, list[Diagnostic]]:
    """Validate a YAML document (or ``data``, a part of it at ``prefix``) against ``model``;
    map each error to its span."""
    if data is None and not prefix:
        data = doc.data
    if data is None:
        if doc.diagnostics:
            return None, []
        return None, [Diagnostic("schema", "the file is empty", Span(doc.source, 0, 0))]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_diagnostic(doc, model, {**err, "loc": (*prefix, *err["loc"])}, prefix)
                      for err in exc.errors()]


def _diagnostic(doc: YamlDocument, model: type[BaseModel], err: Any,
                prefix: tuple[str | int, ...] = ()) -> Diagnostic:
    raw_loc = tuple(p for p in err["loc"]
                    if not (isinstance(p, str) and p.startswith("function-")))
    on_key = "[key]" in raw_loc  # an invalid mapping key: point at the key itself
    loc = tuple(p for p in raw_loc if p != "[key]")
    kind = err["type"]
    where = ".".join(str(p) for p in loc) or "<document>"
    if kind == "extra_forbidden":
        key = loc[-1]
        parent = _model_at(model, loc[len(prefix):-1])
        hint = None
        if parent is not None and isinstance(key, str):
            close = difflib.get_close_matches(key, list(parent.model_fields), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else (
                "allowed keys: " + ", ".join(parent.model_fields))
        return Diagnostic("unknown-key", f"unknown key {key!r}", doc.key_span(loc), hint=hint)
    if kind == "missing":
        parent_span = doc.span(loc[:-1])
        return Diagnostic("missing-key", f"missing required key {loc[-1]!r}",
                          Span(parent_span.source, parent_span.start,
                               min(parent_span.end, parent_span.start + 1)))
    if kind == "string_pattern_mismatch":
        return Diagnostic("bad-identifier",
                          f"{where}: {err['input']!r} is not a valid identifier here "
                          f"(pattern {err['ctx']['pattern']})",
                          doc.key_span(loc) if on_key else doc.span(loc))
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return Diagnostic("schema", f"{where}: {msg}", doc.span(loc))


def load_files(
    paths: Iterable[Path], model: type[M]
) -> tuple[list[Loaded[M]], list[Diagnostic]]:
    """Read and validate each file; returns the valid ones and all diagnostics.

    A file with YAML problems that still parsed (duplicate keys) is validated too,
    so that its other problems are reported in the same run.
    """
    out: list[Loaded[M]] = []
    diags: list[Diagnostic] = []
    for path in paths:
        doc = read_document(path)
        diags.extend(doc.diagnostics)
        spec, problems = validate_document(doc, model)
        diags.extend(problems)
        if spec is not None:
            out.append(Loaded(spec, doc, path))
    return out, diags

