"""Safe YAML loading that keeps a source span for every node.

PyYAML's ``SafeLoader`` composes the node tree (no Python object tags, no code);
we then build plain dicts, lists and scalars ourselves so that each value's
position is recorded under its path, e.g. ``("rules", 3, "when")``. Duplicate
keys, which PyYAML silently overwrites, are reported as errors.

>>> doc = load_yaml("a: 1\\nb: [x, y]\\n", "f.yaml")
>>> doc.data
{'a': 1, 'b': ['x', 'y']}
>>> str(doc.span(("b", 1)))
'f.yaml:2:8'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hazard_rules.errors import Diagnostic, SourceFile, Span

__all__ = ["Path", "YamlDocument", "load_yaml"]

Path = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A loaded YAML file: its data, the span of every node, and any problems."""

    source: SourceFile
    data: Any
    spans: dict[Path, Span] = field(default_factory=dict)
    key_spans: dict[Path, Span] = field(default_factory=dict)
    raw_scalars: dict[Path, tuple[int, int, str]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def span(self, path: Sequence[str | int]) -> Span:
        """The span of the node at ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.spans:
                return self.spans[p]
            p = p[:-1]
        return self.spans.get((), Span(self.source, 0, 0))

    def key_span(self, path: Sequence[str | int]) -> Span:
        """The span of the mapping key that names ``path`` (falls back to the value)."""
        p = tuple(path)
        return self.key_spans.get(p) or self.span(p)

    def string_span(self, path: Sequence[str | int], start: int, end: int) -> Span:
        """Map a character range of the *string value* at ``path`` to a source span.

        Works for plain, quoted, literal (``|``) and folded (``>``) scalars by
        aligning the value's non-blank characters with the raw source text.
        """
        p = tuple(path)
        if p not in self.raw_scalars:
            return self.span(p)
        raw_start, raw_end, value = self.raw_scalars[p]
        offsets = _align(value, self.source.text, raw_start, raw_end)
        if offsets is None:
            return self.span(p)

        def at(i: int) -> int:
            if i < len(offsets):
                return offsets[i]
            return (offsets[-1] + 1) if offsets else raw_start

        s = at(start)
        e = at(end - 1) + 1 if end > start else s
        return Span(self.source, s, max(s, e))


def _align(value: str, text: str, start: int, end: int) -> list[int] | None:
    """For each character of ``value``, its offset in ``text[start:end]``.

    Non-blank characters must appear in the source in order; blanks in the value
    (which folding may have produced from newlines and indentation) map to the
    next position. Returns None when the value cannot be aligned (escapes).
    """
    out: list[int] = []
    j = start
    if j < end and text[j] in "|>":  # block scalar: content starts on the next line
        nl = text.find("\n", j)
        j = nl + 1 if nl >= 0 else end
    elif j < end and text[j] in "'\"":  # quoted scalar: skip the opening quote
        j += 1
    for ch in value:
        if ch.isspace():
            out.append(j)
            if j < end and text[j] == ch:
                j += 1
            continue
        while j < end and text[j] != ch:
            if not text[j].isspace():
                return None
            j += 1
        if j >= end:
            return None
        out.append(j)
        j += 1
    return out


class _Loader(yaml.SafeLoader):
    """SafeLoader: only standard YAML tags; no Python objects are ever constructed."""


def load_yaml(text: str, name: str) -> YamlDocument:
    """Parse ``text`` (named ``name`` in diagnostics) into a :class:`YamlDocument`.

    Syntax errors and duplicate keys are collected in ``diagnostics``; on a
    syntax error ``data`` is None.
    """
    source = SourceFile(name, text)
    doc = YamlDocument(source=source, data=None)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            offset = mark.index if mark is not None else 0
            problem = exc.problem or exc.context or "invalid YAML"
            hint = None
            if "mapping values are not allowed" in problem:
                hint = ("a value containing ': ' (as in any(x in list: ...)) must be quoted "
                        "or written as a block: 'when: >-' followed by the condition on the "
                        "next, indented line")
            doc.diagnostics.append(
                Diagnostic("yaml-syntax", problem, Span(source, offset, offset + 1), hint=hint)
            )
            return doc
        except yaml.YAMLError as exc:
            doc.diagnostics.append(Diagnostic("yaml-syntax", str(exc), Span(source, 0, 0)))
            return doc
        if node is None:
            doc.data = None
            return doc
        try:
            doc.data = _convert(loader, node, (), doc)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            offset = mark.index if mark is not None else 0
            doc.diagnostics.append(
                Diagnostic("yaml-syntax", str(exc.problem), Span(source, offset, offset + 1))
            )
            doc.data = None
    finally:
        loader.dispose()
    return doc


def _node_span(doc: YamlDocument, node: Node) -> Span:
    start = node.start_mark.index
    end = node.end_mark.index
    if isinstance(node, ScalarNode):
        # trim trailing blanks/newlines included by block scalars
        while end > start and doc.source.text[end - 1] in " \t\r\n":
            end -= 1
    return Span(doc.source, start, max(start, end))


_STANDARD_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
                             "tag:yaml.org,2002:omap")


def _convert(loader: _Loader, node: Node, path: Path, doc: YamlDocument) -> Any:
    doc.spans[path] = _node_span(doc, node)
    if isinstance(node, MappingNode | SequenceNode) and node.tag not in _STANDARD_COLLECTION_TAGS:
        # SafeLoader would refuse these too; we build collections ourselves, so check here
        raise yaml.constructor.ConstructorError(
            None, None, f"tag {node.tag!r} is not allowed", node.start_mark)
    if isinstance(node, MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key_span = _node_span(doc, key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                doc.diagnostics.append(
                    Diagnostic(
                        "yaml-key",
                        f"mapping keys must be strings, not {type(key).__name__}",
                        key_span,
                    )
                )
                continue
            if key in out:
                first = doc.key_spans.get((*path, key))
                doc.diagnostics.append(
                    Diagnostic(
                        "duplicate-key",
                        f"duplicate key {key!r}",
                        key_span,
                        notes=(f"first defined at {first}",) if first else (),
                    )
                )
                continue
            doc.key_spans[(*path, key)] = key_span
            out[key] = _convert(loader, value_node, (*path, key), doc)
        return out
    if isinstance(node, SequenceNode):
        return [_convert(loader, item, (*path, i), doc) for i, item in enumerate(node.value)]
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError):
        # e.g. a date such as 2020-13-01: keep the text; the schema check reports it
        value = node.value
    if isinstance(value, str):
        doc.raw_scalars[path] = (node.start_mark.index, node.end_mark.index, value)
    return value
