"""References and deadlines follow the Dutch date, not the UTC date."""

import datetime

from portal.cases import engine
from portal.models import CaseDeadline
from portal.models import School
from portal.models import User


def test_new_years_night_gets_the_new_year_and_local_deadline(ctx, monkeypatch):
    # 23:30 UTC on 31 December is 00:30 on 1 January in the Netherlands.
    monkeypatch.setattr(engine, "utcnow", lambda: datetime.datetime(2026, 12, 31, 23, 30))
    school = School.get(School.slug == "klaverweide")
    user = User.get(User.email == "directie@klaverweide.demo")
    case = engine.create_case(school, "testzaak.zaak", "Nieuwjaarsnacht", user)
    assert case.reference.startswith("TZ-2027-")
    due = CaseDeadline.get((CaseDeadline.case == case.id)
                           & (CaseDeadline.name == "testzaak.reactie")).due_date
    # Five school days from Friday 1 January 2027, inside the demo Christmas vacation
    # (until 3 January): 4, 5, 6, 7 and 8 January.
    assert due == datetime.date(2027, 1, 8)
