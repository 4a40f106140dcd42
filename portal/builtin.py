"""The core's own hook implementations (registered as plugin "portal")."""

from .declarations import STAFF_ROLES
from .declarations import NavItem
from .declarations import Panel
from .declarations import Permission
from .declarations import Setting
from .hookspecs import hookimpl

ALL_STAFF = STAFF_ROLES


@hookimpl
def register_permissions():
    return [
        Permission("portal.dashboard", "Het dashboard van de school zien", ALL_STAFF),
        Permission("portal.cases", "De zakenlijst openen (alleen zaken die men mag zien)", ALL_STAFF),
        Permission("portal.calendar", "Schoolkalender en vakanties beheren", ("directie", "beheerder")),
        Permission(
            "portal.legal_hold",
            "Een zaak uitzonderen van verwijdering (bewaarplicht)",
            ("directie", "bestuur", "beheerder"),
        ),
        Permission("portal.reports", "Jaarcijfers bekijken", ("directie", "bestuur")),
        Permission(
            "portal.board_overview",
            "Het bestuursoverzicht zien: per school open zaken, verlopen termijnen en cijfers",
            ("bestuur",),
        ),
        # The yearly report (portal/report/): monitor results, actions, the MR's discussion.
        Permission(
            "portal.report_edit",
            "Jaarverslag bijhouden: monitor, acties, bespreking, PDF maken",
            ("directie",),
        ),
        # The bestuur's version across schools; only for a role held board-wide.
        Permission("portal.board_report", "Het jaarverslag over alle scholen bekijken", ("bestuur",)),
        Permission("portal.plan_view", "Het veiligheidsplan van de school lezen", ALL_STAFF),
        Permission("portal.plan", "Het veiligheidsplan bijwerken en vaststellen", ("directie",)),
        Permission("portal.admin", "Gebruikers, rollen, plugins en instellingen beheren", ("beheerder",)),
        # The school's audit log: who saw or changed what, the logins of its people too
        # (portal/audit_log.py). The directie answers for the school's data (AVG art. 5 lid 2).
        Permission(
            "portal.audit",
            "Het auditlog van de school lezen en downloaden",
            ("directie", "beheerder"),
        ),
        Permission("portal.partner_list", "De externe partners van de school opzoeken", ALL_STAFF),
        # The roles that managed the trauma plugin's list (trauma.partners) before the core had it.
        Permission(
            "portal.partners",
            "De externe partners en het netwerkoverleg van de school bijhouden",
            ("ib", "directie", "beheerder"),
        ),
        Permission(
            "portal.pupils", "De leerlingenlijst inzien en bijhouden", ("ib", "directie", "beheerder")
        ),
        Permission(
            "portal.pupil_chronology",
            "Van elke leerling alle zaken zien (het overzicht per leerling)",
            ("ib", "directie"),
        ),
        # Choosing a pupil in a form shows names and groups of the school's pupils.
        Permission(
            "portal.pupil_pick",
            "Een leerling uit de leerlingenlijst kiezen in een formulier",
            tuple(r for r in ALL_STAFF if r != "bestuur"),
        ),
        # AVG art. 15: the school answers a request to see a pupil's data (portal/pupils/inzage.py).
        Permission("portal.inzage", "Inzageverzoeken (AVG) over leerlingen behandelen", ("directie",)),
        Permission(
            "portal.inzage_include",
            "Een zaak die standaard buiten een inzage blijft (zoals de meldcode) toch meegeven",
            ("directie",),
        ),
        # Counts per school, never a name: the bestuur monitors its schools.
        Permission(
            "portal.pupil_figures",
            "Cijfers over leerlingen met zaken per school (zonder namen)",
            ("directie", "bestuur"),
        ),
    ]


@hookimpl
def register_settings():
    return [
        Setting(
            "portal.contact_phone",
            "Telefoonnummer voor spoed",
            "",
            help="Staat op foutpagina's en formulieren voor ouders.",
        ),
        Setting(
            "portal.klachtencommissie",
            "Klachtencommissie waarbij het bestuur is aangesloten",
            "",
            kind="textarea",
            help="Naam, postadres, telefoon en e-mail; staat in de brieven die de klachtencommissie "
            "noemen. Zonder deze gegevens worden die brieven niet gemaakt.",
        ),
        Setting(
            "portal.pupil_years_after_left",
            "Leerlingenlijst: gegevens van een leerling bewaren tot (jaren) na vertrek",
            2,
            kind="int",
            help="Kennisnet-bewaartermijn: 2 jaar na uitschrijving. Een leerling over wie nog een "
            "zaak of een open inzageverzoek bestaat, blijft staan.",
        ),
        Setting(
            "portal.audit_view_years",
            "Auditlog: regels over inzien bewaren (jaren)",
            5,
            kind="int",
            help="NEN 7513 adviseert een toegangslog minstens zo lang te bewaren als het dossier. "
            "Daarna verwijdert de nachtelijke opschoning (flask purge) alleen regels over inzien; "
            "regels over wijzigingen blijven. Minimaal 1 jaar: de database weigert korter.",
        ),
    ]


@hookimpl
def nav_items(user, school):
    return [
        NavItem("portal.dashboard", "Dashboard", "schools.dashboard", "portal.dashboard", order=0),
        NavItem("portal.cases", "Zaken", "cases.index", "portal.cases", order=10),
        NavItem("portal.pupils", "Leerlingen", "pupils.index", "portal.pupils", order=60),
        NavItem("portal.inzage", "Inzageverzoeken", "inzage.index", "portal.inzage", order=65),
        NavItem(
            "portal.pupil_figures", "Leerlingcijfers", "pupils.figures", "portal.pupil_figures", order=86
        ),
        NavItem("portal.partners", "Externe partners", "partners.index", "portal.partner_list", order=70),
        NavItem("portal.meetings", "Netwerkoverleg", "partners.meetings", "portal.partners", order=75),
        NavItem("portal.calendar", "Schoolkalender", "calendar.index", "portal.calendar", order=80),
        NavItem("portal.reports", "Jaarverslag", "reports.report_index", "portal.reports", order=85),
        NavItem(
            "portal.board_overview",
            "Bestuursoverzicht",
            "board_overview.index",
            "portal.board_overview",
            order=86,
        ),
        NavItem("portal.plan", "Veiligheidsplan", "plan.index", "portal.plan_view", order=87),
        NavItem("portal.admin", "Beheer", "admin.index", "portal.admin", order=90),
        NavItem("portal.audit", "Auditlog", "admin.audit_log", "portal.audit", order=91),
    ]


@hookimpl
def demo_data(school):
    from .partners import add_demo
    from .report import demo as report_demo

    add_demo(school)
    report_demo.add_demo(school)


@hookimpl
def dashboard_panels(user, school):
    from .cases.deadlines import deadline_lines
    from .report.actions import action_deadline_lines

    lines = [*deadline_lines(user, school), *action_deadline_lines(user, school)]
    if not lines:
        lines = (("Geen termijnen deze week of te laat.", "", None),)
    return [
        Panel("portal.deadlines", "Termijnen deze week en te laat", tuple(lines), "portal.cases", order=0)
    ]


@hookimpl
def annual_report(school, year, user):
    from .report.yearly import core_figures

    return core_figures(school, year, user)


@hookimpl
def plan_section(school):
    from .report.plan_core import core_sections

    return core_sections(school)
