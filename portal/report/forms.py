"""The forms of the yearly report and the veiligheidsplan."""

import re

from ..forms import DateField
from ..forms import Form
from ..forms import IntegerField
from ..forms import NumberRange
from ..forms import Optional
from ..forms import SelectField
from ..forms import StringField
from ..forms import clean
from ..forms import date_field
from ..forms import line
from ..forms import no_nul
from ..forms import text
from .choices import DEFAULT_INSTRUMENT
from .choices import FINDINGS
from .choices import OWNERS
from .choices import STATUSES
from .names import named_in

NO_NAMES = "Zonder namen van leerlingen of medewerkers: het jaarverslag gaat naar de MR en het bestuur."


def _score(label):
    return StringField(
        label,
        validators=[Optional(), no_nul],
        description="Een getal, bijvoorbeeld 3,4 of 87.",
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


def parse_score(value):
    """A score as people type it (3,4 or 3.4 or 87); None when it is no number."""
    value = (value or "").strip().replace(",", ".")
    if not re.fullmatch(r"\d{1,4}(\.\d{1,3})?", value):
        return None
    return float(value)


# A line of the groups' scores: "Groep 5: 3,4; 3,1" (the group, then each indicator's score).
GROUP_LINE = re.compile(r"^\s*([^:;]{1,40}?)\s*[:;]\s*([0-9.,]+)\s*(?:;\s*([0-9.,]+)\s*)?$")


def parse_group_lines(textvalue):
    """[(group, {indicator: score})] of the groups' scores, or a Dutch message (str)."""
    out = []
    for n, raw in enumerate((textvalue or "").splitlines(), start=1):
        if not raw.strip():
            continue
        m = GROUP_LINE.match(raw)
        scores = [parse_score(m.group(2)), parse_score(m.group(3)) if m and m.group(3) else None] if m else []
        if not m or scores[0] is None or (m.group(3) and scores[1] is None):
            return f"Regel {n} is niet te lezen. Schrijf per groep één regel, zoals: Groep 5: 3,4; 3,1"
        values = {"veiligheid": scores[0]}
        if scores[1] is not None:
            values["welbevinden"] = scores[1]
        out.append((m.group(1).strip(), values))
    if len({g.lower() for g, _ in out}) != len(out):
        return "Een groep staat er twee keer in."
    return out


class MonitorForm(Form):
    instrument = line("Instrument", 120, "Vul het instrument in.", default=DEFAULT_INSTRUMENT)
    measured_on = date_field("Datum van de meting", past=True)
    invited = IntegerField(
        "Aantal leerlingen gevraagd",
        validators=[Optional(), NumberRange(min=0, max=100000, message="Vul een aantal in.")],
    )
    respondents = IntegerField(
        "Aantal leerlingen dat antwoordde",
        validators=[Optional(), NumberRange(min=0, max=100000, message="Vul een aantal in.")],
    )
    school_veiligheid = _score("Veiligheidsbeleving, de hele school")
    school_welbevinden = _score("Welbevinden, de hele school")
    groups = text(
        "Scores per groep",
        4000,
        description="Eén regel per groep: de groep, dan de veiligheidsbeleving en het welbevinden, "
        "zoals: Groep 5: 3,4; 3,1",
    )
    note = text("Toelichting", 4000, description=NO_NAMES)
    inspectie_on = date_field("Gegevens aan de inspectie geleverd op", required=None, past=True)

    def check(self):
        marked = {}
        for name in ("school_veiligheid", "school_welbevinden"):
            if clean(self[name]) and parse_score(self[name].data) is None:
                marked[name] = "Vul een getal in, bijvoorbeeld 3,4."
        groups = parse_group_lines(self.groups.data)
        if isinstance(groups, str):
            marked["groups"] = groups
        if (
            self.invited.data is not None
            and self.respondents.data is not None
            and self.respondents.data > self.invited.data
        ):
            marked["respondents"] = "Er antwoordden meer leerlingen dan er gevraagd waren."
        return marked or None

    def school_scores(self):
        return {
            key: parse_score(self[f"school_{key}"].data)
            for key in ("veiligheid", "welbevinden")
            if parse_score(self[f"school_{key}"].data) is not None
        }


class ActionForm(Form):
    goal = text("Doel en actie", 2000, "Beschrijf het doel en de actie.", description=NO_NAMES)
    owner = SelectField("Wie voert het uit", choices=OWNERS, required="Kies wie de actie uitvoert.")
    due_on = date_field("Klaar op")
    status = SelectField("Stand", choices=STATUSES, default="gepland")
    finding_kind = SelectField(
        "Waar komt de actie uit voort", choices=FINDINGS, required="Kies waar de actie uit voortkomt."
    )
    finding = text(
        "De bevinding",
        2000,
        description="Bijvoorbeeld: veiligheidsbeleving groep 7 gedaald naar 3,1. " + NO_NAMES,
    )
    result = text("Resultaat en effect", 2000, description=NO_NAMES)
    done_on = date_field("Afgerond op", required=None, past=True)

    def check(self):
        if self.status.data == "afgerond" and not self.done_on.data:
            return {"done_on": "Vul in wanneer de actie is afgerond."}
        return None


class ReviewForm(Form):
    mr_on = DateField("Besproken in de MR op", validators=[Optional()])
    cluster_on = DateField("Besproken met de clusterdirecteur op", validators=[Optional()])


class PlanTextForm(Form):
    text = text("Vaste tekst", 20000, "Vul de tekst van dit onderdeel in.")


class PlanVersionForm(Form):
    adopted_on = DateField("Vastgesteld door de directie op", validators=[Optional()])
    mr_consent_on = DateField("Instemming MR op", validators=[Optional()])

    def check(self):
        if self.mr_consent_on.data and not self.adopted_on.data:
            return {"adopted_on": "Vul ook in wanneer de directie het plan vaststelde."}
        if self.mr_consent_on.data and self.mr_consent_on.data < self.adopted_on.data:
            return {"mr_consent_on": "De MR stemt in na de vaststelling door de directie."}
        return None


def names_check(school, form, *fields):
    """{field: message} for text fields that name a pupil or staff member of the school."""
    marked = {}
    for name in fields:
        found = named_in(school, clean(form[name]))
        if found:
            marked[name] = f"Deze tekst noemt een naam ({found}). " + NO_NAMES
    return marked
