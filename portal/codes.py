"""The follow-up code of a public case (a parent's form) and the form's one-time token.

The code is 24 characters from the base32 alphabet (A-Z, 2-7): 120 bits of randomness,
shown once in groups of four. Only a SHA-256 hash is stored; at >= 112 bits a plain hash
cannot be brute-forced (docs/security.md A2), so no slow hash is needed.
"""

import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
LENGTH = 24
# Characters a parent may type by mistake for ones in the alphabet.
LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})
# The prefixes of the first public route (the complaint form), kept for every type: each
# code handed out before still opens its case.
CODE_PREFIX = b"klachten:"
TOKEN_PREFIX = b"klachten-form:"


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_token():
    """The one-time token of a form page (a refreshed or double-clicked form sends it twice)."""
    return secrets.token_urlsafe(24)


def normalise(text):
    """Upper case, without spaces or dashes, look-alike digits mapped to letters."""
    return "".join(c for c in (text or "").upper().translate(LOOKALIKES) if c.isalnum())


def grouped(code):
    code = normalise(code)
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def code_hash(code):
    return "sha256$" + hashlib.sha256(CODE_PREFIX + normalise(code).encode()).hexdigest()


# Compared against when the reference is unknown, so that answer takes as long.
_DUMMY = code_hash("X" * LENGTH)


def matches(code, stored):
    """Constant-time comparison of a typed code with the stored hash ('' never matches)."""
    ok = hmac.compare_digest(code_hash(code), stored or _DUMMY)
    return ok and bool(stored)


def token_hash(token):
    return hashlib.sha256(TOKEN_PREFIX + (token or "").encode()).hexdigest()
