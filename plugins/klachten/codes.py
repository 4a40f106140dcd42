"""The parent's secret follow-up code.

24 characters from the base32 alphabet (A-Z, 2-7): 120 bits of randomness,
shown once in groups of four. Only a SHA-256 hash is stored; at >= 112 bits a
plain hash cannot be brute-forced (docs/security.md A2), so no slow hash is needed.
"""

import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
LENGTH = 24
# Characters a parent may type by mistake for ones in the alphabet.
LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text):
    """Upper case, without spaces or dashes, look-alike digits mapped to letters."""
    return "".join(c for c in (text or "").upper().translate(LOOKALIKES) if c.isalnum())


def grouped(code):
    code = normalise(code)
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


def code_hash(code):
    return "sha256$" + hashlib.sha256(b"klachten:" + normalise(code).encode()).hexdigest()


# Compared against when the reference is unknown, so that answer takes as long.
_DUMMY = code_hash("X" * LENGTH)


def matches(code, stored):
    """Constant-time comparison of a typed code with the stored hash ('' never matches)."""
    ok = hmac.compare_digest(code_hash(code), stored or _DUMMY)
    return ok and bool(stored)


def token_hash(token):
    return hashlib.sha256(b"klachten-form:" + (token or "").encode()).hexdigest()
