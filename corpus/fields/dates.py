"""Dates as Korean news pages print them, read as KST."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")
_DATE = re.compile(
    r"(?P<y>\d{4})\s?[-./년]\s?(?P<m>\d{1,2})\s?[-./월]\s?(?P<d>\d{1,2})(?:\.|\s?일)?"
    r"(?:\s+(?:(?P<ampm>오전|오후)\s?)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)


def parse_kst(text: str | None) -> datetime | None:
    """`2024-03-07 19:33:20`, `2025.04.09 09:05:03`, `2025-12-18`, `2025년 4월 9일 오후 2:05` → aware KST
    datetime (midnight when only a date is given); None when absent or not a real date."""
    if not text:
        return None
    match = _DATE.search(text)
    if match is None:
        return None
    hour = int(match["H"] or 0)
    if match["ampm"] == "오후" and hour < 12:
        hour += 12
    try:
        return datetime(
            int(match["y"]), int(match["m"]), int(match["d"]), hour, int(match["M"] or 0), int(match["S"] or 0),
            tzinfo=KST,
        )
    except ValueError:
        return None
