"""Update labels as readers read them: AP style in English, 24-hour Spanish, in
the article's zone, right on daylight-saving change days."""

from __future__ import annotations

import datetime as dt

import pytest

from liveblog.timelabels import time_label, update_label

UTC = dt.UTC


def label(
    instant: dt.datetime,
    *,
    zone: str = "Europe/Madrid",
    language: str = "en",
    today: dt.date,
    kind: str = "update",
) -> str:
    return update_label(
        instant, kind=kind, time_zone=zone, language=language, today=today
    )


JULY_14 = dt.date(2025, 7, 14)


@pytest.mark.parametrize(
    ("utc_hour", "utc_minute", "expected"),
    [
        (12, 50, "Update 2:50 p.m."),  # Madrid is UTC+2 in July
        (12, 0, "Update 2 p.m."),  # no ":00" on the hour
        (10, 0, "Update noon"),
        (10, 1, "Update 12:01 p.m."),
        (22, 5, "Update 12:05 a.m."),  # 22:05 UTC on the 13th is 00:05 on the 14th
        (22, 0, "Update midnight"),
        (7, 15, "Update 9:15 a.m."),
        (21, 59, "Update 11:59 p.m."),
    ],
)
def test_english_labels_follow_ap_style_in_the_article_zone(
    utc_hour, utc_minute, expected
):
    day = dt.date(2025, 7, 14) if utc_hour < 22 else dt.date(2025, 7, 13)
    instant = dt.datetime.combine(day, dt.time(utc_hour, utc_minute), tzinfo=UTC)
    assert label(instant, today=JULY_14) == expected


def test_update_from_an_earlier_day_carries_its_date():
    instant = dt.datetime(2025, 7, 13, 21, 40, tzinfo=UTC)  # 11:40 p.m. in Madrid
    assert label(instant, today=JULY_14) == "Update 11:40 p.m., July 13"


def test_spanish_labels_use_the_24_hour_clock_and_spanish_dates():
    assert label(
        dt.datetime(2025, 7, 14, 12, 50, tzinfo=UTC), language="es", today=JULY_14
    ) == ("Actualización 14:50")
    assert label(
        dt.datetime(2025, 7, 13, 21, 40, tzinfo=UTC), language="es", today=JULY_14
    ) == ("Actualización 13 de julio, 23:40")


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (1, "Jan. 5"), (2, "Feb. 5"), (3, "March 5"), (4, "April 5"), (5, "May 5"),
        (6, "June 5"), (7, "July 5"), (8, "Aug. 5"), (9, "Sept. 5"), (10, "Oct. 5"),
        (11, "Nov. 5"), (12, "Dec. 5"),
    ],
)  # fmt: skip
def test_dates_use_ap_month_abbreviations(month, expected):
    instant = dt.datetime(2025, month, 5, 15, 0, tzinfo=UTC)
    text = time_label(
        instant, time_zone="UTC", language="en", today=dt.date(2025, month, 20)
    )
    assert text == f"3 p.m., {expected}"


def test_update_from_an_earlier_year_carries_the_year():
    instant = dt.datetime(2024, 12, 31, 21, 40, tzinfo=UTC)
    assert (
        label(instant, today=dt.date(2025, 1, 2)) == "Update 10:40 p.m., Dec. 31, 2024"
    )
    assert label(instant, language="es", today=dt.date(2025, 1, 2)) == (
        "Actualización 31 de diciembre de 2024, 22:40"
    )


def test_corrections_are_labelled_as_corrections():
    instant = dt.datetime(2025, 7, 14, 12, 50, tzinfo=UTC)
    assert label(instant, kind="correction", today=JULY_14) == "Correction 2:50 p.m."
    assert label(instant, kind="correction", language="es", today=JULY_14) == (
        "Corrección 14:50"
    )


