"""Identity, login, roles and what each role may see."""
