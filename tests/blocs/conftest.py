"""Fixtures of the blocs tests, built by the factories in tests/factories."""

import pytest

from tests.factories.assessment import open_window
from tests.factories.review import make_env


@pytest.fixture
def window(cast):
    """The cast's self-assessment window, open for ten more days."""
    return open_window(cast)


@pytest.fixture
def env(cast):
    """Three members' assessments scored and submitted, ready for review."""
    return make_env(cast, members=3)
