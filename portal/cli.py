"""``flask --app portal …`` commands: database, demo, users, schools, plugins, outbox, purge."""

import click
from flask import current_app
from flask.cli import AppGroup
from flask.cli import with_appcontext

from .db import atomic
from .declarations import ROLES
from .models import School
from .models import SchoolPlugin
from .models import User
from .models import UserRole
from .registry import get_pm
from .registry import get_registry


def init_app(app):
    app.cli.add_command(init_db)
    app.cli.add_command(db_group)
    app.cli.add_command(user_group)
    app.cli.add_command(school_group)
    app.cli.add_command(sso_group)
    app.cli.add_command(plugin_group)
    app.cli.add_command(permissions_group)
    app.cli.add_command(outbox_group)
    app.cli.add_command(purge_command)
    app.cli.add_command(backup_command)


@click.command("init-db")
@with_appcontext
@click.option("--demo", is_flag=True, help="Ook de demoschool De Klaverweide aanmaken.")
def init_db(demo):
    """Create or upgrade the database (idempotent); with --demo add the demo school.

    Before it migrates an existing SQLite database it writes a backup to
    <instance>/backups/ (encrypted for PORTAL_BACKUP_RECIPIENT when that is set)."""
    if demo and current_app.config["PORTAL_ENV"] == "production":
        # The demo school comes with a board-wide beheerder whose password is published.
        raise click.ClickException(
            "De demoschool wordt in productie niet aangemaakt: de demologins hebben een openbaar wachtwoord."
        )
    from . import migrate
    from .backup import BackupError
    from .backup import configured_recipient
    from .backup import pre_migration_backup
    from .db import database
    from .db import is_sqlite

    owner_url = current_app.config.get("DATABASE_OWNER_URL")
    if owner_url:
        # The schema's owner runs the migrations; the portal serves as a login that owns
        # nothing (portal/db_roles.py).
        from .db import open_database
        from .db import use_database

        use_database(open_database(owner_url))
    pm = get_pm()
    saved = None
    if is_sqlite() and migrate.pending_migrations(pm) and database.get_tables():
        try:
            saved = pre_migration_backup(current_app.instance_path, configured_recipient())
        except BackupError as exc:
            raise click.ClickException(f"{exc} Er is niets gemigreerd.") from None
        click.echo(f"Back-up van vóór de migraties geschreven naar {saved}.")
    try:
        n = migrate.upgrade(pm, log=click.echo)
    except migrate.MigrationError as exc:
        where = f" De back-up van vóór de migraties staat in {saved}." if saved else ""
        raise click.ClickException(f"{exc}{where}") from None
    except Exception:
        if saved:
            click.echo(f"Migratie mislukt; de back-up van vóór de migraties staat in {saved}.", err=True)
        raise
    click.echo(f"Database bijgewerkt ({n} migraties toegepast).")
    app_role = current_app.config.get("PORTAL_DB_APP_ROLE")
    if app_role and not is_sqlite():
        from .db_roles import apply_grants

        apply_grants(database, app_role)
        click.echo(f"Rechten van {app_role} bijgewerkt (het auditlog: alleen lezen en toevoegen).")
    if demo:
        from .demo import DEMO_USERS
        from .demo import create_demo
        from .demo import demo_password

        create_demo(pm, log=click.echo)
        click.echo("Demologins (wachtwoord: %s):" % demo_password())
        for email, name, role, _ in DEMO_USERS:
            click.echo(f"  {role:15} {email:34} {name}")


@click.group("db", cls=AppGroup)
def db_group():
    """PostgreSQL: the schema's owner and the application's login."""


