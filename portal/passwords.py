"""Password policy (SECURITY.md A6): long enough, not common, no composition rules."""

from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 128

# The most common passwords and ones that name this kind of school portal.
BLOCKLIST = {
    "123456789012", "1234567890123", "qwertyuiopas", "wachtwoord12", "wachtwoord123",
    "welkom123456", "password1234", "passwordpassword", "000000000000", "111111111111",
    "iloveyou1234", "qwerty123456", "administrator", "veiligheid123", "klaverweide1",
    "klaverweide123", "schoolschool", "leerkracht123", "directie1234", "almere123456",
}


def policy_error(password, email=""):
    """A Dutch reason why ``password`` is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens."
    if len(password) > MAX_LENGTH:
        return f"Een wachtwoord mag hoogstens {MAX_LENGTH} tekens lang zijn."
    lowered = password.lower()
    if lowered in BLOCKLIST or len(set(lowered)) < 4:
        return "Dit wachtwoord is te makkelijk te raden. Kies een ander."
    if email and email.split("@")[0].lower() in lowered and len(lowered) < 20:
        return "Gebruik uw e-mailadres niet in uw wachtwoord."
    return None


def hash_password(password):
    return generate_password_hash(password, method="scrypt")


def verify_password(pwhash, password):
    return check_password_hash(pwhash, password)


# Used to spend the same time on an unknown account as on a wrong password.
DUMMY_HASH = hash_password("dummy-password-for-timing")
