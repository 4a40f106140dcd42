"""Core migrations; see portal/migrate.py."""
