from hazard_rules.spec.yamlspans import load_yaml


def test_every_node_has_its_position() -> None:
    doc = load_yaml("a: 1\nlist:\n  - x\n  - {k: v}\n", "f.yaml")
    assert doc.data == {"a": 1, "list": ["x", {"k": "v"}]}
    assert str(doc.span(("a",))) == "f.yaml:1:4"
    assert str(doc.span(("list", 1, "k"))) == "f.yaml:4:9"
    assert str(doc.key_span(("list",))) == "f.yaml:2:1"
    # a path below a scalar falls back to the nearest node
    assert str(doc.span(("a", "nope"))) == "f.yaml:1:4"


def test_duplicate_keys_are_errors_with_the_first_position() -> None:
    doc = load_yaml("rules:\n  - id: a\n    id: b\n", "f.yaml")
    [d] = doc.diagnostics
    assert d.code == "duplicate-key"
    assert str(d.span) == "f.yaml:3:5"
    assert d.notes == ("first defined at f.yaml:2:5",)
    assert doc.data == {"rules": [{"id": "a"}]}


def test_syntax_error_has_position_and_hint_for_colon_in_plain_scalar() -> None:
    doc = load_yaml("when: any(x in a.b: x)\n", "f.yaml")
    [d] = doc.diagnostics
    assert d.code == "yaml-syntax"
    assert str(d.span) == "f.yaml:1:19"
    assert d.hint is not None and "when: >-" in d.hint
    assert doc.data is None


def test_python_tags_are_refused() -> None:
    doc = load_yaml("x: !!python/object/apply:os.system ['echo hi']\n", "f.yaml")
    assert doc.data is None
    assert doc.diagnostics and doc.diagnostics[0].code == "yaml-syntax"


def _text_at(doc, path, start, end):  # type: ignore[no-untyped-def]
    span = doc.string_span(path, start, end)
    return doc.source.text[span.start : span.end]


def test_string_offsets_map_into_plain_quoted_literal_and_folded_scalars() -> None:
    text = (
        "plain: a.b and c.d\n"
        "quoted: \"a.b and c.d\"\n"
        "literal: |\n  a.b and\n  c.d\n"
        "folded: >-\n  a.b and\n  c.d\n"
    )
    doc = load_yaml(text, "f.yaml")
    for key in ("plain", "quoted", "literal", "folded"):
        value = doc.data[key]
        start = value.index("c.d")
        assert _text_at(doc, (key,), start, start + 3) == "c.d", key
    span = doc.string_span(("folded",), doc.data["folded"].index("c.d"), 0)
    assert (span.line, span.column) == (8, 3)
