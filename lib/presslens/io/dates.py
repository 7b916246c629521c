"""Publication dates: any value a news export holds (ISO strings, RFC 2822, "05.03.2024",
epoch seconds or milliseconds, 20240501, datetimes) to UTC nanoseconds, kept only when it is
plausible for a news article.

A date outside `EARLIEST_PUBLISHED .. load time + FUTURE_TOLERANCE` is almost always a
placeholder or a misread field (epoch 0, 1900-01-01, 2200-01-01, a numeric id taken for a
timestamp): it is kept as missing and reported, never loaded as a real date.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import re
import warnings
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

EARLIEST_PUBLISHED = pd.Timestamp("1990-01-01", tz="UTC")
FUTURE_TOLERANCE = pd.Timedelta(days=1)  # time zones and scheduled publication

NAT_NS = np.iinfo(np.int64).min
_DOTTED_DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}\b")
_INTEGER = re.compile(r"^[+-]?\d+(?:\.0*)?$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d*)?$")
# Calendar dates written as one number: YYYYMMDD, YYYYMMDDhhmm (GDELT) and YYYYMMDDhhmmss.
_CALENDAR_DIGITS = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}


class Window(NamedTuple):
    """Plausible publication dates, as UTC nanoseconds (inclusive)."""

    first: int
    last: int

    def __contains__(self, nanos: object) -> bool:
        return isinstance(nanos, int) and self.first <= nanos <= self.last

    def describe(self) -> str:
        return f"{pd.Timestamp(self.first, tz='UTC'):%Y-%m-%d} to a day after loading"


def plausible_window(now: pd.Timestamp | None = None) -> Window:
    """EARLIEST_PUBLISHED .. now + FUTURE_TOLERANCE."""
    now = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    if now.tzinfo is None:
        now = now.tz_localize("UTC")
    return Window(EARLIEST_PUBLISHED.value, (now + FUTURE_TOLERANCE).as_unit("ns").value)


class ParsedDate(NamedTuple):
    nanos: int  # UTC ns since the epoch, NAT_NS when missing, unparseable or implausible
    code: str | None  # None (fine or absent), "bad_date" or "implausible_date"
    reason: str | None


MISSING_DATE = ParsedDate(NAT_NS, None, None)


def parse_published(value: Any, window: Window | None = None) -> ParsedDate:
    """A published value to UTC nanoseconds. Naive times are UTC. Absent -> NaT, no problem;
    unparseable -> NaT and "bad_date"; outside `window` (default `plausible_window()`) ->
    NaT and "implausible_date"."""
    if _is_missing(value):
        return MISSING_DATE
    window = plausible_window() if window is None else window
    if isinstance(value, str):
        fast = _iso_nanos(value)  # most values: ISO 8601, read without pandas
        if fast is not None:
            if fast in window:
                return ParsedDate(fast, None, None)
            return _implausible(value, pd.Timestamp(fast, tz="UTC"), window)
    try:
        stamp = _to_timestamp(value, window)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        stamp = None
    if stamp is None or stamp is pd.NaT or pd.isna(stamp):
        return ParsedDate(NAT_NS, "bad_date",
                          f"unparseable date {_shown(value)}; published left empty")
    try:
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        nanos = stamp.as_unit("ns").value
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        nanos = None
    if nanos is None or nanos not in window:
        return _implausible(value, stamp, window)
    return ParsedDate(nanos, None, None)


def _implausible(value: Any, stamp: pd.Timestamp | dt.datetime, window: Window) -> ParsedDate:
    when = f"{stamp.year:04d}-{stamp.month:02d}-{stamp.day:02d}"
    shown = _shown(value)
    source = "" if shown == repr(when) else f" (from {shown})"
    return ParsedDate(
        NAT_NS, "implausible_date",
        f"implausible date {when}{source}, kept as missing (plausible: {window.describe()})",
    )


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NS_MAX = np.iinfo(np.int64).max


def _iso_nanos(value: str) -> int | None:
    """UTC nanoseconds of an ISO 8601 date or time ("2024-03-05", "2024-03-05T10:30:00+02:00",
    "...Z"); None for anything else (left to the general parser), or beyond int64."""
    text = value.strip()
    if not 10 <= len(text) <= 40 or not text[:4].isdigit() or text[4:5] != "-":
        return None
    try:
        parsed = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "Zz" else text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    delta = parsed - _EPOCH
    nanos = (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000
    return nanos if -_NS_MAX <= nanos <= _NS_MAX else None


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else str(value)
    return repr(text[:60])


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _to_timestamp(value: Any, window: Window) -> pd.Timestamp | None:
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _from_number(float(value) if isinstance(value, (float, np.floating)) else int(value),
                            window)
    if isinstance(value, (pd.Timestamp, dt.datetime, np.datetime64)):
        return pd.Timestamp(value)
    if isinstance(value, dt.date):
        return pd.Timestamp(value.isoformat())
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, (list, tuple)) and value:  # ["2024-05-01"]
        return _to_timestamp(value[0], window)
    if isinstance(value, dict):  # MongoDB's {"$date": ...}, {"value": ...}
        for key in ("$date", "date", "value"):
            if key in value and not _is_missing(value[key]):
                return _to_timestamp(value[key], window)
        return None
    if not isinstance(value, str):
        return None
    return _from_string(value.strip(), window)


def _from_number(number: int | float, window: Window) -> pd.Timestamp | None:
    """20240501 as a calendar date; otherwise epoch seconds or milliseconds, whichever lands
    in the plausible window (the seconds reading when neither does, to be reported)."""
    if isinstance(number, float):
        if not math.isfinite(number):
            return None
        if number.is_integer():
            number = int(number)
    if isinstance(number, int) and number > 0:
        calendar = _from_calendar_digits(str(number))
        if calendar is not None:
            return calendar
    readings = []
    for unit in ("s", "ms"):
        try:
            stamp = pd.Timestamp(number, unit=unit, tz="UTC")
            nanos = stamp.as_unit("ns").value
        except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
            continue
        if nanos in window:
            return stamp
        readings.append(stamp)
    if not readings:
        return None
    # Seconds unless the number is too large to be seconds of a real date.
    return readings[0] if abs(number) < 1e11 or len(readings) == 1 else readings[1]


def _from_calendar_digits(digits: str) -> pd.Timestamp | None:
    layout = _CALENDAR_DIGITS.get(len(digits))
    if layout is None or digits[:2] not in ("19", "20"):
        return None
    try:
        return pd.Timestamp(dt.datetime.strptime(digits, layout))
    except ValueError:
        return None


def _from_string(text: str, window: Window) -> pd.Timestamp | None:
    if not text or len(text) > 64:
        return None
    if _NUMBER.match(text):  # "1709634600", "20240501", "1709634600123.0"
        number = float(text)
        return _from_number(int(number) if _INTEGER.match(text) else number, window)
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return pd.Timestamp(dt.datetime.fromisoformat(iso))
    except ValueError:
        pass
    try:  # RFC 2822, as in RSS feeds and e-mail: "Tue, 05 Mar 2024 10:30:00 +0200"
        return pd.Timestamp(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    if not re.search(r"\d", text):  # dateutil would turn "March" or "today" into a date
        return None
    # "05.03.2024" (the dotted form of Ukrainian, Russian, German... outlets) is day-first;
    # dateutil would read it month-first. Slashed dates stay month-first (US usage).
    dayfirst = bool(_DOTTED_DATE.match(text))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            stamp = pd.to_datetime(text, utc=False, dayfirst=dayfirst)
        except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
            return None
    return stamp if isinstance(stamp, pd.Timestamp) else None
