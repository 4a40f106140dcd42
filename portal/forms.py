"""Form helpers shared by the core and the plugins."""

from wtforms.validators import ValidationError


def no_nul(form, field):
    """Refuse control characters (PostgreSQL rejects NUL; SQLite would store it)."""
    value = field.data
    if isinstance(value, str) and any(ord(c) < 32 and c not in "\r\n\t" for c in value):
        raise ValidationError("Deze tekst bevat ongeldige tekens.")
