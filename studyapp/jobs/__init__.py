"""Scheduling wiring only: the job table, the runner, the scheduler process.

The logic of every job lives next to its domain; see ``registry.py``.
"""
