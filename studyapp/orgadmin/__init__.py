"""管理后台: running an organisation from the web (import, settings)."""