@db_group.command("roles")
@click.option("--owner", default="portal_owner", show_default=True, help="Rol die het schema bezit.")
@click.option(
    "--app-role", "app_role", default="portal_app", show_default=True, help="Rol waarmee het portaal werkt."
)
@click.option("--database", "dbname", default="portal", show_default=True)
def db_roles(owner, app_role, dbname):
    """Print the SQL that sets up the two roles (run it once as a superuser)."""
    from .db_roles import grant_statements
    from .db_roles import setup_statements

    try:
        setup = setup_statements(owner, app_role, dbname)
        grants = grant_statements(app_role)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("-- Eenmalig, als superuser:")
    for statement in setup:
        click.echo(statement if statement.startswith("--") else f"{statement};")
    click.echo(f"-- Na elke init-db, als {owner} (init-db doet dit zelf met PORTAL_DB_APP_ROLE={app_role}):")
    for statement in grants:
        click.echo(f"{statement};")


@click.group("user", cls=AppGroup)
def user_group():
    """Manage staff accounts."""


@user_group.command("add")
@click.argument("email")
@click.argument("name")
@click.password_option(prompt="Wachtwoord")
def user_add(email, name, password):
    """Add a staff account."""
    from .passwords import hash_password
    from .passwords import policy_error

    email = email.strip().lower()
    if User.select().where(User.email == email).exists():
        raise click.ClickException(f"{email} bestaat al.")
    if reason := policy_error(password, email):
        raise click.ClickException(reason)
    User.create(email=email, name=name, password_hash=hash_password(password))
    click.echo(f"Gebruiker {email} aangemaakt.")


@user_group.command("roles")
@click.argument("email")
@click.argument("school")
@click.argument("roles", nargs=-1)
def user_roles(email, school, roles):
    """Set EMAIL's ROLES at SCHOOL (slug, or '*' for the whole board); none removes all."""
    user = User.get_or_none(User.email == email.strip().lower())
    if user is None:
        raise click.ClickException(f"Onbekende gebruiker {email}.")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise click.ClickException(f"Onbekende rol(len): {', '.join(unknown)}. Kies uit {', '.join(ROLES)}.")
    target = None
    if school != "*":
        target = School.get_or_none(School.slug == school)
        if target is None:
            raise click.ClickException(f"Onbekende school {school}.")
    with atomic():
        cond = UserRole.school.is_null() if target is None else (UserRole.school == target.id)
        UserRole.delete().where((UserRole.user == user.id) & cond).execute()
        for role in roles:
            UserRole.create(user=user, school=target, role=role)
    click.echo(f"Rollen van {user.email} bij {school}: {', '.join(roles) or '(geen)'}")


@user_group.command("disable")
@click.argument("email")
def user_disable(email):
    """Disable an account and end all its sessions."""
    from .auth import disable_user

    user = User.get_or_none(User.email == email.strip().lower())
    if user is None:
        raise click.ClickException(f"Onbekende gebruiker {email}.")
    disable_user(user)
    click.echo(f"{user.email} is uitgeschakeld; alle sessies zijn beëindigd.")


@user_group.command("enable")
@click.argument("email")
def user_enable(email):
    """Enable a disabled account again (its password and second factor as they were)."""
    from .audit import audit
    from .auth import enable_user

    user = User.get_or_none(User.email == email.strip().lower())
    if user is None:
        raise click.ClickException(f"Onbekende gebruiker {email}.")
    with atomic():
        enable_user(user)
        audit("admin.user.enable", detail=f"user={user.id} via=cli")
    click.echo(f"{user.email} is weer ingeschakeld.")


@user_group.command("link")
@click.argument("email")
def user_link(email):
    """Mail EMAIL a link to set a password (through the outbox)."""
    from .audit import audit
    from .password_links import SET
    from .password_links import new_link
    from .sso import passwords_allowed

    user = User.get_or_none(User.email == email.strip().lower())
    if user is None or not user.active:
        raise click.ClickException(f"Onbekende of uitgeschakelde gebruiker {email}.")
    if not passwords_allowed(user):
        raise click.ClickException(
            f"{user.email} logt in via de identiteitsprovider; wachtwoorden staan uit."
        )
    with atomic():
        new_link(user, SET)
        audit("admin.user.password_link", detail=f"user={user.id} via=cli")
    click.echo(f"Een link om een wachtwoord te kiezen staat in de outbox voor {user.email}.")


