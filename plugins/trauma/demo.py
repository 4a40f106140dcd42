"""Fictional external partners for the demo school (no real names or numbers)."""

from .models import TraumaPartner

DEMO_PARTNERS = [
    ("Schoolmaatschappelijk werk Almere Haven (demo)", "smw", "Noor Bakker", "036 000 1101",
     "smw@partners.demo", "Spreekuur op dinsdagochtend op school."),
    ("GGD Flevoland, jeugdgezondheidszorg (demo)", "ggd", "Pieter Smit", "036 000 1102",
     "jgz@partners.demo", "Kan een crisisteam adviseren bij rouw in de groep."),
    ("Wijkagent Haven-Centrum (demo)", "wijkagent", "Agent Lotte Visser", "0900 000 0001",
     "", "Bij geweld of een ongeval met politie-inzet."),
    ("Jeugdopbouwwerk De Meent (demo)", "jeugdopbouwwerker", "Dewi Hendriks", "036 000 1104",
     "jow@partners.demo", "Neemt deel aan het maandelijkse netwerk in Almere Haven."),
    ("Veilig Thuis (demo)", "veilig_thuis", "", "0900 000 0002", "", "Advies en meldingen."),
    ("Slachtofferhulp (demo)", "slachtofferhulp", "Sam de Wit", "0900 000 0003",
     "info@slachtofferhulp.demo", "Ondersteuning na geweld of een ernstig ongeval."),
]


def add_demo(school):
    if TraumaPartner.select().where(TraumaPartner.school == school.id).exists():
        return
    for organisation, kind, person, phone, email, notes in DEMO_PARTNERS:
        TraumaPartner.create(school=school.id, organisation=organisation, kind=kind,
                             contact_person=person, phone=phone, email=email, notes=notes)
