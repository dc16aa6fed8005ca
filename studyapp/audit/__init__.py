"""Audit trail: who did what to what, and when."""
