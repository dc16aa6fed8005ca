"""The reports world (people, activity, a weekly quiz) on the fixed Friday clock."""

from __future__ import annotations

from tests.reports.conftest import clock, world  # noqa: F401  (fixtures)
