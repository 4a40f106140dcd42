"""The pupil picker of the forms kit: ``PupilField`` chooses a pupil of the register.

Without JavaScript it is a search-and-choose step: the staff member types part of a name,
a LAS number or a group, presses "Zoek" (or sends the form), and the form comes back, with
everything typed kept, listing the pupils found as choices. With JavaScript
(static/pupil-picker.js) the same search field suggests pupils as one types, from
``/<school>/leerlingen/kiezen``; a choice fills the hidden field with the pupil's id.

After validation ``data`` is the pupil's name (what a plugin's text column keeps for its
letters) and ``pupil`` the Pupil; ``engine.start_case`` links that pupil to the new case
with the field's ``role``. ``PupilNameField`` is the text a parent types: it is kept on the
case as a name "niet gekoppeld" until the contactpersoon links the pupil.
"""

import wtforms
from flask import g
from flask import has_request_context
from flask import url_for
from flask_login import current_user
from markupsafe import Markup
from markupsafe import escape

from ..access import has_permission
from ..forms import bounded_int
from ..forms import one_line
from . import full_name
from . import has_left
from . import in_school
from . import search

PICK = "portal.pupil_pick"
CANDIDATES = 10


class PupilWidget:
    """The search field, then the pupil's id: a hidden field, or the pupils found as radio
    buttons. The label of the form macros points at the search field."""

    def __call__(self, field, **kw):
        fid = kw.pop("id", field.id)
        attrs = {k: v for k, v in kw.items() if k.startswith("aria-")}
        search_url = url_for("pupils.pick", school=g.school.slug) if g.get("school") else ""
        query = field.query if field.query is not None else (field.data or "")
        parts = [
            f'<div class="pupil-picker" data-pupil-picker data-search-url="{escape(search_url)}">',
            f'<input type="search" id="{escape(fid)}" name="{escape(field.name)}-zoek" '
            f'value="{escape(query)}" autocomplete="off" spellcheck="false" '
            f"{wtforms.widgets.html_params(**attrs)}>",
            f'<button type="submit" class="secondary" name="{escape(field.name)}-zoekknop" '
            'value="1" formnovalidate>Zoek</button>',
        ]
        if field.candidates:
            parts.append(
                f'<fieldset class="pupil-choices"><legend>Kies de leerling '
                f"({len(field.candidates)} gevonden)</legend>"
            )
            for n, pupil in enumerate(field.candidates):
                rid = f"{fid}-{n}"
                group = f", groep {escape(pupil.group)}" if pupil.group else ""
                parts.append(
                    f'<div class="choice"><input type="radio" id="{escape(rid)}" '
                    f'name="{escape(field.name)}" value="{pupil.id}"> <label for="{escape(rid)}">'
                    f"{escape(full_name(pupil))}{group} (leerlingnummer "
                    f"{escape(pupil.las_number)})</label></div>"
                )
            parts.append("</fieldset>")
        else:
            value = field.pupil.id if field.pupil is not None else ""
            parts.append(f'<input type="hidden" name="{escape(field.name)}" value="{value}">')
        parts.append("</div>")
        return Markup("".join(parts))  # noqa: S704 - every value above is escaped