# The school's details as options, the same for add and edit (None: not given).
SCHOOL_OPTIONS = [
    ("--address", "address", "Straat en huisnummer."),
    ("--postcode", "postcode", "Postcode, zoals 1234 AB."),
    ("--city", "city", "Plaats."),
    ("--phone", "phone", "Telefoonnummer."),
    ("--email", "email", "E-mailadres van de school."),
    ("--website", "website", "Website."),
    ("--board-name", "board_name", "Naam van het bestuur."),
]


def school_options(command):
    for flag, name, text in reversed(SCHOOL_OPTIONS):
        command = click.option(flag, name, default=None, help=text)(command)
    return command


def _refused(exc):
    return click.ClickException(
        "Niet opgeslagen: " + " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.errors.items())
    )


@click.group("school", cls=AppGroup)
def school_group():
    """Schools of the board: add, edit, list, archive, restore."""


@school_group.command("add")
@click.argument("slug")
@click.argument("name")
@school_options
def school_add(slug, name, **details):
    """Add a school SLUG named NAME: default settings, no plugins, no users."""
    from .admin.schools import NewSchoolForm
    from .admin.schools import SchoolRefused
    from .admin.schools import create_school
    from .admin.schools import validate_details
    from .admin.schools import values_of

    try:
        form = validate_details({"slug": slug, "name": name, **details}, NewSchoolForm)
    except SchoolRefused as exc:
        raise _refused(exc) from None
    school = create_school(form.slug.data, values_of(form), via="via=cli")
    click.echo(f"School {school.slug} ({school.name}) aangemaakt, zonder onderdelen en gebruikers.")


@school_group.command("edit")
@click.argument("slug")
@click.option("--name", default=None, help="Naam van de school.")
@school_options
def school_edit(slug, name, **details):
    """Change the details of school SLUG (only the options given)."""
    from .admin.schools import FIELDS
    from .admin.schools import SchoolRefused
    from .admin.schools import update_school
    from .admin.schools import validate_details
    from .admin.schools import values_of

    school = School.get_or_none(School.slug == slug)
    if school is None:
        raise click.ClickException(f"Onbekende school {slug}.")
    given = {"name": name, **details}
    data = {f: given[f] if given.get(f) is not None else getattr(school, f) for f in FIELDS}
    try:
        form = validate_details(data)
    except SchoolRefused as exc:
        raise _refused(exc) from None
    changed = update_school(school, values_of(form), via="via=cli")
    click.echo(f"{school.slug}: " + (", ".join(changed) + " gewijzigd." if changed else "niets gewijzigd."))


@school_group.command("list")
def school_list():
    """The schools: slug, name, and whether archived."""
    for school in School.select().order_by(School.slug):
        state = f"gearchiveerd {school.archived_at:%Y-%m-%d}" if school.archived_at else "open"
        click.echo(f"{school.slug}\t{school.name}\t{state}")


@school_group.command("archive")
@click.argument("slug")
def school_archive(slug):
    """Archive school SLUG: nobody opens its pages any more; its data stays until retention."""
    from .admin.schools import archive_school

    school = School.get_or_none(School.slug == slug)
    if school is None:
        raise click.ClickException(f"Onbekende school {slug}.")
    done = archive_school(school, via="via=cli")
    click.echo(f"{slug} is gearchiveerd." if done else f"{slug} was al gearchiveerd.")


@school_group.command("restore")
@click.argument("slug")
def school_restore(slug):
    """Open an archived school SLUG again."""
    from .admin.schools import restore_school

    school = School.get_or_none(School.slug == slug)
    if school is None:
        raise click.ClickException(f"Onbekende school {slug}.")
    done = restore_school(school, via="via=cli")
    click.echo(f"{slug} is weer open." if done else f"{slug} was niet gearchiveerd.")


@click.group("sso", cls=AppGroup)
def sso_group():
    """Single sign-on: show the settings; switch passwords back on (the way back in)."""


