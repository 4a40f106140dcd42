"""Migrations of the social_media plugin (run by ``flask --app portal init-db``)."""
