"""Dates as Korean news pages and feeds print them, read as KST (the time of day kept when given)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")
_DATE = re.compile(
    r"(?P<y>\d{4})\s?[-./년]\s?(?P<m>\d{1,2})\s?[-./월]\s?(?P<d>\d{1,2})(?:\.|\s?일)?"
    r"(?:(?:T|\s+|\s*[(（][월화수목금토일][)）]\s*)(?:(?P<ampm>오전|오후|AM|PM|am|pm)\s?)?"
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"\s?(?P<tz>Z|[+-]\d{2}:?\d{2}|KST|UTC|GMT)?)?"
)


# Compact stamps of feeds and exports: 20180516, 201805161933, 20180516193320.
_COMPACT = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])"
                      r"(?:[T ]?(?P<H>[01]\d|2[0-3])(?P<M>[0-5]\d)(?P<S>[0-5]\d)?)?\s*$")


def parse_kst(text: str | None) -> datetime | None:
    """`2024-03-07 19:33:20`, `2025.04.09 09:05:03`, `2025-12-18`, `2025년 4월 9일 오후 2:05`,
    `2024.03.07. 오후 7:33`, `2025-04-09T00:05:03Z`, `2025-04-09T09:05:03+09:00`, `20180516` → aware KST datetime: a
    time in another zone is converted, a time without a zone is KST, a date alone is midnight. None when
    absent or not a real date."""
    if not text:
        return None
    match = _DATE.search(text) or _COMPACT.match(text)
    if match is None:
        return None
    groups = match.groupdict()
    hour, ampm = int(groups["H"] or 0), groups.get("ampm")
    if ampm in ("오후", "PM", "pm") and hour < 12:
        hour += 12
    elif ampm in ("오전", "AM", "am") and hour == 12:
        hour = 0
    try:
        stamp = datetime(int(match["y"]), int(match["m"]), int(match["d"]), hour, int(match["M"] or 0),
                         int(match["S"] or 0), tzinfo=_zone(groups.get("tz")))
    except ValueError:
        return None
    return stamp.astimezone(KST)


def _zone(name: str | None) -> timezone | ZoneInfo:
    if name is None or name == "KST":
        return KST
    if name in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if name[0] == "-" else 1
    digits = name[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