def test_the_local_day_not_the_utc_day_decides_whether_a_date_is_shown():
    # 23:30 UTC on July 13 is already 1:30 a.m. on July 14 in Madrid.
    instant = dt.datetime(2025, 7, 13, 23, 30, tzinfo=UTC)
    assert label(instant, today=JULY_14) == "Update 1:30 a.m."
    # ... and 7:30 p.m. on July 13 in New York, an earlier day there.
    assert label(instant, zone="America/New_York", today=JULY_14) == (
        "Update 7:30 p.m., July 13"
    )


# Daylight-saving change days ------------------------------------------------

US_FALL_BACK = dt.date(2025, 11, 2)  # 2 a.m. EDT becomes 1 a.m. EST
US_SPRING_FORWARD = dt.date(2025, 3, 9)  # 2 a.m. EST becomes 3 a.m. EDT
EU_FALL_BACK = dt.date(2025, 10, 26)  # 3 a.m. CEST becomes 2 a.m. CET
EU_SPRING_FORWARD = dt.date(2025, 3, 30)  # 2 a.m. CET becomes 3 a.m. CEST


def test_new_york_fall_back_day_labels_both_passes_of_the_repeated_hour():
    first = dt.datetime(2025, 11, 2, 5, 30, tzinfo=UTC)  # 1:30 a.m. EDT
    second = dt.datetime(2025, 11, 2, 6, 30, tzinfo=UTC)  # 1:30 a.m. EST, an hour later
    ny = {"zone": "America/New_York", "today": US_FALL_BACK}
    assert label(first, **ny) == "Update 1:30 a.m."
    assert label(second, **ny) == "Update 1:30 a.m."
    # After the change the offset is -5: 12:00 UTC is 7 a.m., not 8 a.m.
    assert label(dt.datetime(2025, 11, 2, 12, 0, tzinfo=UTC), **ny) == "Update 7 a.m."


def test_new_york_fall_back_day_at_0130_utc_is_the_evening_before():
    instant = dt.datetime(2025, 11, 2, 1, 30, tzinfo=UTC)  # 9:30 p.m. EDT, Nov. 1
    assert label(instant, zone="America/New_York", today=US_FALL_BACK) == (
        "Update 9:30 p.m., Nov. 1"
    )


def test_new_york_spring_forward_day_skips_the_missing_hour():
    ny = {"zone": "America/New_York", "today": US_SPRING_FORWARD}
    assert label(dt.datetime(2025, 3, 9, 6, 59, tzinfo=UTC), **ny) == "Update 1:59 a.m."
    assert label(dt.datetime(2025, 3, 9, 7, 0, tzinfo=UTC), **ny) == "Update 3 a.m."
    assert label(dt.datetime(2025, 3, 9, 7, 30, tzinfo=UTC), **ny) == "Update 3:30 a.m."


def test_madrid_fall_back_day_labels_both_passes_of_the_repeated_hour():
    madrid = {"language": "es", "today": EU_FALL_BACK}
    assert label(dt.datetime(2025, 10, 26, 0, 30, tzinfo=UTC), **madrid) == (
        "Actualización 02:30"
    )  # CEST
    assert label(dt.datetime(2025, 10, 26, 1, 30, tzinfo=UTC), **madrid) == (
        "Actualización 02:30"
    )  # CET, an hour later
    assert label(dt.datetime(2025, 10, 26, 13, 0, tzinfo=UTC), **madrid) == (
        "Actualización 14:00"
    )


def test_madrid_spring_forward_day_skips_the_missing_hour():
    madrid = {"today": EU_SPRING_FORWARD}
    assert (
        label(dt.datetime(2025, 3, 30, 0, 59, tzinfo=UTC), **madrid)
        == "Update 1:59 a.m."
    )
    assert (
        label(dt.datetime(2025, 3, 30, 1, 0, tzinfo=UTC), **madrid) == "Update 3 a.m."
    )
    assert label(dt.datetime(2025, 3, 30, 12, 50, tzinfo=UTC), **madrid) == (
        "Update 2:50 p.m."
    )
