"""Secrets the portal must read back (TOTP keys) are stored encrypted, not in the clear.

The key is derived from SECRET_KEY (HKDF-SHA256 with a purpose label), so a copy of the
database alone, or a backup, gives no second factor away. Changing SECRET_KEY makes the
stored secrets unreadable: every user then enrols again (docs/operations.md).
"""

import base64

from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

PREFIX = "f1:"  # a Fernet token made with the key below; anything else is an old plain value


def _fernet(purpose):
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"veiligheidsportaal {purpose}".encode()
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value, purpose):
    return PREFIX + _fernet(purpose).encrypt(value.encode()).decode() if value else ""


def open_sealed(stored, purpose):
    """The plain value; "" for nothing stored or a value this key cannot open."""
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        return stored  # stored before encryption (migration m0005 seals those)
    try:
        return _fernet(purpose).decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        return ""


def is_sealed(stored):
    return stored.startswith(PREFIX)
