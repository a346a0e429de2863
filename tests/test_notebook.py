"""The example notebook runs headless, writes its figures, and is stored without outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

NOTEBOOK = Path(__file__).parent.parent / "examples" / "township.ipynb"
FIGURES = ("sectors.png", "villages.png", "clauses.png", "trend.png")


def test_notebook_is_stored_without_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def _outputs(nb: Any, kind: str) -> list[str]:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if kind == "stderr" and out.get("name") == "stderr":
                found.append(out["text"])
            elif kind in out.get("data", {}):
                found.append(out["data"][kind])
            elif kind == "stdout" and out.get("name") == "stdout":
                found.append(out["text"])
    return found


def test_notebook_runs_and_writes_its_figures(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    # a kernel spec for this interpreter, found before any other (JUPYTER_PATH comes first)
    spec = tmp_path / "jupyter" / "kernels" / "hazard-rules-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "hazard-rules test", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    figures = tmp_path / "figures"
    monkeypatch.setenv("HAZARD_RULES_FIGURES", str(figures))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="hazard-rules-test",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    for name in FIGURES:
        data = (figures / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000, name
    assert _outputs(nb, "stderr") == []  # no warning, in particular no missing glyph
    html = "".join(_outputs(nb, "text/html"))
    assert "存在重大事故隐患" in html  # the verdict's rich display
    assert "条文（官方原文）" in html  # the edition's rules as a table
    assert any("结论：存在重大事故隐患" in text for text in _outputs(nb, "stdout"))
    assert len(_outputs(nb, "image/png")) == len(FIGURES)
