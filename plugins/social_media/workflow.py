"""The permission request as a case: "social_media.aanvraag".

A teacher asks on the start page the core serves at /aanvragen (a site already
allowed makes no case: the page says so at once); the directie approves or
declines with a reason. An approval for a date or a period needs no later step:
whether it is in force is computed from its dates whenever it is read. A
structural approval puts the site on the school's allowed list, which does not
depend on the case (a closed case is purged after its retention period; the
list must outlive it). The directie can withdraw an approval early.
"""

from portal import api

from . import details
from .choices import groups_text
from .forms import UNCOVERED
from .forms import ApproveForm
from .forms import DeclineForm
from .forms import RequestForm
from .forms import WithdrawForm
from .models import AllowedApp
from .models import AppRequest

TYPE_NAME = "social_media.aanvraag"


# --------------------------------------------------------------- start ----


def _label(form):
    return api.clean(form.name) or form.address.domain


def request_values(form, user, school):
    """The detail columns the form does not fill by name: the domain, the label, the groups."""
    return {
        "school": school.id,
        "requested_by": user.id,
        "name": _label(form)[:120],
        "domain": form.address.domain,
        "groups": ",".join(form.groups.data),
    }


def deciders_mail(case, detail, user):
    """The directie's mail: what is asked and where to decide (no pupil data is asked for)."""
    return (
        f"Nieuwe aanvraag: {detail.label} ({case.reference})",
        f"{user.name} vraagt toestemming om {detail.label} ({detail.domain}) te gebruiken in "
        f"{detail.groups_text}.\n\nBesluit hier: {api.case_url(case)}",
    )


START = api.Start(
    RequestForm,
    "Toestemming vragen voor een app of site",
    "social_media.request",
    path="aanvragen",
    submit="Aanvraag versturen",
    template="social_media/request.html",
    title=lambda form: f"{_label(form)} voor {groups_text(form.groups.data)}",
    prefill=lambda args: {"address": args.get("adres", "")[:500]},
    # A site already on the list needs no permission: no case, a notice instead.
    check=lambda form, school: details.already_allowed(school, form.address.domain),
    context=lambda user, school: {"mine": details.requests_of(school, user), "day": api.today()},
    values=request_values,
    notify="social_media.decide",
    notify_text=deciders_mail,
    # The teacher is told who decides and where the answer comes, back on the page that
    # lists their requests, ready for the next one.
    saved="Uw aanvraag {reference} is naar de directie gestuurd. U ziet het besluit op het "
    "dashboard en krijgt een e-mail.",
    then="start",
)


# -------------------------------------------------------------- guards ----


def not_past(detail):
    if detail.end_date is not None and detail.end_date < api.today():
        return (
            "De gevraagde datum of periode is al voorbij. Wijs de aanvraag af; de "
            "leerkracht kan een nieuwe aanvraag doen."
        )
    return None


def approve_guard(detail, form):
    """Not for a date gone by; and AVG art. 28: an app that processes pupil data without a
    verwerkersovereenkomst (or the Privacyconvenant) is not allowed for good, neither as a
    structural request nor on the allowed list."""
    past = not_past(detail)
    if past:
        return past
    if form.uncovered() and (detail.kind == "structureel" or form.add_to_list.data):
        return {"privacy_agreement": UNCOVERED}
    return None


def record_privacy(row, form):
    """The privacy answers onto a request or an allowed-list entry."""
    row.privacy_agreement = form.privacy_agreement.data
    row.pupil_data = ",".join(form.pupil_data.data)
    row.min_age = form.min_age.data


# --------------------------------------------------------------- apply ----
# The form's remark or reason is on the detail row already (Transition.copy).


def _decide(case, detail, user, decision, lines):
    """Record the directie's decision and mail the teacher who asked: only the site, the
    group and the decision, no pupil data."""
    detail.decision, detail.decided_at, detail.decided_by = decision, api.utcnow(), user.name
    detail.save()
    requester = detail.requested_by
    if requester is None or not requester.email:
        return
    if detail.reason:
        lines += ["", "Toelichting:" if decision == "goedgekeurd" else "Reden:", detail.reason]
    body = "\n".join(
        [
            *lines,
            "",
            f"Bekijk de aanvraag: {api.case_url(case)}",
            "",
            "Dit bericht is automatisch verstuurd door het Veiligheidsportaal.",
        ]
    )
    api.queue_mail(
        requester.email, f"{decision.capitalize()}: {detail.label} ({case.reference})", body, case=case
    )


