"""The case engine: every policy area is a kind of case."""
