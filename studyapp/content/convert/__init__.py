"""PURE: convert question banks from Excel (.xlsx) and Word (.docx) into Markdown.

``converter.convert_file`` is the entry point; the result is a SPEC §2 bank that the
``studyapp.content.format`` parser reads back to the same questions. No DB, no Flask.
"""
