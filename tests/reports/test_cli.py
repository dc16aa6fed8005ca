"""``studyapp reports settle``: the nightly settle, by hand."""

from __future__ import annotations

from sqlalchemy import func, select

from studyapp.progress.branch_days import BranchDay, BranchSettlement


def test_settle_writes_every_branch_and_is_repeatable(world, app, runner):
    first = runner.invoke(args=["reports", "settle"])
    assert first.exit_code == 0, first.output
    assert "settled 3 branches (3 rebuilt)" in first.output
    again = runner.invoke(args=["reports", "settle"])
    assert "(0 rebuilt)" in again.output
    rebuilt = runner.invoke(args=["reports", "settle", "--rebuild"])
    assert "(3 rebuilt)" in rebuilt.output
    with app.app_context():
        from studyapp.db import get_session

        s = get_session()
        assert s.scalar(select(func.count()).select_from(BranchSettlement)) == 3
        assert s.scalar(select(func.count()).select_from(BranchDay)) > 0
