"""The audit log for people: every action and outcome in Dutch, who or what a row is about,
the filters of the school's log page and its CSV exports.

``ACTIONS`` holds a description of every action name the code writes (``audit("…")`` and
``audit_view("…")``; tests/test_audit_log.py reads the code and fails on a name without
one). The pages of a plugin that a parent uses write ``<plugin>.<what>`` (portal/public.py);
those are described by ``PUBLIC``, with the plugin's title in front. An unknown name is
shown as it is, never hidden.

A login belongs to no school (``school`` is empty): the school's log shows the logins,
logouts, second steps and passwords of the people who hold a role at the school.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass

from .models import AuditLog
from .models import User
from .models import UserRole

ACTIONS = {
    # Logging in and the account
    "login": "Inloggen",
    "login.password": "Wachtwoord goed, tweede stap gevraagd",
    "login.mfa": "Inloggen: tweede stap (code)",
    "login.sso": "Inloggen via de identiteitsprovider",
    "logout": "Uitloggen",
    "password.change": "Eigen wachtwoord gewijzigd",
    "password.reset.request": "Wachtwoordlink aangevraagd",
    "password.set": "Wachtwoord ingesteld via een link",
    "mfa.enable": "Tweestapsverificatie aangezet",
    "mfa.disable": "Tweestapsverificatie uitgezet",
    "mfa.recovery_codes": "Nieuwe herstelcodes gemaakt",
    "mfa.reset": "Tweestapsverificatie van een gebruiker teruggezet",
    # Beheer
    "admin.audit_log.view": "Auditlog bekeken",
    "admin.audit_log.export": "Auditlog gedownload (CSV)",
    "admin.audit_log.case_export": "Log van een zaak gedownload voor het dossier",
    "admin.mail.view": "Mislukte mail bekeken",
    "admin.mail.retry": "Mislukte mail opnieuw verstuurd",
    "admin.permissions": "Rechten per rol gewijzigd",
    "admin.permissions.reset": "Rechten per rol teruggezet naar de standaard",
    "admin.plugins": "Onderdelen van de school gewijzigd",
    "admin.settings": "Schoolgegevens en instellingen gewijzigd",
    "admin.school.new": "School aangemaakt",
    "admin.school.edit": "School gewijzigd",
    "admin.school.archive": "School gearchiveerd",
    "admin.school.restore": "School teruggezet uit het archief",
    "admin.sso": "Inloggen via de identiteitsprovider ingesteld",
    "admin.sso.view": "Instellingen identiteitsprovider bekeken",
    "admin.user": "Gebruiker of rollen gewijzigd",
    "admin.user.view": "Gebruiker bekeken",
    "admin.user.disable": "Gebruiker uitgeschakeld",
    "admin.user.enable": "Gebruiker weer ingeschakeld",
    "admin.user.mfa": "Tweestapsverificatie van een gebruiker teruggezet",
    "admin.user.password_link": "Wachtwoordlink gestuurd aan een gebruiker",
    "board.overview": "Bestuursoverzicht bekeken",
    "calendar.vacation.add": "Vakantie toegevoegd",
    "calendar.vacation.delete": "Vakantie verwijderd",
    "dashboard.view": "Dashboard bekeken",
    "notifications.view": "Te doen bekeken",
    # Cases
    "case.list": "Zakenlijst bekeken",
    "case.export": "Zakenlijst gedownload",
    "case.view": "Zaak bekeken",
    "case.create": "Zaak aangemaakt",
    "case.start.prefill": "Zaak gestart vanuit een andere zaak",
    "case.link": "Zaak gekoppeld als vervolg",
    "case.transition": "Stap gezet in een zaak",
    "case.assign": "Behandelaar van een zaak gewijzigd",
    "case.checklist": "Punt van de checklist afgevinkt",
    "case.confidential": "Zaak vertrouwelijk gemaakt of weer open",
    "case.exclude": "Medewerker uitgesloten van een zaak",
    "case.include": "Uitsluiting van een medewerker opgeheven",
    "case.legal_hold": "Bewaarplicht van een zaak gewijzigd",
    "case.note": "Notitie bij een zaak geplaatst",
    "case.message": "Bericht aan de indiener verstuurd",
    "case.document": "Brief of document gemaakt",
    "case.document.download": "Brief of document gedownload",
    "case.attachment.upload": "Bijlage toegevoegd",
    "case.attachment.download": "Bijlage gedownload",
    "case.receipt": "Ontvangstbewijs gemaakt",
    "case.pupil.link": "Leerling aan een zaak gekoppeld",
    "case.pupil.unlink": "Leerling van een zaak losgekoppeld",
    "case.purge": "Zaak verwijderd na de bewaartermijn",
    "audit.purge": "Auditregels over inzien verwijderd na de bewaartermijn",
    # Pupils
    "pupil.list": "Leerlingenlijst bekeken",
    "pupil.search": "Leerling gezocht",
    "pupil.view": "Leerling bekeken",
    "pupil.new": "Leerling toegevoegd",
    "pupil.edit": "Leerling gewijzigd",
    "pupil.left": "Leerling vertrokken gemeld",
    "pupil.back": "Leerling weer op school",
    "pupil.chronology": "Zaken over een leerling bekeken",
    "pupil.figures": "Leerlingcijfers bekeken",
    "pupil.purge": "Leerling verwijderd na de bewaartermijn",
    "pupil.import": "Leerlingen geïmporteerd",
    "pupil.import.new": "Leerling toegevoegd bij een import",
    "pupil.import.edit": "Leerling gewijzigd bij een import",
    "pupil.import.left": "Leerling vertrokken bij een import",
    "pupil.import.back": "Leerling terug bij een import",
    "pupil.import.open": "Importbestand geopend",
    "pupil.import.preview": "Import bekeken voor het bevestigen",
    "pupil.import.dry_run": "Import geprobeerd zonder op te slaan",
    "pupil.import.refused": "Importbestand geweigerd",
    # AVG inzage
    "inzage.list": "Inzageverzoeken bekeken",
    "inzage.request": "Inzageverzoek vastgelegd",
    "inzage.request.view": "Inzageverzoek bekeken",
    "inzage.view": "Inzageverzoeken over een leerling bekeken",
    "inzage.extend": "Termijn van een inzageverzoek verlengd",
    "inzage.decide": "Besluit over een inzageverzoek",
    "inzage.include": "Zaak meegegeven of weggelaten bij inzage",
    "inzage.letter": "Brief meegegeven of weggelaten bij inzage",
    "inzage.preview": "Voorbeeld van de inzage bekeken",
    "inzage.export": "Inzage samengesteld",
    "inzage.download": "Inzage gedownload",
    "inzage.sent": "Inzage verstuurd",
    # Reports and the safety plan
    "reports.view": "Jaarverslag bekeken",
    "reports.export": "Jaarcijfers gedownload",
    "reports.pdf": "Jaarverslag als PDF gemaakt",
    "reports.pdf.download": "Jaarverslag als PDF gedownload",
    "reports.review": "Bespreking van het jaarverslag vastgelegd",
    "reports.action.add": "Actie in het jaarplan toegevoegd",
    "reports.action.edit": "Actie in het jaarplan gewijzigd",
    "reports.monitor.add": "Monitorresultaten ingevoerd",
    "reports.monitor.edit": "Monitorresultaten gewijzigd",
    "reports.monitor.delete": "Monitorresultaten verwijderd",
    "reports.board.view": "Jaarverslag van het bestuur bekeken",
    "reports.board.export": "Jaarcijfers van het bestuur gedownload",
    "reports.board.download": "Jaarverslag van het bestuur gedownload",
    "plan.view": "Veiligheidsplan bekeken",
    "plan.text": "Tekst van het veiligheidsplan gewijzigd",
    "plan.changes": "Wijzigingen in het veiligheidsplan bekeken",
    "plan.version": "Versie van het veiligheidsplan gemaakt",
    "plan.download": "Veiligheidsplan gedownload",
    # Partners
    "partners.new": "Externe partner toegevoegd",
    "partners.edit": "Externe partner gewijzigd",
    "partners.remove": "Externe partner verwijderd",
    "partners.meeting": "Netwerkoverleg vastgelegd",
    # The plugins' own
    "organisatie.rol": "Rol in wie doet wat toegekend",
    "organisatie.rol_weg": "Rol in wie doet wat weggehaald",
    "organisatie.overnemen": "Wie doet wat overgenomen van vorig jaar",
    "organisatie.persoon": "Persoon in wie doet wat gewijzigd",
    "organisatie.persoon_weg": "Persoon uit wie doet wat verwijderd",
    "organisatie.scholing": "Scholing of certificaat vastgelegd",
    "organisatie.scholing_weg": "Scholing of certificaat verwijderd",
    "organisatie.scholing_bekeken": "Scholing en certificaten bekeken",
    "organisatie.actie_klaar": "Actie uit een evaluatie afgerond",
    "organisatie.herinnering": "Herinnering over certificaten verstuurd",
    "social_media.app.add": "App toegestaan",
    "social_media.app.remove": "App van de lijst gehaald",
    "trauma.parent_info": "Tekst voor de ouders bekeken",
    "trauma.plan": "Stappenplan traumatische gebeurtenis gewijzigd",
}

# What a parent or pupil does on a plugin's public pages (portal/public.py: ``_kind``).
PUBLIC = {
    "indienen": "Melding ingediend door een ouder of leerling",
    "volgen": "Melding gevolgd met de code",
    "aanvulling": "Aanvulling gestuurd door de indiener",
    "ontvangstbewijs": "Ontvangstbewijs gedownload door de indiener",
    "brief": "Brief gedownload door de indiener",
    "bijlage": "Bijlage gedownload door de indiener",
}

OUTCOMES = {
    "ok": "Gelukt",
    "denied": "Geweigerd: geen recht",
    "refused": "Geweigerd",
    "failed": "Mislukt: onjuist wachtwoord of code",
    "throttled": "Geweigerd: te veel pogingen",
    "honeypot": "Geweigerd: automatisch ingevuld (spam)",
    "file_refused": "Geweigerd: bestand niet toegestaan",
    "ceiling": "Geweigerd: te veel meldingen vandaag",
    "invalid_link": "Geweigerd: link ongeldig of verlopen",
    "no_mail": "Geen mail verstuurd (onbekend adres)",
}

# The filter's groups of actions: (value, label, the names' prefixes).
GROUPS = (
    ("inloggen", "Inloggen, uitloggen en account", ("login", "logout", "password.", "mfa.")),
    ("zaken", "Zaken", ("case.",)),
    ("leerlingen", "Leerlingen", ("pupil.",)),
    ("inzage", "Inzageverzoeken (AVG)", ("inzage.",)),
    ("beheer", "Beheer", ("admin.", "calendar.", "board.")),
    ("verslag", "Jaarverslag en veiligheidsplan", ("reports.", "plan.")),
)
# A school's log shows these rows of its people although they belong to no school.
PERSONAL = ("login", "logout", "password.", "mfa.")

# How many rows one CSV download of the school's log may hold at most (the newest).
EXPORT_MAX = 50_000
PAGE_ROWS = 100
DATE_ERROR = "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 7-12-2026."


def plugin_title(slug):
    """The Dutch title a plugin declares ("Klachten"), or its name when it declares none."""
    from .registry import get_pm

    if slug == "portal":
        return "Portaal"
    plugin = get_pm().get_plugin(slug)
    return getattr(plugin, "title", None) or slug


def describe(action):
    """The Dutch description of an action name."""
    if action in ACTIONS:
        return ACTIONS[action]
    slug, _, what = action.partition(".")
    if what in PUBLIC:
        return f"{plugin_title(slug)}: {PUBLIC[what]}"
    return action


def outcome_text(outcome):
    return OUTCOMES.get(outcome, outcome)


def action_choices():
    """(value, label) for the filter: the groups, then every action by its description."""
    groups = [(f"groep:{value}", f"Alles: {label}") for value, label, _ in GROUPS]
    single = sorted(ACTIONS.items(), key=lambda item: item[1].lower())
    return groups + [(name, text) for name, text in single]


@dataclass
class Filters:
    who: str = ""
    ref: str = ""
    action: str = ""
    outcome: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    before: int | None = None

    def args(self):
        """The query string's arguments that give these filters (for links and exports)."""
        out = {
            "wie": self.who,
            "zaak": self.ref,
            "handeling": self.action,
            "uitkomst": self.outcome,
            "van": self.since.isoformat() if self.since else "",
            "tot": self.until.isoformat() if self.until else "",
        }
        return {k: v for k, v in out.items() if v}


