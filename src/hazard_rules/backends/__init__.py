"""Evaluation backends behind one protocol, imported lazily by name.

A backend compiles an :class:`~hazard_rules.model.Edition` into a
:class:`CompiledEdition` that maps a record's normalised facts to one status per
rule (:data:`~hazard_rules.logic.FALSE`, ``UNKNOWN``, ``TRUE`` or
``NOT_APPLICABLE``), or to ``None`` when the edition does not apply to the
record at all. The engine turns statuses into verdicts, so every backend yields
the same verdicts by construction once its statuses agree.

>>> get_backend("python").name
'python'
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from hazard_rules.errors import HazardRulesError
from hazard_rules.model import Edition

__all__ = ["BACKENDS", "Backend", "CompiledEdition", "get_backend"]


@runtime_checkable
class CompiledEdition(Protocol):
    """An edition compiled by a backend."""

    edition: Edition

    def evaluate(self, facts: Mapping[str, Any]) -> tuple[int, ...] | None:
        """Statuses of the edition's rules for one record (None: edition not applicable)."""
        ...


class Backend(Protocol):
    """Compiles editions. Must reject what it cannot express (CompileError)."""

    name: str

    def compile(self, edition: Edition) -> CompiledEdition: ...


#: Backend name -> "module:Class" (and the extra that installs its dependencies).
BACKENDS: dict[str, tuple[str, str | None]] = {
    "python": ("hazard_rules.backends.python:PythonBackend", None),
    "rete": ("hazard_rules.backends.rete:ReteBackend", "rete"),
    "columnar": ("hazard_rules.backends.columnar:ColumnarBackend", "columnar"),
}


def get_backend(name: str) -> Backend:
    """Instantiate the backend called ``name``; its module is imported only now."""
    try:
        target, extra = BACKENDS[name]
    except KeyError:
        raise HazardRulesError(
            f"unknown backend {name!r}; available: {', '.join(BACKENDS)}"
        ) from None
    module_name, cls_name = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        hint = f"pip install 'hazard-rules[{extra}]'" if extra else "reinstall hazard-rules"
        raise HazardRulesError(f"backend {name!r} is not available ({exc}); {hint}") from exc
    backend: Backend = getattr(module, cls_name)()
    return backend
