"""User-report counts ("Downdetector-style"): is this a real spike?

Input is a time series of report counts per window (say every 15 minutes),
parsed from JSON (``[{"t": iso, "count": n}]`` or ``{"series": [...]}``) or CSV
(header ``t,count``). A window *passes* when all three hold:

1. the count is very unlikely under normal conditions: the Poisson upper tail
   P(X >= current | λ) < `alpha` (default 1e-4), where λ is the baseline;
2. it is big in absolute terms: current >= `min_count` (default 20) — ten
   reports at 3 a.m. may be "improbable" but are not a story;
3. it is big relative to normal: current / baseline >= `min_ratio` (default 3).

The baseline of a window is the median count of the same time-of-day slot
over the previous `days` days (default 7): reports follow a daily rhythm, and
the median shrugs off last Tuesday's outage. With no same-slot history, the
median of the preceding 24 hours is used. λ is floored at `LAMBDA_FLOOR` so a
silent baseline of 0 does not make a single report "infinitely unlikely".

It is a spike only when `required` of the last `window_count` windows pass
(default 2 of 3): one odd window is a blip, not an outage.

State kept between assessments (JSON-serialisable)::

    {"schema": 1, "spiking": bool, "since": iso | None, "peak_ratio": float}

`advance_reports` emits a `REPORT_SPIKE` change when a spike starts (detail
``phase: "started"``) and another when it ends (``phase: "ended"``).
Fingerprint: ``reports:<source>:spike:<start window>[:ended]``.
"""

from __future__ import annotations

import csv
import io
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .types import (
    Change,
    ChangeKind,
    ParseError,
    Severity,
    decode_json,
    isoformat_utc,
    parse_timestamp,
)

__all__ = [
    "SpikeAssessment",
    "WindowAssessment",
    "advance_reports",
    "assess_spike",
    "parse_series_csv",
    "parse_series_json",
    "poisson_upper_tail",
]

Series = list[tuple[datetime, int]]

STATE_SCHEMA = 1
LAMBDA_FLOOR = 1.0  # "about one report per window" is the quietest normal we assume
HISTORY_DAYS = 7  # one week covers each weekday once
MAX_SERIES_POINTS = 100_000  # 15-minute windows for ~3 years; more is a bad source


@dataclass(frozen=True)
class WindowAssessment:
    """One window judged against its baseline."""

    at: datetime
    current: int
    baseline: float | None
    ratio: float | None
    p_value: float | None
    passes: bool


@dataclass(frozen=True)
class SpikeAssessment:
    """The verdict on the newest windows of a series.

    `current`, `baseline`, `ratio` describe the newest window; `windows` holds
    the last `window_count` windows, oldest first. `reason` says why it is not
    a spike when that is for lack of data.
    """

    is_spike: bool
    at: datetime | None
    current: int | None
    baseline: float | None
    ratio: float | None
    p_value: float | None
    windows: tuple[WindowAssessment, ...]
    reason: str | None = None


# --- parsing ----------------------------------------------------------------


def parse_series_json(payload: bytes | str | object) -> Series:
    """Parse ``[{"t": iso, "count": n}, ...]`` or ``{"series": [...]}``, sorted by time.

    Times must carry an offset; counts must be non-negative integers; duplicate
    times are refused. Raises `ParseError` naming the bad point.
    """
    data = decode_json(payload, what="report series")
    if isinstance(data, Mapping):
        if "series" not in data:
            raise ParseError("report series: object has no 'series' list")
        data = data["series"]
    if not isinstance(data, list):
        raise ParseError(f"report series: expected a list, got {type(data).__name__}")
    points = []
    for index, item in enumerate(data):
        if not isinstance(item, Mapping) or "t" not in item or "count" not in item:
            raise ParseError(f'report series[{index}]: expected {{"t": …, "count": …}}')
        points.append(_point(item["t"], item["count"], where=f"report series[{index}]"))
    return _finish(points)


