"""The core's sections of the veiligheidsplan: the chapters every school has, in the order of
the ASG plan, with default texts in the school's own words (``{school}`` is filled in), and
live what the core owns: the school's people and their roles, the partners, the calendar,
the monitor and the actions, the retention periods.

A plugin's section with the same number replaces the core's (the core's 3.1.3 stands until
the social media plugin gives its own). The defaults name no staff: a school writes its own.
"""

import peewee

from ..dates import nl_date
from ..dates import school_year_bounds
from ..dates import school_year_of
from ..dates import today
from ..declarations import ROLES
from ..declarations import PlanSection
from ..models import MonitorResult
from ..models import Partner
from ..models import SafetyAction
from ..models import User
from ..models import UserRole
from ..models import Vacation
from ..partners import partner_kind_label
from ..registry import get_registry
from ..settings import get_setting
from .choices import STATUSES

# (number, heading, default text). The texts follow the structure of the ASG plan.
DEFAULTS = (
    (
        "1",
        "Inleiding",
        "Iedere school is op grond van de WPO verplicht een veiligheidsplan te hebben waarin staat hoe "
        "zij de sociale en fysieke veiligheid van de leerlingen waarborgt. Dit plan is een samenhangend "
        "geheel van preventieve en curatieve maatregelen, met een paragraaf over scholing.\n\n"
        "Het eerste hoofdstuk beschrijft hoe het bestuur de veiligheid heeft ingericht; het tweede het "
        "veiligheidsbeleid van {school}. Waar het plan naar bijlagen verwijst, staan die op het intranet "
        "van het bestuur of zijn ze op te vragen bij de directie.",
    ),
    ("2", "Veiligheidsbeleid op bestuursniveau", ""),
    (
        "2.1",
        "Visie op schoolveiligheid van het bestuur",
        "Leerlingen moeten zich op school gezien weten, met plezier naar school gaan en zich gewaardeerd "
        "voelen in de groep. Veiligheid betekent voor ons: zoveel mogelijk voorkomen, alert zijn op "
        "signalen, en heldere afspraken over wat we doen als het toch misgaat. Leraren, leerlingen en "
        "ouders maken de veiligheid samen, en we peilen geregeld of we daarin slagen.",
    ),
    (
        "2.2",
        "Organisatie en verantwoordelijkheden op bestuursniveau",
        "Het bestuur heeft het veiligheidsbeleid bestuursbreed georganiseerd; de taken zijn belegd bij "
        "de geledingen van de organisatie.",
    ),
    (
        "2.2.1",
        "Informatiebeveiliging en privacy",
        "Een functionaris gegevensbescherming adviseert over de omgang met persoonsgegevens en "
        "rapporteert aan het college van bestuur. Protocollen en beleidslijnen van het bestuur leggen "
        "de informatiebeveiliging en privacy vast.",
    ),
    (
        "2.2.2",
        "Scholing",
        "De academie van het bestuur biedt medewerkers trainingen aan, onder meer over "
        "grensoverschrijdend gedrag, een veilig leerklimaat en pesten.",
    ),
    (
        "2.2.3",
        "Fysieke veiligheid",
        "Het onderhoud van de gebouwen en de keuring van installaties regelt het bestuur samen met de "
        "gemeente. De school is zelf verantwoordelijk voor de brandveiligheid van het gebouw en krijgt "
        "daarbij ondersteuning.",
    ),
    (
        "2.2.4",
        "Monitoring",
        "De sociale veiligheid staat op de agenda van de structurele overleggen tussen de "
        "clusterdirecteur en de directie; daar komen signalen, incidenten en jaarlijks de monitor aan de "
        "orde. Het bestuur heeft de monitoring van de veiligheidsbeleving belegd bij de directie van de "
        "school. Zo nodig past het bestuur bestuursbrede afspraken en procedures aan.",
    ),
    ("3", "Veiligheidsbeleid op schoolniveau", ""),
    (
        "3.1",
        "Preventieve maatregelen",
        "{school} werkt preventief aan een sociaal veilig schoolklimaat. Onze schoolafspraken zijn "
        "leidend in het dagelijks handelen van alle medewerkers, op school- en op groepsniveau.",
    ),
    (
        "3.1.1",
        "Schoolafspraken en aanbod",
        "Ons aanbod richt zich op veilig gedrag en het voorkomen van onveilig gedrag: tegengaan van "
        "pesten, seksuele en relationele vorming, burgerschap, sociale competenties, mediawijsheid en "
        "voorlichting over hulp bij onveiligheid. Externen zoals de wijkagent of het maatschappelijk "
        "werk kunnen daarbij een rol hebben.",
    ),
    (
        "3.1.2",
        "Anti-pestbeleid",
        "Pesten komt op iedere school voor; wij zien het onder ogen en pakken het serieus aan. Pesten is "
        "een probleem van alle betrokkenen: leerlingen, leerkrachten en ouders. Een goede samenwerking "
        "tussen thuis en school biedt de beste kans op resultaat, en voorbeeldgedrag van volwassenen "
        "is van groot belang.",
    ),
    (
        "3.1.3",
        "Gebruik social media",
        "Sociale media kunnen het onderwijs verrijken, maar brengen ook risico's mee, zoals pesten en "
        "het ongewild delen van foto's. De school heeft afspraken over welke apps en sites in de klas "
        "mogen en vraagt voor andere eerst toestemming aan de directie.",
    ),
    (
        "3.1.4",
        "Fysiek contact tussen leerkrachten en leerlingen",
        "We zijn uiterst terughoudend met fysiek contact. Alleen als een leerling na herhaalde pogingen "
        "niet aanspreekbaar is en een ernstig gevaar vormt voor zichzelf of anderen, kan er bij "
        "uitzondering fysiek worden ingegrepen, niet verder dan nodig. We evalueren elk zo'n moment. "
        "Fysieke maatregelen als straf zijn niet toegestaan.",
    ),
    (
        "3.1.5",
        "Fysiek geweld tussen ouders en personeelsleden",
        "Bij fysiek geweld van een ouder tegen een medewerker de-escaleren we en keren we terug naar het "
        "gesprek. Lukt dat niet, dan kan de ouder (tijdelijk) de toegang tot de school worden ontzegd; "
        "bij grote dreiging schakelen we de politie in.",
    ),
    (
        "3.1.6",
        "Contact tussen leraren en leerlingen buiten schooltijd",
        "Op {school} gaan we respectvol met elkaar om, onder en na schooltijd.",
    ),
    (
        "3.1.7",
        "Vermoeden kindermishandeling: meldcode",
        "Bij een vermoeden van huiselijk geweld of kindermishandeling volgen wij de vijf stappen van de "
        "meldcode, met het afwegingskader, voordat we beslissen over een melding bij Veilig Thuis.",
    ),
    (
        "3.1.8",
        "Verzuim",
        "Ons verzuimprotocol beschrijft de rechten en plichten van school en ouders en wanneer verzuim "
        "geoorloofd is. Ongeoorloofd verzuim melden wij altijd bij de leerplichtambtenaar.",
    ),
    (
        "3.1.9",
        "Fysieke veiligheid",
        "Voor de schoolomgeving en het gebouw hebben we afspraken over het deurbeleid, het vervoer van "
        "leerlingen, het toezicht tijdens pauzes, de verkeersveiligheid en de brandveiligheid.",
    ),
    (
        "3.1.10",
        "Medisch handelen",
        "Leraren vallen niet onder de Wet BIG, maar kunnen onder voorwaarden medische handelingen "
        "verrichten. Het protocol medisch handelen van het bestuur legt de afspraken vast.",
    ),
    (
        "3.2",
        "Afhandelen van incidenten",
        "Ongevallen en andere incidenten worden geregistreerd. Jaarlijks evalueren we aan de hand van "
        "die registratie of er opvallende zaken zijn die om aanpassing van ons beleid vragen. Een "
        "incident handelen we af in nauw overleg met de ouders.",
    ),
    (
        "3.2.1",
        "Verwerking traumatische gebeurtenis",
        "Leerlingen kunnen betrokken raken bij een ingrijpende gebeurtenis, zoals het overlijden van een "
        "naaste. De leerkracht maakt met de intern begeleider een eerste inschatting: kan de school dit "
        "zelf opvangen, of schakelen we met de directie externe hulp in?",
    ),
    (
        "3.2.2",
        "Grensoverschrijdend gedrag: schorsen en verwijderen",
        "Bij een ernstig incident kan de school, na overleg met het bestuur, een leerling schorsen voor "
        "één tot vijf aaneengesloten schooldagen. De ouders horen dit schriftelijk; duurt de schorsing "
        "langer dan een dag, dan informeren we ook de inspectie schriftelijk. In het uiterste geval kan "
        "het bestuur besluiten tot verwijdering, als een andere school de leerling toelaat.",
    ),
    (
        "3.2.3",
        "Klachtenregeling",
        "Een klacht bespreekt u eerst met wie het betreft, vaak de leerkracht. Leidt dat niet tot een "
        "oplossing, dan volgt een gesprek met de directie. Is het probleem dan niet verholpen, dan kunt "
        "u een formele klacht indienen bij het college van bestuur, volgens de klachtenregeling.",
    ),
    (
        "3.3",
        "Continu werken aan de veiligheid op school",
        "Van onze medewerkers verwachten wij een proactieve en alerte houding, zodat we knelpunten vroeg "
        "signaleren en aanpakken. Sociale veiligheid staat geregeld op de agenda; we gebruiken daarvoor "
        "instrumenten en jaarlijks terugkerende activiteiten.",
    ),
    (
        "3.3.1",
        "Verantwoordelijkheden en rollen",
        "Ieder schooljaar weten alle betrokkenen wie de speciale functionarissen voor de veiligheid "
        "zijn. Twee keer per jaar is er een evaluatiemoment waarop alle punten aan de orde komen.",
    ),
    (
        "3.3.2",
        "Specifiek aanbod",
        "Wekelijks staat een les over veiligheid en omgang met elkaar centraal; de leerkrachten zijn "
        "hiervoor geschoold.",
    ),
    (
        "3.3.3",
        "Meting sociaal-emotionele ontwikkeling",
        "Twee keer per jaar meten we de sociaal-emotionele ontwikkeling van de leerlingen. De uitkomsten "
        "zijn onderdeel van de groeps- en leerlingbesprekingen en leiden waar nodig tot interventies.",
    ),
    (
        "3.3.4",
        "Meting veiligheid",
        "We meten jaarlijks de veiligheidsbeleving met een gestandaardiseerd, valide en betrouwbaar "
        "instrument. De uitkomsten gebruiken we om ons beleid te evalueren en acties uit te zetten op "
        "school-, groeps- en leerlingniveau. We leveren ze aan de inspectie en ze staan jaarlijks op de "
        "agenda van de MR.",
    ),
    (
        "3.3.5",
        "Monitoring",
        "De jaarlijkse veiligheidsmeting en de registratie van incidenten zijn input voor de evaluatie "
        "van ons beleid. We formuleren interventies en nemen de doelen op in het jaarplan. We volgen of "
        "we ze uitvoeren en of ze het beoogde effect hebben, en leggen daarover verantwoording af aan de "
        "MR en aan het bestuur (clusterdirecteur).",
    ),
    (
        "3.4",
        "Scholing",
        "Het team wordt geschoold in de aanpak van de school; waar nodig kopen we externe scholing in.",
    ),
    ("3.5", "Organisatie en verantwoordelijkheden op schoolniveau", ""),
    (
        "3.5.1",
        "Taken en verantwoordelijkheden",
        "De directie is eindverantwoordelijk voor de veiligheid op school en coördineert het beleid. De "
        "intern begeleiders voeren gesprekken met leerkrachten en bepalen mee of er opgeschaald moet "
        "worden. Leerkrachten schatten een situatie in en schalen zo nodig op naar IB of directie. "
        "Ondersteunend personeel meldt wat het waarneemt bij de verantwoordelijke leerkracht.",
    ),
    (
        "3.5.2",
        "Bedrijfshulpverlening",
        "De bedrijfshulpverleners melden noodsituaties en alarmeren de hulpdiensten, ontruimen het "
        "gebouw, verlenen hulp bij letsel, bestrijden beginnende brand en coördineren tijdens een "
        "noodsituatie. Minstens één keer per jaar oefenen we de ontruiming met de leerlingen.",
    ),
    (
        "3.5.3",
        "De contactpersoon",
        "De contactpersoon is het aanspreekpunt voor medewerkers, leerlingen en ouders met een melding "
        "of klacht over ongewenst gedrag, zoals agressie, seksuele intimidatie, pesten en discriminatie. "
        "Een klager kan voor advies en ondersteuning ook terecht bij de externe vertrouwenspersoon.",
    ),
    (
        "3.5.4",
        "Externe partners",
        "De school werkt samen met externe partners aan de fysieke en sociale veiligheid. De intern "
        "begeleider onderhoudt de meeste contacten over sociale veiligheid. In het netwerk van scholen "
        "in de wijk en binnen het samenwerkingsverband is veiligheid geregeld onderwerp van gesprek.",
    ),
    (
        "3.6",
        "Bewaartermijnen",
        "Gegevens over leerlingen en dossiers bewaren we niet langer dan nodig. Een dossier onder "
        "bewaarplicht blijft bewaard.",
    ),
)

