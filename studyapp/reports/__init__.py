"""Branch secretaries' reports: today, members' weeks and months, quizzes, trends,
exports. Read-only over the other domains; every query takes the unit it reports
on, and the views resolve that unit from the current user's scope.
"""
