"""In-app notifications: nudges from a secretary now, scheduled reminders later."""
