"""The three letters of the complaint route (PDF on the school's letterhead)."""

from portal.declarations import DocumentTemplate
from portal.settings import get_setting

from .choices import TYPE_NAME
from .summary import context as summary_context


def letter_context(case):
    ctx = summary_context(case)
    ctx.pop("staff", None)
    ctx["vertrouwenspersoon"] = get_setting(case.school, "klachten.vertrouwenspersoon")
    ctx["handler_name"] = case.assignee.name if case.assignee_id else "De contactpersoon"
    return ctx


OPEN = ("ontvangen", "in_behandeling", "bemiddeling", "doorverwezen")

DOCUMENTS = [
    DocumentTemplate("klachten.ontvangstbevestiging", "Ontvangstbevestiging", TYPE_NAME,
                     "klachten/letters/ontvangstbevestiging.html", letter_context,
                     "klachten.handle", states=OPEN, filename="ontvangstbevestiging"),
    DocumentTemplate("klachten.doorverwijzing", "Doorverwijzing naar het College van Bestuur",
                     TYPE_NAME, "klachten/letters/doorverwijzing.html", letter_context,
                     "klachten.handle", states=("doorverwezen",), filename="doorverwijzing-cvb"),
    DocumentTemplate("klachten.afsluitbrief", "Afsluitbrief", TYPE_NAME,
                     "klachten/letters/afsluitbrief.html", letter_context, "klachten.handle",
                     states=("afgerond",), filename="afsluitbrief"),
]
