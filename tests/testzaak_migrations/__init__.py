"""Migrations of the test-only plugin "testzaak"."""