def _day(raw):
    raw = raw.strip()
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", raw)
    if m:
        raw = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise ValueError(raw)
    day = datetime.date.fromisoformat(raw)
    if not 1900 <= day.year <= 2200:
        raise ValueError(raw)
    return day


def read_filters(args, errors):
    """The log's filters from the query string; a date that is none goes in ``errors``
    ({field: Dutch message}) and is left out."""
    from .forms import bounded_int

    action = args.get("handeling", "")[:80]
    known = {value for value, _ in action_choices()}
    f = Filters(
        who=args.get("wie", "").strip().lower()[:254],
        ref=args.get("zaak", "").strip().upper()[:40],
        action=action if action in known else "",
        outcome=args.get("uitkomst", "") if args.get("uitkomst", "") in ("ok", "niet") else "",
    )
    for name in ("van", "tot"):
        raw = args.get(name, "")[:40]
        if raw.strip():
            try:
                setattr(f, "since" if name == "van" else "until", _day(raw))
            except ValueError:
                errors[name] = DATE_ERROR
    if f.since and f.until and f.until < f.since:
        errors["tot"] = "De einddatum ligt vóór de begindatum."
        f.until = None
    try:
        f.before = bounded_int(args.get("voor", "")) if args.get("voor") else None
    except ValueError:
        f.before = None
    return f


