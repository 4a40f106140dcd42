"""The school calendar page (vacations). The yearly report is in portal/report/."""

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from wtforms import DateField
from wtforms import Form
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import ValidationError

from .access import requires
from .audit import audit
from .dates import school_year_bounds
from .dates import school_year_of
from .dates import today
from .db import atomic
from .forms import no_nul
from .forms import one_line
from .models import Vacation
from .schoolcalendar import public_holidays

bp = Blueprint("calendar", __name__, url_prefix="/<school>/kalender")


class VacationForm(Form):
    name = StringField(
        "Naam",
        validators=[
            DataRequired("Vul een naam in, bijvoorbeeld Kerstvakantie."),
            Length(max=120),
            no_nul,
            one_line,
        ],
    )
    start = DateField("Eerste vrije dag", validators=[DataRequired("Vul een geldige datum in.")])
    end = DateField("Laatste vrije dag", validators=[DataRequired("Vul een geldige datum in.")])

    def validate_end(self, field):
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("De laatste dag ligt vóór de eerste dag.")
        if self.start.data and field.data and (field.data - self.start.data).days > 90:
            raise ValidationError("Een vakantie duurt hoogstens 90 dagen.")


@bp.route("/", methods=["GET", "POST"])
@requires("portal.calendar")
def index():
    form = VacationForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        with atomic():
            Vacation.create(
                school=g.school, name=form.name.data.strip(), start=form.start.data, end=form.end.data
            )
        audit("calendar.vacation.add", detail=f"{form.start.data}..{form.end.data}")
        flash(f"{form.name.data} is toegevoegd.")
        return redirect(url_for("calendar.index"))
    year = school_year_of(today())
    start, end = school_year_bounds(year)
    holidays = sorted(
        (d, n)
        for y in (start.year, end.year)
        for d, n in public_holidays(y).items()
        if start <= d <= end and d.weekday() < 5
    )
    vacations = list(Vacation.select().where(Vacation.school == g.school).order_by(Vacation.start))
    return render_template(
        "schools/calendar.html", form=form, vacations=vacations, holidays=holidays, year=year
    )


@bp.route("/<int:vacation_id>/verwijderen", methods=["POST"])
@requires("portal.calendar")
def delete(vacation_id):
    n = Vacation.delete().where((Vacation.id == vacation_id) & (Vacation.school == g.school.id)).execute()
    if not n:
        abort(404)
    audit("calendar.vacation.delete", detail=str(vacation_id))
    flash("De vakantie is verwijderd.")
    return redirect(url_for("calendar.index"))


def init_app(app):
    app.register_blueprint(bp)
