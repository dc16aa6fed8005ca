"""The JSON API (SPEC §7), kept apart from the HTML endpoints."""