def school_emails(school):
    """The e-mail addresses of the people with a role at ``school`` (whose logins it sees)."""
    q = (
        User.select(User.email)
        .join(UserRole, on=(UserRole.user == User.id))
        .where(UserRole.school == school.id)
        .distinct()
    )
    return [u.email for u in q]


def school_rows(school, f, limit):
    """The school's log with the filters ``f``, newest first, at most ``limit`` rows: the rows
    of the school and the logins of its people (kept without a school). Two reads, each along
    its own index backwards by id (the school's rows: m0017's (school, id) indexes; the
    logins: (school, user_email, id)), merged here: one query with an OR between them would
    sort the school's whole history for every page."""
    own = _filtered(AuditLog.select().where(AuditLog.school == school.slug), f)
    rows = list(own.order_by(AuditLog.id.desc()).limit(limit))
    emails = school_emails(school)
    if emails and not f.ref:  # a login is about no case
        personal = AuditLog.action.in_(("login", "logout"))
        for prefix in PERSONAL[2:]:
            personal |= AuditLog.action.startswith(prefix)
        people = AuditLog.select().where((AuditLog.school == "") & personal & AuditLog.user_email.in_(emails))
        rows += list(_filtered(people, f).order_by(AuditLog.id.desc()).limit(limit))
        rows.sort(key=lambda row: row.id, reverse=True)
    return rows[:limit]


