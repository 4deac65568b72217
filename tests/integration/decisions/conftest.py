"""Helpers of the decision tests: the channel registry as the app builds it."""

from tests.integration.intake.conftest import registry

__all__ = ["registry"]
