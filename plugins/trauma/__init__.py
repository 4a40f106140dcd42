"""Plugin trauma (placeholder until built)."""