# The roles the plan names, in its order, with who holds them at the school (3.3.1, 3.5.1).
PLAN_ROLES = ("directie", "ib", "contactpersoon", "aandachtsfunctionaris")


def people_by_role(school):
    """{role: [names]} of the active people with a role at the school itself."""
    rows = (
        UserRole.select(UserRole.role, User.name)
        .join(User)
        .where((UserRole.school == school.id) & (User.active == True))  # noqa: E712
        .order_by(User.name)
        .tuples()
    )
    out = {}
    for role, name in rows:
        out.setdefault(role, []).append(name)
    return out


def _roles_table(school, roles=PLAN_ROLES):
    people = people_by_role(school)
    return (
        ("Rol", "Wie"),
        *((ROLES[r], ", ".join(people.get(r, [])) or "niemand aangewezen") for r in roles),
    )


def _partners(school):
    rows = (
        Partner.select()
        .where((Partner.school == school.id) & Partner.active)
        .order_by(Partner.organisation, Partner.id)
    )
    table = [(p.organisation, partner_kind_label(p.kind), p.contact_person, p.phone) for p in rows]
    return (("Organisatie", "Soort", "Contactpersoon", "Telefoon"), *table) if table else ()


def _calendar(school):
    year = school_year_of(today())
    first, last = school_year_bounds(year)
    vacations = (
        Vacation.select()
        .where((Vacation.school == school.id) & (Vacation.end >= first) & (Vacation.start <= last))
        .order_by(Vacation.start)
    )
    lines = [f"{v.name}: {nl_date(v.start)} tot en met {nl_date(v.end)}" for v in vacations]
    head = (
        f"Termijnen in de protocollen tellen in schooldagen op de schoolkalender van schooljaar "
        f"{year}-{year + 1}: weekenden, feestdagen en deze vakanties tellen niet mee."
    )
    return "\n".join([head, *lines]) if lines else head + " Er zijn nog geen vakanties ingevoerd."