def parse_series_csv(payload: bytes | str) -> Series:
    """Parse CSV with a ``t,count`` header (extra columns ignored), sorted by time."""
    if isinstance(payload, bytes | bytearray):
        try:
            text = bytes(payload).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ParseError(
                f"report series CSV: not UTF-8 text ({error.reason})"
            ) from None
    else:
        text = payload
    reader = csv.DictReader(io.StringIO(text))
    fields = [name.strip().lower() for name in reader.fieldnames or []]
    if "t" not in fields or "count" not in fields:
        raise ParseError(
            "report series CSV: header must include 't' and 'count' columns"
        )
    reader.fieldnames = fields
    points = []
    try:
        for row in reader:
            line = reader.line_num
            if row.get("t") is None or row.get("count") is None:
                raise ParseError(f"report series CSV line {line}: missing a value")
            count_text = row["count"].strip()
            if not count_text.isdigit():
                raise ParseError(
                    f"report series CSV line {line}: count {count_text!r} "
                    "is not a whole number"
                )
            points.append(
                _point(row["t"].strip(), int(count_text), where=f"CSV line {line}")
            )
    except csv.Error as error:
        raise ParseError(f"report series CSV: {error}") from None
    return _finish(points)


def _point(time_value: object, count: object, *, where: str) -> tuple[datetime, int]:
    moment = parse_timestamp(time_value, what=f"{where}.t")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ParseError(f"{where}: count must be a whole number >= 0, got {count!r}")
    return moment, count


def _finish(points: list[tuple[datetime, int]]) -> Series:
    if len(points) > MAX_SERIES_POINTS:
        raise ParseError(
            f"report series: {len(points)} points is more than {MAX_SERIES_POINTS}"
        )
    points.sort(key=lambda point: point[0])
    for (earlier, _), (later, _) in zip(points, points[1:], strict=False):
        if earlier == later:
            raise ParseError(
                f"report series: time {isoformat_utc(later)} appears twice"
            )
    return points


# --- statistics -------------------------------------------------------------