@sso_group.command("show")
def sso_show():
    from .sso import config_row

    row = config_row()
    if row is None:
        click.echo("Inloggen via een identiteitsprovider is niet ingesteld.")
        return
    click.echo(f"aan: {'ja' if row.enabled else 'nee'}")
    click.echo(f"issuer: {row.issuer}")
    click.echo(f"client-id: {row.client_id}")
    click.echo(f"clientgeheim: {'opgeslagen' if row.client_secret else '(geen)'}")
    click.echo(f"domeinen: {', '.join(row.domains.split()) or '(geen)'}")
    click.echo(f"wachtwoorden uit: {'ja' if row.passwords_off else 'nee'}")
    who = User.get_or_none(User.id == row.break_glass_id) if row.break_glass_id else None
    click.echo(f"noodaccount: {who.email if who else '(geen)'}")


@sso_group.command("passwords-on")
def sso_passwords_on():
    """Allow password logins again for everyone (the provider fails and so does the break-glass
    account)."""
    from .audit import audit
    from .models import SsoConfig

    with atomic():
        changed = SsoConfig.update(passwords_off=False).where(SsoConfig.passwords_off == True).execute()  # noqa: E712
        if changed:
            audit("admin.sso", detail="passwords_off via=cli")
    click.echo("Inloggen met een wachtwoord staat weer aan." if changed else "Wachtwoorden stonden al aan.")


@click.group("plugin", cls=AppGroup)
def plugin_group():
    """Which plugins a school enables."""


@plugin_group.command("list")
def plugin_list():
    reg = get_registry()
    for school in School.select().order_by(School.slug):
        enabled = {p.plugin for p in SchoolPlugin.select().where(SchoolPlugin.school == school)}
        marks = ", ".join(f"{s}{'' if s in enabled else ' (uit)'}" for s in reg.plugin_slugs)
        click.echo(f"{school.slug}: {marks}")


@plugin_group.command("enable")
@click.argument("school")
@click.argument("plugin")
def plugin_enable(school, plugin):
    _set_plugin(school, plugin, True)


@plugin_group.command("disable")
@click.argument("school")
@click.argument("plugin")
def plugin_disable(school, plugin):
    _set_plugin(school, plugin, False)


@plugin_group.command("ddl")
@click.argument("plugin")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
def plugin_ddl(plugin, folder):
    """Write PLUGIN's first migration into FOLDER: its tables as they are now, in SQL for
    SQLite and for PostgreSQL (m0001_initial.sqlite.sql and m0001_initial.postgresql.sql)."""
    import os

    from .migrate import first_migration_sql

    reg = get_registry()
    models = [m for table, m in sorted(reg.models.items()) if table.startswith(plugin + "_")]
    if not models:
        raise click.ClickException(f"De plugin {plugin} heeft geen tabellen.")
    for dialect, text in first_migration_sql(plugin, models).items():
        path = os.path.join(folder, f"m0001_initial.{dialect}.sql")
        if os.path.exists(path):
            raise click.ClickException(f"{path} bestaat al; een eerste migratie verandert niet meer.")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        click.echo(f"Geschreven: {path}")


def _set_plugin(slug, plugin, on):
    school = School.get_or_none(School.slug == slug)
    if school is None:
        raise click.ClickException(f"Onbekende school {slug}.")
    if plugin not in get_registry().plugin_slugs:
        raise click.ClickException(f"Onbekende plugin {plugin}.")
    from .admin import set_plugin_enabled

    set_plugin_enabled(school, plugin, on)
    click.echo(f"{plugin} {'aan' if on else 'uit'} voor {school.slug}.")


@click.group("permissions", cls=AppGroup)
def permissions_group():
    """A school's changes to the default role permissions."""


@permissions_group.command("reset")
@click.argument("school")
def permissions_reset(school):
    """Restore SCHOOL's default role permissions (delete its changes): the way back for a
    school whose grid no longer lets anyone in."""
    from .audit import audit
    from .models import RolePermission

    target = School.get_or_none(School.slug == school)
    if target is None:
        raise click.ClickException(f"Onbekende school {school}.")
    here = RolePermission.school == target.id
    with atomic():
        rows = list(
            RolePermission.select().where(here).order_by(RolePermission.permission, RolePermission.role)
        )
        RolePermission.delete().where(here).execute()
        changes = " ".join(f"{'+' if r.granted else '-'}{r.permission}|{r.role}" for r in rows)
        audit("admin.permissions.reset", school=target, detail=f"via=cli removed: {changes}".strip())
    for r in rows:
        how = "gegeven aan" if r.granted else "afgenomen van"
        click.echo(f"Verwijderd: {r.permission} {how} {r.role}")
    click.echo(f"De rechten van {target.slug} zijn weer de standaard ({len(rows)} wijzigingen verwijderd).")