def approve(case, detail, form, user):
    lines = [
        f"Uw aanvraag {case.reference} is goedgekeurd door {user.name}.",
        f"U mag {detail.label} ({detail.domain}) gebruiken in {detail.groups_text}, {detail.period_text}.",
    ]
    record_privacy(detail, form)
    detail.save()
    text = ""
    if form.add_to_list.data or detail.kind == "structureel":
        text = (
            "Op de lijst met toegestane apps gezet."
            if add_to_allowed_list(case, detail, user)
            else "Stond al op de lijst met toegestane apps."
        )
        lines.append(text)
    _decide(case, detail, user, "goedgekeurd", lines)
    return text


def decline(case, detail, user):
    _decide(
        case,
        detail,
        user,
        "afgewezen",
        [
            f"Uw aanvraag {case.reference} om {detail.label} ({detail.domain}) te gebruiken in "
            f"{detail.groups_text} is afgewezen door {user.name}."
        ],
    )


def withdraw(case, detail, user):
    # An entry this request put on the allowed list goes with it; entries the
    # directie added by hand (or through another request) stay.
    removed = (
        AllowedApp.delete()
        .where((AllowedApp.school == detail.school_id) & (AllowedApp.source_case == case.id))
        .execute()
    )
    _decide(
        case,
        detail,
        user,
        "ingetrokken",
        [
            f"De toestemming {case.reference} voor {detail.label} ({detail.domain}) in "
            f"{detail.groups_text} is ingetrokken door {user.name}."
        ],
    )
    return "Van de lijst met toegestane apps gehaald." if removed else None


def add_to_allowed_list(case, detail, user):
    """Put the requested site on the allowed list; False when it was there already."""
    exists = (
        AllowedApp.select()
        .where((AllowedApp.school == detail.school_id) & (AllowedApp.domain == detail.domain))
        .exists()
    )
    if exists:
        return False
    AllowedApp.create(
        school=detail.school_id,
        name=detail.label[:120],
        domain=detail.domain,
        address=detail.address,
        purpose=detail.purpose[:500],
        since=max(detail.start_date, api.today()),
        approved_by=user.name,
        source_case=case.id,
        privacy_agreement=detail.privacy_agreement,
        pupil_data=detail.pupil_data,
        min_age=detail.min_age,
    )
    return True


# ---------------------------------------------------------- case type ----

CASE_TYPE = api.CaseType(
    name=TYPE_NAME,
    title="Aanvraag social media of app",
    prefix="SM",
    states=(
        api.State("aangevraagd", "Aangevraagd"),
        api.State("goedgekeurd", "Goedgekeurd", closed=True),
        api.State("afgewezen", "Afgewezen", closed=True),
        api.State("ingetrokken", "Ingetrokken", closed=True),
    ),
    initial="aangevraagd",
    transitions=(
        api.Transition(
            "social_media.goedkeuren",
            "Goedkeuren",
            ("aangevraagd",),
            "goedgekeurd",
            form=ApproveForm,
            guard=approve_guard,
            apply=approve,
            copy=(("remark", "reason"),),
        ),
        api.Transition(
            "social_media.afwijzen",
            "Afwijzen",
            ("aangevraagd",),
            "afgewezen",
            form=DeclineForm,
            apply=decline,
            copy=("reason",),
        ),
        api.Transition(
            "social_media.intrekken",
            "Toestemming intrekken",
            ("goedgekeurd",),
            "ingetrokken",
            form=WithdrawForm,
            apply=withdraw,
            copy=("reason",),
        ),
    ),
    view_permission="social_media.view",
    handle_permission="social_media.decide",
    # A period is at most one year (forms.RequestForm), so two years keeps every
    # approval on record for as long as it can be in force, plus a school year.
    retention_days=365 * 2,
    detail=AppRequest,
    search_columns=("purpose", "reason"),
    start=START,
    summary_template="social_media/summary.html",
    summary_context=details.summary_context,
)
