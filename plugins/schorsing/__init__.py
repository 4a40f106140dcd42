"""Plugin schorsing (placeholder until built)."""
