"""PURE: the Markdown content format: parse, check, render, add ids (no DB, no Flask).

The database side (publish, queries, media) lives one level up, in ``studyapp.content``.
"""
