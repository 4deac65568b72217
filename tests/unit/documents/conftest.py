"""Fixtures for the documents tests: complete sample facts that each test may alter."""

from __future__ import annotations

import pytest

from giamsat.documents import DelegationFacts, PeriodicReportFacts
from giamsat.documents.samples import delegation_facts, periodic_facts


@pytest.fixture
def facts() -> DelegationFacts:
    return delegation_facts()


@pytest.fixture
def periodic() -> PeriodicReportFacts:
    return periodic_facts()
