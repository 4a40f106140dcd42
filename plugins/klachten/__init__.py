"""Plugin klachten (placeholder until built)."""
