"""The suspension period on the school calendar, and the week a pupil may be suspended.

The days are the school calendar's (``SchoolCalendar.school_days_from``: weekends, public
holidays such as Koningsdag and Tweede Pinksterdag, and the school's vacations skipped), so
the confirmation on the form, the stored decision, the rule across suspensions, the letters
and the figures all agree on the same days.
"""

from portal import api

from .forms import MAX_DAYS
from .models import Suspension


def describe(days):
    """Dutch text of a period: "donderdag 2 april 2026 tot en met woensdag 8 april 2026"."""
    return span(days[0], days[-1], len(days))


def span(first, last, days):
    count = "1 schooldag" if days == 1 else f"{days} schooldagen"
    if first == last:
        return f"{api.nl_date(first, weekday=True)} ({count})"
    return f"{api.nl_date(first, weekday=True)} tot en met {api.nl_date(last, weekday=True)} ({count})"


def token(days):
    """What the confirmation box carries: the period that was shown."""
    return f"{days[0].isoformat()}/{days[-1].isoformat()}/{len(days)}"


def suspended_pupils(case):
    """The pupils of the register this incident is about: linked as "veroorzaker"."""
    return [row for row in api.case_pupils(case) if row.pupil_id and row.role == "veroorzaker"]


def over_the_week(cal, case, days):
    """WPO art. 40c: a suspension lasts at most one week, five school days. Why suspending a
    pupil of ``case`` on ``days`` breaks that, or None: another suspension of the same pupil
    (of any case that links the pupil as "veroorzaker") may not overlap it, and suspensions
    that follow each other without a school day in between count together (``cal``: the
    school's calendar)."""
    for pupil in suspended_pupils(case):
        earlier = list(
            Suspension.select(Suspension, api.Case.reference)
            .join(api.Case)
            .switch(Suspension)
            .join(api.CasePupil, on=(api.CasePupil.case == Suspension.case))
            .where(
                (api.CasePupil.pupil == pupil.pupil_id)
                & (api.CasePupil.role == "veroorzaker")
                & (Suspension.case != case.id)
            )
            .order_by(Suspension.first_day)
        )
        for s in earlier:
            if s.first_day <= days[-1] and days[0] <= s.last_day:
                return (
                    f"{pupil.display} is al geschorst op {span(s.first_day, s.last_day, s.days)}, "
                    f"in {s.case.reference}. Twee schorsingen van een leerling mogen elkaar niet overlappen."
                )
        joined = cal.joined(earlier, days[0], days[-1])  # none overlaps: the run's days add up
        total = len(days) + sum(s.days for s in joined)
        if total > MAX_DAYS:
            named = "; ".join(
                f"{s.case.reference}, {span(s.first_day, s.last_day, s.days)}"
                for s in sorted(joined, key=lambda s: s.first_day)
            )
            return (
                f"Een schorsing duurt ten hoogste een week: {MAX_DAYS} schooldagen (WPO art. 40c). "
                f"Deze schorsing sluit zonder schooldag ertussen aan op de schorsing van "
                f"{pupil.display} ({named}): samen {total} schooldagen."
            )
    return None
