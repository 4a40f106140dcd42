"""Numbered migrations of the schorsing plugin (run by ``flask --app portal init-db``)."""