def _filtered(q, f):
    from .figures import _utc_midnight

    if f.who:
        q = q.where(AuditLog.user_email == f.who)
    if f.ref:
        q = q.where(AuditLog.case_ref == f.ref)
    if f.action.startswith("groep:"):
        prefixes = next((p for value, _, p in GROUPS if f"groep:{value}" == f.action), ())
        cond = None
        for prefix in prefixes:
            one = (AuditLog.action == prefix) | AuditLog.action.startswith(prefix.rstrip(".") + ".")
            cond = one if cond is None else cond | one
        if cond is not None:
            q = q.where(cond)
    elif f.action:
        q = q.where(AuditLog.action == f.action)
    if f.outcome == "ok":
        q = q.where(AuditLog.outcome == "ok")
    elif f.outcome == "niet":
        q = q.where(AuditLog.outcome != "ok")
    if f.since:
        q = q.where(AuditLog.at >= _utc_midnight(f.since))
    if f.until:
        q = q.where(AuditLog.at < _utc_midnight(f.until + datetime.timedelta(days=1)))
    if f.before:
        q = q.where(AuditLog.id < f.before)
    return q


def case_rows(school, reference):
    """Every row about one case of ``school``, oldest first (its dossier)."""
    q = AuditLog.select().where((AuditLog.school == school.slug) & (AuditLog.case_ref == reference))
    return q.order_by(AuditLog.id)


