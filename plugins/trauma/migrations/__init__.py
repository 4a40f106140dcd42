"""Migrations of the trauma plugin (run by ``flask --app portal init-db``)."""
