"""Backups: encrypted with gpg or age and never left in plain on disk; init-db backs up an
existing SQLite database before it migrates, and stops when it cannot."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from portal import migrate
from portal.db import database
from portal.models import School
from portal.registry import get_pm

from .conftest import PG_URL
from .core_helpers import db_ctx

ON_PG = PG_URL.startswith("postgres")
sqlite_only = pytest.mark.skipif(ON_PG, reason="SQLite backups; PostgreSQL is backed up with pg_dump")

MARKER = "Merkteken-7f3a-dat-niet-leesbaar-mag-zijn"


@pytest.fixture(scope="module")
def gpg_home(tmp_path_factory):
    """A keyring of its own with one key that can encrypt; its fingerprint."""
    if shutil.which("gpg") is None:
        pytest.skip("gpg is not installed")
    home = tmp_path_factory.mktemp("gnupg")
    home.chmod(0o700)
    env = dict(os.environ, GNUPGHOME=str(home))

    def gpg(*args):
        return subprocess.run(
            ["gpg", "--batch", "--passphrase", "", *args], env=env, check=True, capture_output=True, text=True
        ).stdout

    gpg("--quick-gen-key", "test@example.org", "ed25519", "default", "never")
    fingerprint = next(
        line.split(":")[9]
        for line in gpg("--with-colons", "--list-keys").splitlines()
        if line.startswith("fpr:")
    )
    gpg("--quick-add-key", fingerprint, "cv25519", "encr", "never")
    yield home, fingerprint
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, check=False)  # the agent gpg started


@pytest.fixture
def gpg_key(gpg_home, monkeypatch):
    home, fingerprint = gpg_home
    monkeypatch.setenv("GNUPGHOME", str(home))
    return fingerprint


def gpg_decrypt(encrypted, plain):
    subprocess.run(
        ["gpg", "--batch", "--quiet", "--output", str(plain), "--decrypt", str(encrypted)],
        check=True,
        capture_output=True,
    )


def live_counts(app):
    with db_ctx(app):
        return {
            t: database.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
            for t in database.get_tables()
        }


def file_counts(path):
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    finally:
        conn.close()


def mode(path):
    return path.stat().st_mode & 0o777


def seed_marker(app):
    with db_ctx(app):
        School.update(address=MARKER).where(School.slug == "klaverweide").execute()


@sqlite_only
def test_encrypted_backup_with_gpg(app, runner, gpg_key, tmp_path):
    seed_marker(app)
    folder = tmp_path / "uit"
    folder.mkdir()
    target = folder / "portal.sqlite3.gpg"
    result = runner.invoke(args=["backup", str(target), "--encrypt-to", gpg_key])
    assert result.exit_code == 0, result.output
    assert f"Back-up geschreven naar {target} (versleuteld voor {gpg_key})." in result.output
    assert mode(target) == 0o600
    assert list(folder.iterdir()) == [target]  # the plain temporary file is gone
    data = target.read_bytes()
    assert MARKER.encode() not in data and b"SQLite format 3" not in data
    gpg_decrypt(target, tmp_path / "terug.sqlite3")
    assert file_counts(tmp_path / "terug.sqlite3") == live_counts(app)
    assert MARKER.encode() in (tmp_path / "terug.sqlite3").read_bytes()


@sqlite_only
@pytest.mark.skipif(shutil.which("age") is None, reason="age is not installed")
def test_encrypted_backup_with_age_for_the_configured_recipient(app, runner, tmp_path):
    key = tmp_path / "sleutel.txt"
    made = subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True, text=True)
    recipient = made.stderr.split("Public key:")[1].strip()
    app.config["PORTAL_BACKUP_RECIPIENT"] = recipient  # used when --encrypt-to is not given
    seed_marker(app)
    target = tmp_path / "portal.sqlite3.age"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert mode(target) == 0o600 and MARKER.encode() not in target.read_bytes()
    plain = tmp_path / "terug.sqlite3"
    subprocess.run(["age", "--decrypt", "-i", str(key), "-o", str(plain), str(target)], check=True)
    assert file_counts(plain) == live_counts(app)


def fake_tool(tmp_path, monkeypatch, name, script):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    tool = bin_dir / name
    tool.write_text("#!/bin/sh\n" + script)
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    return bin_dir


@sqlite_only
def test_the_plain_copy_is_private_and_beside_the_target_while_it_is_encrypted(
    app, runner, tmp_path, monkeypatch
):
    # A stand-in for age that reports what it was given: arguments, and the file on its stdin.
    log = tmp_path / "log"
    fake_tool(
        tmp_path,
        monkeypatch,
        "age",
        f'echo "$@" > {log}; stat -L -c "%a %s" /proc/self/fd/0 >> {log}; '
        f"readlink /proc/self/fd/0 >> {log}; cat\n",
    )
    folder = tmp_path / "uit"
    folder.mkdir()
    target = folder / "b.age"
    result = runner.invoke(args=["backup", str(target), "--encrypt-to", "age1voorbeeld"])
    assert result.exit_code == 0, result.output
    args, stat, plain = log.read_text().splitlines()
    assert args == "--encrypt --recipient age1voorbeeld"
    assert stat.split()[0] == "600" and int(stat.split()[1]) > 0
    assert os.path.dirname(plain) == str(folder)
    assert not os.path.exists(plain) and list(folder.iterdir()) == [target]


@sqlite_only
def test_a_missing_tool_is_named_in_dutch_and_nothing_is_written(app, runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "leeg"))
    folder = tmp_path / "uit"
    folder.mkdir()
    for recipient, tool in (("age1voorbeeld", "age"), ("ABCDEF0123456789", "gpg")):
        result = runner.invoke(args=["backup", str(folder / "b.sqlite3"), "--encrypt-to", recipient])
        assert result.exit_code != 0
        assert f"het programma {tool} is niet geïnstalleerd" in result.output
        assert list(folder.iterdir()) == []


@sqlite_only
def test_a_failed_encryption_leaves_no_file(app, runner, gpg_key, tmp_path):
    folder = tmp_path / "uit"
    folder.mkdir()
    result = runner.invoke(args=["backup", str(folder / "b.gpg"), "--encrypt-to", "niemand@example.org"])
    assert result.exit_code != 0 and "Versleutelen met gpg is mislukt" in result.output
    assert list(folder.iterdir()) == []
    result = runner.invoke(args=["backup", str(folder / "b.gpg"), "--encrypt-to", "--output=/tmp/x"])
    assert result.exit_code != 0 and "Ongeldige ontvanger" in result.output


def make_pending(app):
    """Undo the testzaak migration, as if the plugin were installed after the rest."""
    with db_ctx(app):
        database.execute_sql('DROP TABLE "testzaak_extra"')
        migrate.Migration.delete().where(migrate.Migration.app == "testzaak").execute()
        assert migrate.pending_migrations(get_pm()) == [("testzaak", "m0001_initial")]


def backups(app):
    folder = app.instance_path + "/backups"
    return sorted(os.path.join(folder, n) for n in os.listdir(folder)) if os.path.isdir(folder) else []


@sqlite_only
def test_init_db_backs_up_before_it_migrates(app, runner):
    make_pending(app)
    before = live_counts(app)
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    [saved] = backups(app)
    assert f"Back-up van vóór de migraties geschreven naar {saved}." in result.output
    assert "migration testzaak.m0001_initial toegepast" in result.output
    assert os.path.basename(saved).startswith("test-voor-migratie-") and saved.endswith("Z.sqlite3")
    assert mode(Path(saved)) == 0o600
    assert os.stat(os.path.dirname(saved)).st_mode & 0o777 == 0o700
    assert file_counts(saved) == before  # the database as it was, without the new table
    again = runner.invoke(args=["init-db"])
    assert "0 migraties toegepast" in again.output and "Back-up" not in again.output
    assert len(backups(app)) == 1


@sqlite_only
def test_init_db_encrypts_its_backup_for_the_configured_recipient(app, runner, gpg_key, tmp_path):
    make_pending(app)
    seed_marker(app)
    before = live_counts(app)
    app.config["PORTAL_BACKUP_RECIPIENT"] = gpg_key
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    [saved] = backups(app)
    assert saved.endswith(".sqlite3.gpg") and os.stat(saved).st_mode & 0o777 == 0o600
    assert MARKER.encode() not in open(saved, "rb").read()
    gpg_decrypt(saved, tmp_path / "terug.sqlite3")
    assert file_counts(tmp_path / "terug.sqlite3") == before


@sqlite_only
def test_init_db_does_not_migrate_when_the_backup_fails(app, runner, tmp_path, monkeypatch):
    make_pending(app)
    monkeypatch.setenv("PATH", str(tmp_path / "leeg"))
    app.config["PORTAL_BACKUP_RECIPIENT"] = "age1voorbeeld"
    result = runner.invoke(args=["init-db"])
    assert result.exit_code != 0
    assert "het programma age is niet geïnstalleerd" in result.output
    assert "Er is niets gemigreerd." in result.output
    with db_ctx(app):
        assert migrate.pending_migrations(get_pm()) == [("testzaak", "m0001_initial")]
    assert os.listdir(app.instance_path + "/backups") == []


@sqlite_only
def test_init_db_backs_up_nothing_on_a_new_database(app_config, tmp_path, monkeypatch):
    from portal import create_app

    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "nieuw"))
    app = create_app(dict(app_config, DATABASE_URL=f"sqlite:///{tmp_path / 'nieuw.sqlite3'}"))
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Back-up" not in result.output and backups(app) == []


@pytest.mark.skipif(not ON_PG, reason="PostgreSQL")
@pytest.mark.schema
def test_init_db_on_postgresql_migrates_without_a_backup_file(app, runner):
    make_pending(app)  # PostgreSQL's DDL is transactional: a failed migration changes nothing
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "migration testzaak.m0001_initial toegepast" in result.output
    assert "Back-up" not in result.output and backups(app) == []
