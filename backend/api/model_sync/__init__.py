"""``/admin/model-sync``: seed 004's provider sync API."""