USER_RE = re.compile(r"\buser=(\d+)")
PUPIL_RE = re.compile(r"\bleerling (\d+)")


@dataclass
class Line:
    """One row as a person reads it."""

    row: AuditLog
    action: str
    outcome: str
    person: str
    about: str
    case_ref: str


def readable(rows):
    """[Line]: descriptions, the name of who did it and of whom or what it was about."""
    rows = list(rows)
    ids = {r.user_id for r in rows if r.user_id}
    about_ids = set()
    for r in rows:
        found = USER_RE.search(r.detail or "")
        if found and len(found.group(1)) < 12:
            about_ids.add(int(found.group(1)))
    names = {}
    if ids | about_ids:
        names = {u.id: u.name for u in User.select(User.id, User.name).where(User.id.in_(ids | about_ids))}
    out = []
    for r in rows:
        about = ""
        found = USER_RE.search(r.detail or "")
        if found:
            about = f"Gebruiker {names.get(int(found.group(1)), 'nr. ' + found.group(1))}"
        elif r.pupil_id:
            # A number, not a name: the log is read by the beheerder, who need not see pupils.
            about = f"Leerling nr. {r.pupil_id}"
        elif r.case_ref:
            about = f"Zaak {r.case_ref}"
        elif r.action.startswith("partners.") and r.detail:
            about = f"Partner nr. {r.detail.split(':')[0]}"
        person = names.get(r.user_id) or ""
        out.append(
            Line(
                row=r,
                action=describe(r.action),
                outcome=outcome_text(r.outcome),
                person=person,
                about=about,
                case_ref=r.case_ref,
            )
        )
    return out


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADERS = (
    "Tijd",
    "Persoon",
    "E-mailadres",
    "Rol",
    "Zaak",
    "Handeling",
    "Uitkomst",
    "Waarover",
    "Bijzonderheden",
    "Code handeling",
    "Code uitkomst",
    "IP-adres",
)


def _cell(text):
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(lines):
    """The rows as CSV for Dutch Excel (semicolons, a byte order mark); no cell a formula."""
    from .dates import local

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for line in lines:
        r = line.row
        writer.writerow(
            [
                _cell(local(r.at).strftime("%Y-%m-%d %H:%M:%S")),
                _cell(line.person),
                _cell(r.user_email),
                _cell(r.role),
                _cell(r.case_ref),
                _cell(line.action),
                _cell(line.outcome),
                _cell(line.about),
                _cell(r.detail),
                _cell(r.action),
                _cell(r.outcome),
                _cell(r.ip),
            ]
        )
    return out.getvalue().encode("utf-8")


def init_app(app):
    app.jinja_env.globals["plugin_title"] = plugin_title
