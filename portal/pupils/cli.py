"""``flask --app portal pupils …``: the register from the command line.

``pupils import FILE --school SLUG`` reads a CSV export of the school's administration
(ParnasSys, ESIS) the way the upload page does, without the preview: for a nightly job.
It prints what it did and exits with 1 when it refused the file (nothing written then).
"""

import click
from flask import current_app
from flask.cli import AppGroup

from ..audit import audit
from ..models import School
from . import importer


@click.group("pupils", cls=AppGroup)
def pupils_group():
    """De leerlingenlijst (import uit ParnasSys of ESIS)."""


@pupils_group.command("import")
@click.argument("path", metavar="BESTAND", type=click.Path(exists=True, dir_okay=False))
@click.option("--school", "slug", required=True, help="De school (zoals in de adressen van het portaal).")
@click.option("--dry-run", is_flag=True, help="Alleen tonen wat er zou gebeuren; niets opslaan.")
@click.option(
    "--partial",
    is_flag=True,
    help="Het bestand is geen volledige export: niemand als vertrokken markeren.",
)
@click.option(
    "--allow-many-left",
    is_flag=True,
    help="Ook importeren als meer dan een kwart van de leerlingen als vertrokken zou worden gemarkeerd.",
)
def import_command(path, slug, dry_run, partial, allow_many_left):
    """Import the pupils in BESTAND (CSV) into the register of a school."""
    school = School.get_or_none(School.slug == slug)
    if school is None:
        raise click.ClickException(f"Onbekende school: {slug}.")
    importer.Pending(current_app.instance_path).sweep()  # the upload page's leftovers
    with open(path, "rb") as f:
        data = f.read(importer.MAX_BYTES + 1)
    try:
        table = importer.read_table(data)
    except importer.FileRefused as refused:
        raise click.ClickException(f"Bestand geweigerd: {refused.reason}") from None
    mapping = importer.guess_mapping(table.headers)
    if importer.missing(mapping):
        raise click.ClickException(
            "Bestand geweigerd: de kolom "
            + " en ".join(importer.missing(mapping))
            + " ontbreekt (herkend worden onder meer Leerlingnummer, Roepnaam of Voornaam en "
            "Achternaam). Importeer een bestand met andere kolomnamen via de pagina Leerlingen, "
            "Importeren: daar kiest u welke kolom wat is."
        )
    full = not partial
    plan = importer.plan_file(school, table, mapping, full=full)
    if plan.many_left and not allow_many_left:
        raise click.ClickException(
            f"Bestand geweigerd: {len(plan.left)} van de {plan.at_school} leerlingen zouden als "
            "vertrokken worden gemarkeerd. Is de export volledig? Gebruik --allow-many-left als "
            "dit klopt, of --partial voor een deel van de school."
        )
    if dry_run:
        audit("pupil.import.dry_run", school=school, detail=f"cli: {plan.summary()}")
    else:
        try:
            plan = importer.apply(
                school, table, mapping, full=full, expected=plan.fingerprint(), source="cli"
            )
        except importer.PlanChanged:
            raise click.ClickException(
                "De leerlingenlijst veranderde tijdens het importeren; er is niets opgeslagen. "
                "Probeer het opnieuw."
            ) from None
    click.echo(f"Bestand: {table.description}.")
    c = plan.counts()
    click.echo(f"Nieuw: {c['new']}")
    click.echo(f"Gewijzigd: {c['changed']}")
    click.echo(f"Weer op school: {c['back']}")
    click.echo(f"Vertrokken: {c['left']}")
    click.echo(f"Ongewijzigd: {c['unchanged']}")
    click.echo(f"Geweigerde rijen: {c['refused']}")
    for error in plan.errors:
        click.echo(f"  {error.text}")
    if plan.left_skipped:
        click.echo("Niemand is als vertrokken gemarkeerd: niet elke rij had een leesbaar leerlingnummer.")
    if dry_run:
        click.echo("Proefdraai: er is niets opgeslagen.")


def init_app(app):
    app.cli.add_command(pupils_group)