class PupilField(wtforms.Field):
    """A pupil of the school's register, chosen by searching (see the module doc).

    ``required``: the message when no pupil is chosen (None: the field may stay empty).
    ``role``: the pupil's role in the case the form starts (``pupils.CASE_ROLES``)."""

    kind = "pupil"
    widget = PupilWidget()

    def __init__(self, label="Leerling", validators=None, *, required=None, role="betrokken", **kw):
        kw.setdefault("description", "Typ een deel van de naam, het leerlingnummer of de groep.")
        super().__init__(label, validators, **kw)
        self.required_message = required
        self.role = role
        self.pupil = None
        self.query = None
        self.candidates = []
        if required:
            self.flags.required = True

    def process(self, formdata, data=wtforms.utils.unset_value, extra_filters=None):
        self.process_errors = []
        self.pupil, self.query, self.candidates, self.chosen = None, None, [], ""
        self.searching = False
        if formdata is not None:
            self.chosen = (formdata.get(self.name) or "").strip()[:20]
            self.query = (formdata.get(f"{self.name}-zoek") or "").strip()[:100]
            self.searching = bool(formdata.get(f"{self.name}-zoekknop"))
            self.data = None
            return
        if data is wtforms.utils.unset_value:
            data = self.default() if callable(self.default) else self.default
        # Filled in beforehand: a Pupil (or its id) from another case, or a typed name to
        # search for.
        if isinstance(data, int) or hasattr(data, "las_number"):
            pupil = data if hasattr(data, "las_number") else _school_pupil(data)
            if pupil is not None:
                self.pupil, self.data = pupil, full_name(pupil)
                return
            data = None
        self.data = data or None

    def pre_validate(self, form):
        if self.data is not None and self.pupil is not None:
            return  # filled in beforehand and not posted
        school = g.get("school")
        if (self.chosen or self.query) and not _may_pick(school):
            # Not even a posted id is looked up: its answer would name a child.
            raise wtforms.validators.StopValidation(
                "U mag geen leerlingen opzoeken. Vraag de directie om deze stap."
            )
        chosen = self._chosen_pupil(school) if self.chosen else None
        # "Zoek" pressed with other words than the chosen pupil's name: search again. (Enter
        # in any field of a form without JavaScript presses the first button, this one: with
        # the search text unchanged that means "send", so the choice stands.)
        search_again = self.searching and self.query and (chosen is None or self.query != full_name(chosen))
        if self.chosen and not search_again:
            if chosen is None:
                raise wtforms.validators.StopValidation("Kies een leerling uit de lijst.")
            if has_left(chosen):
                # A pupil who left gets nothing new in the file (their cases stay).
                raise wtforms.validators.StopValidation(
                    f"{full_name(chosen)} heeft de school verlaten en kan niet aan een nieuwe "
                    "zaak worden gekoppeld."
                )
            self.pupil, self.data = chosen, full_name(chosen)
            self.query = self.data
            return
        if self.query:
            self.candidates = search(school, self.query, limit=CANDIDATES)
            if not self.candidates:
                raise wtforms.validators.StopValidation(
                    f"Geen leerling gevonden bij “{self.query}”. Zoek op voornaam, achternaam, "
                    "leerlingnummer of groep."
                )
            raise wtforms.validators.StopValidation("Kies de leerling uit de lijst onder het zoekveld.")
        if self.required_message:
            raise wtforms.validators.StopValidation(self.required_message)
        self.data = ""

    def _chosen_pupil(self, school):
        """The pupil whose id was posted, if the school's (another school's id: None)."""
        try:
            return in_school(school, bounded_int(self.chosen)) if school else None
        except ValueError:
            return None

    def _value(self):
        return self.data or ""


def _may_pick(school):
    """May whoever sends the form choose the school's pupils (``portal.pupil_pick``)? Code
    outside a request (demo data, an import) may."""
    if not has_request_context():
        return school is not None
    return school is not None and has_permission(current_user, school, PICK)


def _school_pupil(pupil_id):
    school = g.get("school")
    return in_school(school, pupil_id) if school is not None else None


class PupilNameField(wtforms.StringField):
    """The name of a pupil as someone outside the school types it (a parent's form): kept on
    the case as a pupil "niet gekoppeld" (``engine.start_case``), for staff to link."""

    kind = "pupil_name"

    def __init__(self, label="Naam van de leerling", validators=None, *, role="betrokken", **kw):
        kw.setdefault("render_kw", {}).setdefault("maxlength", 200)
        # One line: the name becomes part of the case's title.
        super().__init__(label, [wtforms.validators.Length(max=200), one_line, *(validators or ())], **kw)
        self.role = role
