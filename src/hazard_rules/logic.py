"""Three-valued (Kleene) truth values as small integers.

``FALSE < UNKNOWN < TRUE`` so that ``and`` is ``min``, ``or`` is ``max`` and
``not`` is ``2 - x``. A rule's status adds ``NOT_APPLICABLE``.

>>> min(TRUE, UNKNOWN), max(FALSE, UNKNOWN), 2 - TRUE
(1, 1, 0)
>>> count_compare(">=", 1, 3, 2)   # one TRUE, two UNKNOWN: the count is 1, 2 or 3
1
>>> count_compare(">=", 2, 3, 2)
2
"""

from __future__ import annotations

__all__ = ["FALSE", "NOT_APPLICABLE", "TRUE", "UNKNOWN", "count_compare", "tv_name"]

FALSE = 0
UNKNOWN = 1
TRUE = 2
NOT_APPLICABLE = 3

_NAMES = {FALSE: "FALSE", UNKNOWN: "UNKNOWN", TRUE: "TRUE", NOT_APPLICABLE: "NOT_APPLICABLE"}


def tv_name(value: int) -> str:
    """``TRUE``, ``FALSE``, ``UNKNOWN`` or ``NOT_APPLICABLE``."""
    return _NAMES[value]


def count_compare(op: str, lo: int, hi: int, bound: int | float | None) -> int:
    """Decide ``count op bound`` when the count is only known to lie in ``[lo, hi]``.

    TRUE if it holds for every count in the range, FALSE if for none, else UNKNOWN.
    An unknown bound gives UNKNOWN.
    """
    if bound is None:
        return UNKNOWN
    if op == ">=":
        return TRUE if lo >= bound else FALSE if hi < bound else UNKNOWN
    if op == ">":
        return TRUE if lo > bound else FALSE if hi <= bound else UNKNOWN
    if op == "<=":
        return TRUE if hi <= bound else FALSE if lo > bound else UNKNOWN
    if op == "<":
        return TRUE if hi < bound else FALSE if lo >= bound else UNKNOWN
    if op == "==":
        if lo == hi == bound:
            return TRUE
        return FALSE if bound < lo or bound > hi else UNKNOWN
    if op == "!=":
        if lo == hi == bound:
            return FALSE
        return TRUE if bound < lo or bound > hi else UNKNOWN
    raise ValueError(f"unknown comparison {op!r}")
