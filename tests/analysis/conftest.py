"""The synthetic township of the session, classified once."""

from __future__ import annotations

import pytest

import hazard_rules as hr

pytest.importorskip("matplotlib", reason="the analysis extra is not installed")

from hazard_rules import analysis as an
from hazard_rules.township import Township


@pytest.fixture(scope="session")
def frames(town: Township, engine: hr.Engine) -> an.VerdictFrames:
    return an.classify(town.to_frame(), engine)
