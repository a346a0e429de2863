import itertools

import pytest

from hazard_rules.logic import FALSE, TRUE, UNKNOWN, count_compare

OPS = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


@pytest.mark.parametrize("op", sorted(OPS))
def test_count_compare_matches_every_completion(op: str) -> None:
    """Exhaustively: with t TRUE and u UNKNOWN operands, the result is TRUE (FALSE) exactly
    when every (no) way of deciding the unknowns satisfies the comparison."""
    for t, u, bound in itertools.product(range(4), range(4), range(-1, 9)):
        outcomes = {OPS[op](t + k, bound) for k in range(u + 1)}
        expected = TRUE if outcomes == {True} else FALSE if outcomes == {False} else UNKNOWN
        assert count_compare(op, t, t + u, bound) == expected, (op, t, u, bound)


def test_unknown_bound_is_unknown() -> None:
    assert count_compare(">=", 3, 3, None) == UNKNOWN
