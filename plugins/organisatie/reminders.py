"""Reminders to the directie, through the outbox, each once: a BHV certificate that ends
within 60 days, and (from 1 June) a school year without an evacuation drill.

``flask --app portal organisatie-herinneringen`` runs them for every school that enabled
the plugin; cron runs it daily (docs/operations.md). What went out is recorded in
``organisatie_notice`` in the same transaction as the mail, under a unique key per
certificate and per school year, so a second run (or two at once) sends nothing again.
"""

import click
import peewee

from portal import api

from . import register
from .models import Notice
from .reports import drill_overdue

PERMISSION = "organisatie.herinnering"


def _already(school, key):
    return Notice.select().where((Notice.school == school.id) & (Notice.key == key)).exists()


def _send(school, keys, subject, body):
    """Mail the holders of PERMISSION and record ``keys``, in one transaction; False when
    nobody would get it or another run recorded a key first."""
    people = [u for u in api.users_with_permission(school, PERMISSION) if u.email]
    if not people:
        return False
    try:
        with api.atomic():
            for key in keys:
                Notice.create(school=school.id, key=key)
            for person in people:
                api.queue_mail(person.email, subject, body, school=school)
            api.audit("organisatie.herinnering", school=school, detail=", ".join(keys)[:200])
    except peewee.IntegrityError:  # a run at the same moment sent it
        return False
    return True


def certificate_reminder(school, day):
    """One mail naming every BHV'er of this school year whose certificate ends within
    ``register.WARN_DAYS`` days (or has ended) and was not announced before."""
    status = register.bhv_status(school, api.school_year_of(day), day)
    due = [
        line
        for line in status.lines
        if line.state in ("verloopt", "verlopen")
        and not _already(school, f"certificaat:{line.certificate.id}")
    ]
    if not due:
        return False
    lines = "\n".join(f"- {line.person.name}: {line.text}" for line in due)
    body = (
        f"Van deze BHV'ers van {school.name} verloopt het BHV-certificaat binnen {register.WARN_DAYS} "
        f"dagen of is het verlopen:\n\n{lines}\n\nPlan op tijd een herhalingscursus, zodat de school "
        f"genoeg BHV'ers met een geldig certificaat houdt ({status.summary}).\n\nWie doet wat: "
        f"{api.external_url('organisatie.index', school=school.slug)}\n\n"
        "Dit bericht is automatisch verstuurd door het Veiligheidsportaal."
    )
    keys = [f"certificaat:{line.certificate.id}" for line in due]
    return _send(school, keys, f"BHV-certificaat verloopt: {school.name}", body)


def drill_reminder(school, day):
    """From 1 June, once per school year without a drill held."""
    year = api.school_year_of(day)
    key = f"ontruiming:{year}"
    if not drill_overdue(school, day) or _already(school, key):
        return False
    plan = api.external_url("organisatie.start_ontruiming", school=school.slug)
    body = (
        f"{school.name} heeft in schooljaar {register.year_text(year)} nog geen ontruimingsoefening "
        "gehouden. Het veiligheidsplan (3.5.2) vraagt minimaal één oefening per jaar met de leerlingen."
        f"\n\nPlan er een vóór de zomervakantie: {plan}"
        "\n\nDit bericht is automatisch verstuurd door het Veiligheidsportaal."
    )
    return _send(school, [key], f"Nog geen ontruimingsoefening dit schooljaar: {school.name}", body)


def run(day=None, echo=print):
    """Both reminders for every school that enabled the plugin; returns how many mails
    went out (one per school and kind, to each holder of PERMISSION)."""
    day = day or api.today()
    sent = 0
    for school in api.schools_enabling("organisatie"):
        for what, reminder in (
            ("BHV-certificaten", certificate_reminder),
            ("ontruimingsoefening", drill_reminder),
        ):
            if reminder(school, day):
                sent += 1
                echo(f"{school.slug}: herinnering {what} verstuurd.")
    return sent


def commands(cli):
    @cli.command("organisatie-herinneringen")
    def remind():
        """Herinneringen aan de directie: BHV-certificaten die binnen 60 dagen verlopen en, vanaf
        1 juni, een schooljaar zonder ontruimingsoefening. Elk één keer; dagelijks vanuit cron."""
        n = run(echo=click.echo)
        click.echo(f"{n} herinnering(en) verstuurd.")
