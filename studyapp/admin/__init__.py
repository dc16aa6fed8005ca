"""Admin screens over the services of the other domains."""
