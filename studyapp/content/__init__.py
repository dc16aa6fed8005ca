"""Lessons and question banks as data: the pure content core and its DB side."""
