"""Quizzes: daily, weekly, special, exam; attempts, grading, and the 错题本."""