def _monitor(school):
    last = (
        MonitorResult.select()
        .where(MonitorResult.school == school.id)
        .order_by(MonitorResult.measured_on.desc(), MonitorResult.id.desc())
        .first()
    )
    if last is None:
        return "Er is nog geen meting vastgelegd in het portaal."
    text = f"Instrument: {last.instrument}. Laatste meting: {nl_date(last.measured_on)}."
    if last.inspectie_on:
        text += f" Aan de inspectie geleverd op {nl_date(last.inspectie_on)}."
    else:
        text += " Nog niet aan de inspectie geleverd."
    return text


def _actions(school):
    year = school_year_of(today())
    counts = dict(
        SafetyAction.select(SafetyAction.status, peewee.fn.COUNT(SafetyAction.id))
        .where((SafetyAction.school == school.id) & (SafetyAction.school_year == year))
        .group_by(SafetyAction.status)
        .tuples()
    )
    if not counts:
        return f"Voor schooljaar {year}-{year + 1} zijn nog geen acties in het jaarplan vastgelegd."
    parts = [f"{label.lower()}: {counts[key]}" for key, label in STATUSES if counts.get(key)]
    return f"Acties in het jaarplan {year}-{year + 1}: " + ", ".join(parts) + "."


def _retention(school):
    registry = get_registry()
    rows = []
    for name, ct in sorted(registry.case_types.items(), key=lambda item: item[1].title):
        days = ct.retention_days
        period = f"{days} dagen na afsluiten" if isinstance(days, int) else "door de school ingesteld"
        if isinstance(days, int) and days % 365 == 0:
            years = days // 365
            period = f"{years} jaar na afsluiten"
        after = (
            get_setting(school, f"{name}.years_after_left")
            if f"{name}.years_after_left" in registry.settings
            else 0
        )
        rows.append((ct.title, period, f"{after} jaar na vertrek van de leerling" if after else "geen"))
    pupils = get_setting(school, "portal.pupil_years_after_left")
    rows.append(("Leerlingenlijst", f"{pupils} jaar na vertrek", ""))
    return (("Soort", "Bewaard", "En minstens"), *rows)


def core_sections(school):
    """The core's ``PlanSection``s for ``school``."""
    live = {
        "2.2.4": lambda: ("", ()),
        "3.2": lambda: (_calendar(school), ()),
        "3.3.1": lambda: ("De speciale functionarissen van de school:", _roles_table(school)),
        "3.3.4": lambda: (_monitor(school), ()),
        "3.3.5": lambda: (_actions(school), ()),
        "3.5.1": lambda: ("", _roles_table(school, ("directie", "ib", "leerkracht", "ondersteunend"))),
        "3.5.3": lambda: (
            "Contactpersoon van de school: "
            + (", ".join(people_by_role(school).get("contactpersoon", [])) or "nog niet aangewezen")
            + ".",
            (),
        ),
        "3.5.4": lambda: ("", _partners(school)),
        "3.6": lambda: ("", _retention(school)),
    }
    out = []
    for number, heading, text in DEFAULTS:
        live_text, table = live[number]() if number in live else ("", ())
        out.append(
            PlanSection(
                f"portal.plan_{number.replace('.', '_')}",
                number,
                heading,
                text.replace("{school}", school.name),
                live_text,
                table,
            )
        )
    return out
