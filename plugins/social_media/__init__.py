"""Plugin social_media (placeholder until built)."""
