"""The member's shell pages: home, quizzes tab, "me"."""
