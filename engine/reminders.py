"""When to remind someone who has not answered: once, before the deadline, in working hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

REMINDER_HOUR = time(10, 0)
"""Mid-morning in the person's own time zone: inside working hours everywhere."""
NOTICE = timedelta(hours=24)
"""At least a working day before the deadline, so there is time to answer."""


def reminder_time(deadline: datetime, zone: tzinfo, now: datetime) -> datetime | None:
    """The last weekday 10:00 in `zone` that is at least a day before `deadline`.

    None when that moment has already passed (the deadline is too close for a useful reminder).
    """
    latest = (deadline - NOTICE).astimezone(zone)
    day = (
        latest.date()
        if latest.timetz().replace(tzinfo=None) >= REMINDER_HOUR
        else (latest.date() - timedelta(days=1))
    )
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    moment = datetime.combine(day, REMINDER_HOUR, tzinfo=zone)
    return moment if moment > now else None
