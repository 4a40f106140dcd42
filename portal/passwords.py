"""Passwords: the policy (long enough, not common, no composition rules) and the hash.

New hashes are argon2id with the parameters of RFC 9106's second recommendation
(3 passes over 64 MiB, 4 lanes): memory-hard, so guessing on graphics cards is
expensive. Accounts made before argon2 have a scrypt hash (werkzeug's format);
those still verify, and a successful login replaces them (``needs_rehash``).
"""

import os
import re
from functools import lru_cache

import argon2
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError
from werkzeug.security import check_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 128

# Passwords of 12+ characters that people choose most (portal/data/common-passwords.txt),
# read once; the file's header says how it was made.
BLOCKLIST_FILE = os.path.join(os.path.dirname(__file__), "data", "common-passwords.txt")


@lru_cache(maxsize=1)
def blocklist():
    with open(BLOCKLIST_FILE, encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip() and not line.startswith("#"))


PRODUCTION = argon2.profiles.RFC_9106_LOW_MEMORY
# For the test suite only (``PASSWORD_HASH_FAST``): thousands of logins at 64 MiB each
# would cost minutes; the hash format and every code path stay the same.
FAST = argon2.Parameters(
    type=argon2.Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=1,
    memory_cost=8 * 1024,
    parallelism=1,
)
_hasher = argon2.PasswordHasher.from_parameters(PRODUCTION)


def configure(app):
    """Choose the hash parameters for this process (production unless the tests ask)."""
    global _hasher, DUMMY_HASH
    params = FAST if app.config.get("PASSWORD_HASH_FAST") else PRODUCTION
    if _hasher.memory_cost != params.memory_cost or _hasher.time_cost != params.time_cost:
        _hasher = argon2.PasswordHasher.from_parameters(params)
        DUMMY_HASH = hash_password("dummy-password-for-timing")


_LOOK_ALIKE = str.maketrans({"@": "a", "0": "o", "3": "e", "1": "i", "$": "s"})


def _core(lowered):
    """The word a password is built from: endings and beginnings of digits and punctuation
    (123, !, 2026) taken off, look-alike characters read as letters, a doubled word once."""
    core = re.sub(r"^[\d\W_]+", "", re.sub(r"[\d\W_]+$", "", lowered)).translate(_LOOK_ALIKE)
    half = len(core) // 2
    return core[:half] if len(core) % 2 == 0 and core[:half] == core[half:] else core


def policy_error(password, email=""):
    """A Dutch reason why ``password`` is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens."
    if len(password) > MAX_LENGTH:
        return f"Een wachtwoord mag hoogstens {MAX_LENGTH} tekens lang zijn."
    lowered = password.lower()
    if lowered in blocklist() or _core(lowered) in blocklist() or len(set(lowered)) < 4:
        return "Dit wachtwoord is te makkelijk te raden. Kies een ander."
    if email and email.split("@")[0].lower() in lowered and len(lowered) < 20:
        return "Gebruik uw e-mailadres niet in uw wachtwoord."
    return None


# The stored "hash" of an account that has no password yet (a new account waits for its
# link) or logs in only through single sign-on: no password matches it.
UNUSABLE = "!geen-wachtwoord"


def hash_password(password):
    return _hasher.hash(password)


def verify_password(pwhash, password):
    """Does ``password`` match ``pwhash`` (argon2id, or an older scrypt hash)?"""
    if pwhash.startswith("!"):
        # No password set: spend the time of a real check, so the answer's timing does not
        # tell such an account apart from a wrong password.
        verify_password(DUMMY_HASH, password)
        return False
    if pwhash.startswith("$argon2"):
        try:
            return _hasher.verify(pwhash, password)
        except (VerificationError, InvalidHashError):
            return False
    return check_password_hash(pwhash, password)


def needs_rehash(pwhash):
    """True for a hash made the old way (scrypt) or with weaker argon2 parameters."""
    if not pwhash.startswith("$argon2"):
        return True
    try:
        return _hasher.check_needs_rehash(pwhash)
    except InvalidHashError:
        return True


# Used to spend the same time on an unknown account as on a wrong password.
DUMMY_HASH = hash_password("dummy-password-for-timing")
