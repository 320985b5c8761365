"""User-report spikes on synthetic series with known answers."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal, getcontext

import pytest

from newsroom.sources.reports import (
    advance_reports,
    assess_spike,
    parse_series_csv,
    parse_series_json,
    poisson_upper_tail,
)
from newsroom.sources.types import ChangeKind, ParseError

STEP = timedelta(minutes=15)
NOW = datetime(2024, 3, 5, 19, 15, tzinfo=UTC)


def normal_count(moment: datetime, level: float = 12.0) -> int:
    """A daily rhythm (busy evenings, quiet nights) with a deterministic wobble."""
    hour = moment.hour + moment.minute / 60
    rhythm = 1 + 0.6 * math.sin((hour - 9) / 24 * 2 * math.pi)
    wobble = (moment.day * 7 + moment.hour * 3 + moment.minute) % 5 - 2
    return max(0, round(level * rhythm + wobble))


def week_of_history(
    last_three: list[int] | None = None, level: float = 12.0, growth: float = 1.0
) -> list[tuple[datetime, int]]:
    """Eight days of 15-minute counts ending at NOW; optionally override the last 3."""
    start = NOW - timedelta(days=8)
    series = []
    moment = start
    while moment <= NOW:
        days_in = (moment - start) / timedelta(days=1)
        series.append((moment, normal_count(moment, level * growth**days_in)))
        moment += STEP
    if last_three is not None:
        for offset, count in zip((3, 2, 1), last_three, strict=True):
            series[-offset] = (series[-offset][0], count)
    return series


def exact_tail(k: int, lam: float) -> float:
    """P(X >= k) with 80-digit decimals: an independent reference."""
    getcontext().prec = 80
    lam_d = Decimal(lam)
    term = (-lam_d).exp()
    cdf = Decimal(0)
    for i in range(k):
        cdf += term
        term = term * lam_d / (i + 1)
    return float(1 - cdf)


@pytest.mark.parametrize(
    ("k", "lam"), [(1, 1.0), (3, 2.0), (20, 5.0), (60, 10.0), (400, 30.0)]
)
def test_poisson_tail_matches_exact_arithmetic_even_when_tiny(
    k: int, lam: float
) -> None:
    assert poisson_upper_tail(k, lam) == pytest.approx(exact_tail(k, lam), rel=1e-9)


def test_poisson_tail_of_zero_is_certain() -> None:
    assert poisson_upper_tail(0, 3.0) == 1.0


def test_a_quiet_day_is_not_a_spike() -> None:
    result = assess_spike(week_of_history())

    assert result.is_spike is False
    assert result.ratio is not None and 0.5 < result.ratio < 1.5


def test_a_single_blip_is_not_a_spike() -> None:
    series = week_of_history()
    series[-2] = (series[-2][0], 200)

    result = assess_spike(series)

    assert [w.passes for w in result.windows] == [False, True, False]
    assert result.is_spike is False


def test_a_real_surge_is_a_spike_with_baseline_current_and_ratio() -> None:
    series = week_of_history()
    usual = normal_count(NOW)
    series[-2] = (series[-2][0], 180)
    series[-1] = (series[-1][0], 420)

    result = assess_spike(series)

    assert result.is_spike is True
    assert result.current == 420
    assert result.at == NOW
    assert result.baseline == pytest.approx(usual, abs=3)
    assert result.ratio == pytest.approx(420 / result.baseline)
    assert result.p_value is not None and result.p_value < 1e-4


def test_a_slow_drift_upwards_is_not_a_spike_even_when_improbable() -> None:
    # 12% more reports every day: by now twice last week's level.
    series = week_of_history(level=100, growth=1.12)

    result = assess_spike(series)

    assert result.is_spike is False
    assert result.ratio is not None and result.ratio < 3
    assert result.p_value is not None and result.p_value < 1e-4  # ratio gate matters


def test_a_tiny_absolute_count_is_not_a_spike_whatever_the_ratio() -> None:
    series = week_of_history(level=0.2)
    series[-2] = (series[-2][0], 15)
    series[-1] = (series[-1][0], 15)

    result = assess_spike(series)

    assert result.windows[-1].p_value is not None and result.windows[-1].p_value < 1e-4
    assert result.is_spike is False  # under min_count (20)


def test_too_little_history_is_no_verdict() -> None:
    result = assess_spike([(NOW, 500)])

    assert result.is_spike is False
    assert result.reason == "fewer than two data points"


def test_a_spike_is_announced_once_and_its_end_once() -> None:
    quiet = assess_spike(week_of_history())
    surge = assess_spike(week_of_history(last_three=[normal_count(NOW), 180, 420]))

    state, start = advance_reports(None, quiet, source_key="dd-chirp")
    assert start is None
    state, start = advance_reports(state, surge, source_key="dd-chirp")
    state, again = advance_reports(state, surge, source_key="dd-chirp")
    state, end = advance_reports(state, quiet, source_key="dd-chirp")

    assert start is not None and start.kind == ChangeKind.REPORT_SPIKE
    assert start.detail["phase"] == "started"
    assert start.detail["current"] == 420
    since = (NOW - STEP).isoformat().replace("+00:00", ".000000Z")
    assert start.fingerprint == f"reports:dd-chirp:spike:{since}"
    assert again is None
    assert end is not None and end.detail["phase"] == "ended"
    assert end.fingerprint == f"reports:dd-chirp:spike:{since}:ended"
    assert state["spiking"] is False


def test_series_json_accepts_a_list_or_a_series_object() -> None:
    points = [
        {"t": "2024-03-05T19:15:00Z", "count": 4},
        {"t": "2024-03-05T19:00:00Z", "count": 3},
    ]

    as_list = parse_series_json(json.dumps(points).encode())
    as_object = parse_series_json(json.dumps({"series": points, "source": "x"}))

    assert as_list == as_object == [(NOW - STEP, 3), (NOW, 4)]


def test_series_csv_is_parsed_and_sorted() -> None:
    text = "t,count\n2024-03-05T19:15:00+00:00,4\n2024-03-05T20:00:00+01:00,3\n"

    assert parse_series_csv(text.encode()) == [(NOW - STEP, 3), (NOW, 4)]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'[{"t": "2024-03-05T19:15:00", "count": 4}]', "has no time zone offset"),
        (
            b'[{"t": "2024-03-05T19:15:00Z", "count": -1}]',
            "count must be a whole number",
        ),
        (
            b'[{"t": "2024-03-05T19:15:00Z", "count": "4"}]',
            "count must be a whole number",
        ),
        (b'[{"time": "2024-03-05T19:15:00Z"}]', "series[0]: expected"),
        (b'{"data": []}', "no 'series' list"),
        (b'[{"t": "2024-03-05T19:15:00Z", "cou', "invalid or truncated JSON"),
        (
            b'[{"t": "2024-03-05T19:15:00Z", "count": 1},'
            b' {"t": "2024-03-05T19:15:00Z", "count": 2}]',
            "appears twice",
        ),
    ],
)
def test_bad_json_series_are_parse_errors(payload: bytes, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_series_json(payload)

    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            b"time,reports\n2024-03-05T19:15:00Z,4\n",
            "header must include 't' and 'count'",
        ),
        (
            b"t,count\n2024-03-05T19:15:00Z,lots\n",
            "line 2: count 'lots' is not a whole",
        ),
        (b"t,count\n2024-03-05T19:15:00Z\n", "line 2: missing a value"),
    ],
)
def test_bad_csv_series_are_parse_errors(payload: bytes, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_series_csv(payload)

    assert message in str(caught.value)