def poisson_upper_tail(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam), accurate for tiny tails.

    Computed in log space: above the mean, summing the terms from k upwards
    (each a fraction of the last) keeps precision where 1 - CDF would round to 0.
    """
    if lam <= 0:
        raise ValueError("lam must be positive")
    if k <= 0:
        return 1.0
    if k <= lam:
        # Tail is large here; 1 - P(X <= k-1) loses nothing that matters.
        cdf = sum(
            math.exp(-lam + i * math.log(lam) - math.lgamma(i + 1)) for i in range(k)
        )
        return max(0.0, 1.0 - cdf)
    log_term = -lam + k * math.log(lam) - math.lgamma(k + 1)
    total, term, i = 1.0, 1.0, k
    while term > 1e-17 * total:
        i += 1
        term *= lam / i
        total += term
    return min(1.0, math.exp(log_term) * total)


def assess_spike(
    series: Sequence[tuple[datetime, int]],
    *,
    days: int = HISTORY_DAYS,
    alpha: float = 1e-4,
    min_count: int = 20,
    min_ratio: float = 3.0,
    required: int = 2,
    window_count: int = 3,
    interval: timedelta | None = None,
) -> SpikeAssessment:
    """Judge the newest `window_count` windows of `series` (sorted, oldest first).

    `interval` defaults to the series' most common spacing. See the module
    docstring for the test each window must pass.
    """
    if len(series) < 2:
        return _not_enough(series, "fewer than two data points")
    step = interval or _common_interval(series)
    step_seconds = step.total_seconds()
    by_slot = {_slot(moment, step_seconds): count for moment, count in series}
    recent = list(series[-window_count:])
    windows = []
    for index, (moment, count) in enumerate(recent):
        earlier = series[: len(series) - len(recent) + index]
        baseline = _baseline(moment, earlier, by_slot, step, days)
        windows.append(
            _judge(
                moment,
                count,
                baseline,
                alpha=alpha,
                min_count=min_count,
                min_ratio=min_ratio,
            )
        )
    newest = windows[-1]
    if newest.baseline is None:
        return _not_enough(series, "no history to compare with", windows=tuple(windows))
    passing = sum(window.passes for window in windows)
    return SpikeAssessment(
        is_spike=passing >= required,
        at=newest.at,
        current=newest.current,
        baseline=newest.baseline,
        ratio=newest.ratio,
        p_value=newest.p_value,
        windows=tuple(windows),
    )


def _baseline(
    moment: datetime,
    earlier: Sequence[tuple[datetime, int]],
    by_slot: Mapping[int, int],
    step: timedelta,
    days: int,
) -> float | None:
    step_seconds = step.total_seconds()
    same_slot = [
        by_slot[key]
        for day in range(1, days + 1)
        if (key := _slot(moment - timedelta(days=day), step_seconds)) in by_slot
    ]
    if same_slot:
        return float(statistics.median(same_slot))
    day_before = [
        count for when, count in earlier if moment - when <= timedelta(days=1)
    ]
    if day_before:
        return float(statistics.median(day_before))
    return None


def _judge(
    moment: datetime,
    count: int,
    baseline: float | None,
    *,
    alpha: float,
    min_count: int,
    min_ratio: float,
) -> WindowAssessment:
    if baseline is None:
        return WindowAssessment(moment, count, None, None, None, passes=False)
    lam = max(baseline, LAMBDA_FLOOR)
    ratio = count / lam
    p_value = poisson_upper_tail(count, lam)
    passes = p_value < alpha and count >= min_count and ratio >= min_ratio
    return WindowAssessment(moment, count, baseline, ratio, p_value, passes)


def _slot(moment: datetime, step_seconds: float) -> int:
    # Rounding (not flooring) tolerates feeds stamping 14:15:02 for 14:15.
    return round(moment.timestamp() / step_seconds)


def _common_interval(series: Sequence[tuple[datetime, int]]) -> timedelta:
    gaps = [
        later - earlier
        for (earlier, _), (later, _) in zip(series, series[1:], strict=False)
    ]
    return statistics.mode(gaps)


def _not_enough(
    series: Sequence[tuple[datetime, int]],
    reason: str,
    *,
    windows: tuple[WindowAssessment, ...] = (),
) -> SpikeAssessment:
    at, current = (series[-1][0], series[-1][1]) if series else (None, None)
    return SpikeAssessment(False, at, current, None, None, None, windows, reason=reason)


# --- state ------------------------------------------------------------------


def advance_reports(
    previous: Mapping[str, Any] | None,
    assessment: SpikeAssessment,
    *,
    source_key: str,
    url: str | None = None,
) -> tuple[dict[str, Any], Change | None]:
    """Fold an assessment into the state; a change when a spike starts or ends.

    A spike already under way at the first assessment is reported: a surge of
    reports is news whenever we first notice it. "Not enough data" never ends
    a spike (a source hiccup is not a recovery).
    """
    state: dict[str, Any] = (
        dict(previous)
        if previous
        else {
            "schema": STATE_SCHEMA,
            "spiking": False,
            "since": None,
            "peak_ratio": 0.0,
        }
    )
    if assessment.at is None or (assessment.baseline is None and state["spiking"]):
        return state, None
    detail = {
        "source": "reports",
        "source_key": source_key,
        "at": isoformat_utc(assessment.at),
        "current": assessment.current,
        "baseline": assessment.baseline,
        "ratio": round(assessment.ratio, 2) if assessment.ratio is not None else None,
        "p_value": assessment.p_value,
    }
    group_key = f"reports:{source_key}"
    if assessment.is_spike and not state["spiking"]:
        # The spike began at the first passing window of the streak.
        start = next((w.at for w in assessment.windows if w.passes), assessment.at)
        since = isoformat_utc(start)
        state.update(spiking=True, since=since, peak_ratio=assessment.ratio or 0.0)
        ratio = assessment.ratio or 0.0
        return state, Change(
            kind=ChangeKind.REPORT_SPIKE,
            fingerprint=f"reports:{source_key}:spike:{since}",
            severity=Severity.CRITICAL if ratio >= 10 else Severity.MAJOR,
            occurred_at=assessment.at,
            title=f"User reports {ratio:.0f}× normal",
            detail={**detail, "phase": "started", "since": since},
            url=url,
            group_key=group_key,
        )
    if assessment.is_spike:
        state["peak_ratio"] = max(state["peak_ratio"], assessment.ratio or 0.0)
        return state, None
    if state["spiking"]:
        since = state["since"]
        peak = state["peak_ratio"]
        state.update(spiking=False, since=None, peak_ratio=0.0)
        return state, Change(
            kind=ChangeKind.REPORT_SPIKE,
            fingerprint=f"reports:{source_key}:spike:{since}:ended",
            severity=Severity.MINOR,
            occurred_at=assessment.at,
            title="User reports back to normal",
            detail={
                **detail,
                "phase": "ended",
                "since": since,
                "peak_ratio": round(peak, 2),
            },
            url=url,
            group_key=group_key,
        )
    return state, None