@click.group("outbox", cls=AppGroup)
def outbox_group():
    """The mail outbox: a worker sends it, never a web request."""


@outbox_group.command("send")
def outbox_send():
    """One pass: send the queued mail that is due, then stop (for cron)."""
    from .mail import send_due
    from .mail import summary

    if not current_app.config.get("SMTP_HOST"):
        click.echo("Geen SMTP_HOST ingesteld: de outbox bewaart alleen.")
        return
    click.echo(summary(send_due()))


@outbox_group.command("work")
def outbox_work():
    """Keep sending: a pass every OUTBOX_POLL_SECONDS until SIGTERM or SIGINT (Ctrl-C).

    A stop signal ends the worker after the message in hand; the rest of its claimed
    mail is given back and goes with the next run.
    """
    import signal
    import threading

    from .mail import work

    stop = threading.Event()

    def _stop(signum, frame):
        # Not stop.set() here: the handler runs in the main thread, which may hold the
        # event's own (non-reentrant) lock at that moment (inside stop.wait); setting it
        # from the handler then waits for itself forever. Another thread sets it.
        threading.Thread(target=stop.set, name="outbox-stop").start()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop)
    work(stop, echo=click.echo)


@click.command("purge")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Alleen tonen wat zou worden verwijderd.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, hidden=True)
def purge_command(dry_run, today):
    """Delete closed cases whose retention period has passed (not those on legal hold), then
    pupils who left long enough ago and whom no case or open inzage request keeps."""
    from .retention import purge
    from .retention import purge_pupils

    day = today.date() if today else None  # None: today's Dutch date
    cases = purge(today=day, dry_run=dry_run)
    pupils = purge_pupils(today=day, dry_run=dry_run)
    from .retention import purge_audit_views

    views = purge_audit_views(dry_run=dry_run)
    if not dry_run:
        from .retention import purge_housekeeping

        purge_housekeeping()
    verb = "Zou verwijderen" if dry_run else "Verwijderd"
    for slug, n in sorted(views.items()):
        click.echo(f"{verb}: {slug or '(geen school)'} {n} auditregels over inzien (na de bewaartermijn)")
    for case in cases:
        click.echo(f"{verb}: {case.school.slug} {case.reference} (bewaren tot {case.retention_until})")
    # The pupil's number in the register, never a name: this output ends up in cron's mail.
    for pupil in pupils:
        click.echo(f"{verb}: {pupil.school.slug} leerling #{pupil.id} (vertrokken {pupil.left_on})")
    click.echo(f"{verb}: {len(cases)} zaken, {len(pupils)} leerlingen.")


@click.command("backup")
@with_appcontext
@click.argument("target", type=click.Path(dir_okay=False))
@click.option(
    "--encrypt-to",
    "recipient",
    default=None,
    metavar="ONTVANGER",
    help="Versleutel de back-up voor deze ontvanger: een age-sleutel (age1…) of een "
    "gpg-sleutel (vingerafdruk). Standaard PORTAL_BACKUP_RECIPIENT.",
)
def backup_command(target, recipient):
    """Back up the live SQLite database to TARGET (mode 0600), encrypted with --encrypt-to;
    PostgreSQL: use pg_dump -Fc."""
    from .backup import BackupError
    from .backup import configured_recipient
    from .backup import write_backup

    if recipient is None:
        recipient = configured_recipient()
    try:
        path = write_backup(target, recipient or None)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    how = f" (versleuteld voor {recipient})" if recipient else ""
    click.echo(f"Back-up geschreven naar {path}{how}.")
