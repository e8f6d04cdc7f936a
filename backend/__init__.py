"""Model Catalog: a versioned catalog of AI models, synced from upstream provider APIs."""
