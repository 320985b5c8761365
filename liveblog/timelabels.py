"""The one place an update's time label is written, in the article's zone and
language.  English follows AP style; Spanish uses the 24-hour clock."""

from __future__ import annotations

import datetime as dt
import zoneinfo

# AP abbreviates these months before a day number; March to July stay whole.
_AP_MONTHS = [
    "Jan.", "Feb.", "March", "April", "May", "June",
    "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
]  # fmt: skip
_ES_MONTHS = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
]  # fmt: skip

_KIND_WORDS = {
    "en": {"update": "Update", "correction": "Correction", "key_event": "Update"},
    "es": {"update": "Actualización", "correction": "Corrección", "key_event": "Actualización"},
}


def clock_time(local: dt.datetime, language: str) -> str:
    """Time of day as a reader expects it: "2:50 p.m.", "2 p.m.", "noon" / "14:50"."""
    if language == "es":
        return f"{local.hour:02d}:{local.minute:02d}"
    if local.minute == 0 and local.hour == 12:
        return "noon"
    if local.minute == 0 and local.hour == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    meridiem = "a.m." if local.hour < 12 else "p.m."
    if local.minute == 0:
        return f"{hour} {meridiem}"
    return f"{hour}:{local.minute:02d} {meridiem}"


def calendar_date(local: dt.date, language: str, *, with_year: bool) -> str:
    """"July 13" (AP) or "13 de julio", with the year when asked for."""
    if language == "es":
        text = f"{local.day} de {_ES_MONTHS[local.month - 1]}"
        return f"{text} de {local.year}" if with_year else text
    text = f"{_AP_MONTHS[local.month - 1]} {local.day}"
    return f"{text}, {local.year}" if with_year else text


def local_time(instant: dt.datetime, time_zone: str) -> dt.datetime:
    return instant.astimezone(zoneinfo.ZoneInfo(time_zone))


def time_label(
    instant: dt.datetime,
    *,
    time_zone: str,
    language: str,
    today: dt.date | None = None,
) -> str:
    """The time part of a label: "2:50 p.m." today, "11:40 p.m., July 13" on an
    earlier day (Spanish: "14:50", "13 de julio, 23:40").

    ``today`` is the reader's current date in the article's zone (defaults to
    now); an update from another day carries its date, and its year when that
    differs too.
    """
    local = local_time(instant, time_zone)
    if today is None:
        today = local_time(dt.datetime.now(dt.UTC), time_zone).date()
    clock = clock_time(local, language)
    if local.date() == today:
        return clock
    date = calendar_date(local.date(), language, with_year=local.year != today.year)
    return f"{date}, {clock}" if language == "es" else f"{clock}, {date}"


def update_label(
    instant: dt.datetime,
    *,
    kind: str,
    time_zone: str,
    language: str,
    today: dt.date | None = None,
) -> str:
    """An update's full label: "Update 2:50 p.m." / "Actualización 14:50"."""
    words = _KIND_WORDS.get(language, _KIND_WORDS["en"])
    when = time_label(instant, time_zone=time_zone, language=language, today=today)
    return f"{words.get(kind, words['update'])} {when}"
