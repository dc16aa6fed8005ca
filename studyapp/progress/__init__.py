"""Study time, points, streaks and the monthly book: 日学半小时 made visible.

This domain receives facts (ids, seconds, scores) from the others and never
imports the quiz or content domains.
"""
