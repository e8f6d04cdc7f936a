"""``/api/admin/providers…``: providers, their write-only credentials, and their Provider Models."""
