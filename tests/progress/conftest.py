"""Fixtures for progress tests: a member, the settings, a clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from studyapp.progress.settings import ProgressSettings
from tests.factories import make_unit, make_user

#: 2026-11-20 09:00 in Shanghai.
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
def settings() -> ProgressSettings:
    return ProgressSettings()


@pytest.fixture
def member(session):  # type: ignore[no-untyped-def]
    user = make_user(session, make_unit(session, "BR"), "13800000001")
    user.created_at = datetime(2026, 1, 1, tzinfo=UTC)
    session.flush()
    return user
