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
    due = CaseDeadline.get(
        (CaseDeadline.case == case.id) & (CaseDeadline.name == "testzaak.reactie")
    ).due_date
    # Five school days from Friday 1 January 2027, inside the demo Christmas vacation
    # (until 3 January): 4, 5, 6, 7 and 8 January.
    assert due == datetime.date(2027, 1, 8)


def test_times_are_written_in_dutch_local_time_across_daylight_saving():
    from portal.dates import nl_datetime

    utc = datetime.datetime
    assert nl_datetime(utc(2026, 11, 28, 13, 5)) == "28 november 2026, 14:05"  # winter, +1
    assert nl_datetime(utc(2026, 7, 1, 22, 30)) == "2 juli 2026, 00:30"  # summer, +2
    # Summer time ends at 01:00 UTC on 25 October 2026: 03:00 local becomes 02:00.
    assert nl_datetime(utc(2026, 10, 25, 0, 59)) == "25 oktober 2026, 02:59"
    assert nl_datetime(utc(2026, 10, 25, 1, 0)) == "25 oktober 2026, 02:00"
    # Summer time starts at 01:00 UTC on 29 March 2026: 02:00 local becomes 03:00.
    assert nl_datetime(utc(2026, 3, 29, 1, 0)) == "29 maart 2026, 03:00"
    assert nl_datetime(utc(2026, 12, 31, 23, 30)) == "1 januari 2027, 00:30"
    assert nl_datetime(None) == ""
