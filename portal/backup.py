"""Backups of the SQLite database, for ``flask --app portal backup`` and for init-db
before it migrates.

A backup is made with SQLite's backup API, never by copying the file: a copy of a
live WAL database misses the rows that are committed but still in the -wal file.
Every file is created new (O_EXCL) and readable by its owner only (0600): it holds
complaints about children. With a recipient the backup is encrypted, with ``age``
for an age key (``age1…``) and with ``gpg`` for anything else; the plain copy then
exists only as a 0600 temporary file beside the target while it is encrypted, and
is removed whatever happens.

PostgreSQL is backed up with ``pg_dump -Fc`` (docs/operations.md).
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from flask import current_app

from .db import database
from .db import is_sqlite
from .models import utcnow


class BackupError(RuntimeError):
    """A backup could not be made; the message is Dutch (the CLI shows it)."""


def configured_recipient():
    """PORTAL_BACKUP_RECIPIENT (instance config or environment); "" for none."""
    return (current_app.config.get("PORTAL_BACKUP_RECIPIENT") or "").strip()


def encrypted_suffix(recipient):
    return ".age" if recipient.startswith("age1") else ".gpg"


def encrypt_command(recipient):
    """The command that encrypts stdin to stdout for ``recipient``; BackupError when the
    tool is missing (checked before anything is written)."""
    if recipient.startswith("-"):
        # It would be read as an option of age or gpg.
        raise BackupError(f"Ongeldige ontvanger {recipient!r} voor de versleuteling.")
    if recipient.startswith("age1"):
        tool, package, args = "age", "age", ["--encrypt", "--recipient", recipient]
    else:
        # --trust-model always: the operator names the key in the configuration; without
        # it gpg --batch refuses a key nobody signed in this keyring. --auto-key-locate
        # local: only a key already in the keyring, never one fetched from the network
        # for an address (gpg's default asks the address's domain). Best name the key by
        # its fingerprint, so no other key with the same address can be chosen.
        tool, package, args = (
            "gpg",
            "gnupg",
            [
                "--batch",
                "--no-tty",
                "--quiet",
                "--trust-model",
                "always",
                "--auto-key-locate",
                "local",
                "--encrypt",
                "--recipient",
                recipient,
                "--output",
                "-",
            ],
        )
    path = shutil.which(tool)
    if path is None:
        raise BackupError(
            f"De back-up kan niet versleuteld worden voor {recipient}: het programma {tool} is "
            f"niet geïnstalleerd. Installeer het (apt-get install {package}) of kies een andere "
            "ontvanger."
        )
    return tool, [path, *args]


def write_backup(target, recipient=None):
    """Write the live SQLite database to ``target``, a new file with mode 0600; with
    ``recipient`` the file is encrypted for it. Returns the path."""
    if not is_sqlite():
        raise BackupError("PostgreSQL: maak een back-up met pg_dump -Fc (zie docs/operations.md).")
    target = Path(target)
    command = encrypt_command(recipient) if recipient else None
    out = _create_private(target)
    try:
        if command is None:
            os.close(out)
            _sqlite_backup(target)
        else:
            with os.fdopen(out, "wb") as stream:
                _encrypted_backup(target, stream, *command)
        os.chmod(target, 0o600)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def pre_migration_backup(instance_path, recipient=None):
    """The backup init-db makes before it migrates an existing SQLite database:
    ``<instance>/backups/<name>-voor-migratie-<UTC time>.sqlite3`` (plus .age or .gpg
    when encrypted), in a folder only the owner can open. Returns the path."""
    folder = Path(instance_path) / "backups"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # mkdir's mode is reduced by the umask, and an old folder kept its own
    name = Path(database.obj.database).stem
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    suffix = ".sqlite3" + (encrypted_suffix(recipient) if recipient else "")
    target = folder / f"{name}-voor-migratie-{stamp}{suffix}"
    n = 1
    while target.exists():  # two runs within one second
        n += 1
        target = folder / f"{name}-voor-migratie-{stamp}-{n}{suffix}"
    return write_backup(target, recipient)


def _create_private(path):
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{path} bestaat al; kies een nieuwe bestandsnaam.") from None
    except FileNotFoundError:
        raise BackupError(f"De map {path.parent} bestaat niet.") from None


def _sqlite_backup(path):
    dest = sqlite3.connect(path)
    try:
        database.connection().backup(dest)
    finally:
        dest.close()


def _encrypted_backup(target, stream, tool, command):
    fd, plain = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)  # mkstemp made it 0600 and new
    try:
        _sqlite_backup(plain)
        with open(plain, "rb") as source:
            # A list of arguments, no shell; the recipient was checked above.
            result = subprocess.run(  # noqa: S603
                command, stdin=source, stdout=stream, stderr=subprocess.PIPE, check=False
            )
        if result.returncode != 0:
            detail = result.stderr.decode(errors="replace").strip().splitlines()[-3:]
            raise BackupError(f"Versleutelen met {tool} is mislukt: {' '.join(detail) or result.returncode}")
        stream.flush()
        os.fsync(stream.fileno())
    finally:
        for leftover in (plain, plain + "-journal"):
            Path(leftover).unlink(missing_ok=True)
