"""Social media's section of the veiligheidsplan (3.1.3): the allowed apps and the rule for
the rest, live from the school's list."""

from portal import api

from .models import AllowedApp

TEXT = (
    "Sociale media zijn programma's en apps waarmee online informatie wordt opgezocht, gedeeld en "
    "gepresenteerd. Ze kunnen het onderwijs verrijken en helpen contact te houden, maar brengen ook "
    "risico's mee, zoals pesten en het ongewild delen van foto's of gegevens. Het bestuur heeft "
    "richtlijnen voor iedereen die bij de school betrokken is; daarnaast heeft de school eigen "
    "afspraken.\n\n"
    "In de klas mogen alleen de apps en sites van de lijst van de school worden opgestart. Voor "
    "alle andere vraagt de leerkracht eerst toestemming aan de directie, in het portaal."
)


def sections(school):
    apps = list(
        AllowedApp.select().where(AllowedApp.school == school.id).order_by(AllowedApp.name, AllowedApp.domain)
    )
    deciders = ", ".join(u.name for u in api.users_with_permission(school, "social_media.decide"))
    lines = [api.get_setting(school, "social_media.school_rules").strip()]
    if apps:
        lines.append("Toegestaan zonder toestemming: " + ", ".join(a.name or a.domain for a in apps) + ".")
    else:
        lines.append("Er staan nog geen apps op de lijst van de school.")
    lines.append(f"Over een aanvraag beslist: {deciders or 'de directie'}.")
    guidelines = api.get_setting(school, "social_media.guidelines_url")
    if guidelines:
        lines.append(f"Richtlijnen social media van het bestuur: {guidelines}")
    table = (
        (
            ("App of site", "Adres", "Toegestaan sinds"),
            *((a.name, a.domain, api.nl_date(a.since)) for a in apps),
        )
        if apps
        else ()
    )
    return [
        api.PlanSection(
            "social_media.plan",
            "3.1.3",
            "Gebruik social media",
            TEXT,
            live="\n".join(line for line in lines if line),
            table=table,
        )
    ]
