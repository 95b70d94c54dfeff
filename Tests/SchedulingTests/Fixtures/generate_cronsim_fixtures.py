#!/usr/bin/env python3
"""Generate cron fixtures from the Python library cronsim, the reference Herald must match.

    pip install cronsim==2.8
    python3 generate_cronsim_fixtures.py --seed 1 --count 3500 --out cronsim_fixtures.json

Each case is an expression, an IANA zone, a start instant ("a", RFC 3339 with the zone's
offset, sometimes with a fraction) and either the next five fires strictly after the start
("f", as RFC 3339 in the zone: the instant cronsim returns, re-expressed in the zone, so a
non-existent wall time cronsim hands back reads as the real instant it stands for) or the
field cronsim rejects ("x": "minute", …, or "*" for a whole-expression error).

"Strictly after": where cronsim yields times not after the start (a fixed-time job started
inside a repeated hour) they are skipped, as Herald's DESIGN.md says. Cases are biased towards
what breaks schedulers: DST transitions (incl. Lord Howe's 30 minutes, Chatham, Santiago,
Tehran's old midnight changes, Dublin's negative DST), month ends, 29 February, L/LW/nL/#n,
the day-of-month/day-of-week OR rule, seconds fields, and texts cronsim rejects.
"""
import argparse
import json
import random
import signal
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import cronsim
from cronsim import CronSim, CronSimError

ZONES = [
    "Australia/Lord_Howe", "Europe/London", "America/New_York", "America/Santiago",
    "Asia/Tehran", "Pacific/Chatham", "UTC", "Europe/Dublin", "Europe/Berlin",
    "America/St_Johns", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Apia", "America/Havana",
    "Africa/Casablanca", "Antarctica/Troll", "Pacific/Kiritimati", "America/Sao_Paulo",
    "Australia/Sydney", "America/Los_Angeles", "Asia/Gaza", "America/Asuncion",
]
HEAVY_ZONES = ["Australia/Lord_Howe", "Europe/London", "America/New_York", "America/Santiago",
               "Asia/Tehran", "Pacific/Chatham", "UTC"]
ALL_ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/", "right/")))
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
DAYS = "SUN MON TUE WED THU FRI SAT".split()
RANGES = {"second": (0, 59), "minute": (0, 59), "hour": (0, 23), "dom": (1, 31), "month": (1, 12), "dow": (0, 7)}


def transitions(zone, first_year, last_year):
    """UTC instants (seconds) where the zone's offset changes."""
    tz = ZoneInfo(zone)
    result = []
    t = int(datetime(first_year, 1, 1, tzinfo=timezone.utc).timestamp())
    end = int(datetime(last_year, 1, 1, tzinfo=timezone.utc).timestamp())
    off = lambda s: datetime.fromtimestamp(s, tz).utcoffset()
    prev = off(t)
    step = 6 * 3600
    while t < end:
        nxt = t + step
        o = off(nxt)
        if o != prev:
            lo, hi = t, nxt
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if off(mid) == prev:
                    lo = mid
                else:
                    hi = mid
            result.append(hi)
            prev = o
        t = nxt
    return result


def maybe_case(rng, text):
    r = rng.random()
    if r < 0.15:
        return text.lower()
    if r < 0.25:
        return text.capitalize()
    return text


def number(rng, field):
    lo, hi = RANGES[field]
    if field == "hour" and rng.random() < 0.5:
        return rng.choice([0, 1, 2, 3, 23, 22, 4])
    if field == "dom" and rng.random() < 0.4:
        return rng.choice([28, 29, 30, 31, 1])
    if field == "minute" and rng.random() < 0.4:
        return rng.choice([0, 30, 15, 45, 59])
    return rng.randint(lo, hi)


def value(rng, field):
    if field == "month" and rng.random() < 0.3:
        return maybe_case(rng, rng.choice(MONTHS))
    if field == "dow" and rng.random() < 0.3:
        return maybe_case(rng, rng.choice(DAYS))
    return str(number(rng, field))


def term(rng, field):
    lo, hi = RANGES[field]
    r = rng.random()
    if r < 0.35:
        return value(rng, field)
    if r < 0.5:
        a, b = sorted(rng.sample(range(lo, hi + 1), 2))
        return f"{a}-{b}"
    if r < 0.62:
        return f"*/{rng.choice([1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 61])}"
    if r < 0.7:
        a, b = sorted(rng.sample(range(lo, hi + 1), 2))
        return f"{a}-{b}/{rng.randint(1, 12)}"
    if r < 0.76:
        return f"{value(rng, field)}/{rng.randint(1, 15)}"
    if field == "dom" and r < 0.88:
        return rng.choice(["L", "LW", "l", "L/3", "LW/2", "lw"])
    if field == "dow" and r < 0.88:
        d = rng.choice([str(rng.randint(0, 7)), maybe_case(rng, rng.choice(DAYS))])
        if rng.random() < 0.5:
            return f"{rng.randint(0, 7)}L"
        return f"{d}#{rng.randint(1, 5)}"
    if field == "month" and r < 0.85:
        a, b = sorted(rng.sample(range(12), 2))
        return f"{maybe_case(rng, MONTHS[a])}-{maybe_case(rng, MONTHS[b])}"
    return value(rng, field)


def field_text(rng, field, star_bias):
    r = rng.random()
    if r < star_bias:
        return "*"
    if r < star_bias + 0.08 and field in ("dom", "dow"):
        return "*/" + str(rng.randint(1, 9))
    n = 1 if rng.random() < 0.65 else rng.randint(2, 4)
    return ",".join(term(rng, field) for _ in range(n))


INVALID = {
    "second": ["60", "*/0", "a", "5-2", "61/2", "L", "1#2"],
    "minute": ["60", "*/0", "-1", "5-", "L", "?", "1,,2", "**", "MON", "3W", "0x10", "1.5"],
    "hour": ["24", "25", "*/0", "23-1", "L", "1#1", "12/"],
    "dom": ["0", "32", "15W", "W", "?", "LW-3", "L-2", "1-32", "31-1", "L#2", "JAN", "5L"],
    "month": ["0", "13", "JANUARY", "DEC-JAN", "L", "1-13", "?", "MON", "JAN#2"],
    "dow": ["8", "MON-SUN", "FRI-MON", "8L", "L", "1#6", "1#0", "MON#", "#2", "?", "SUNDAY",
            "1-5L", "5L/2", "LW", "1/0", "MONL", "1#2/3", "JAN"],
}


def expression(rng):
    six = rng.random() < 0.2
    fields = {
        "second": field_text(rng, "second", 0.3) if six else None,
        "minute": field_text(rng, "minute", 0.15),
        "hour": field_text(rng, "hour", 0.15),
        "dom": field_text(rng, "dom", 0.5),
        "month": field_text(rng, "month", 0.6),
        "dow": field_text(rng, "dow", 0.55),
    }
    if rng.random() < 0.12:
        name = rng.choice([k for k, v in fields.items() if v is not None])
        fields[name] = rng.choice(INVALID[name])
    r = rng.random()
    if r < 0.04:
        # Impossible dates, which cronsim rejects with AND and allows with OR.
        fields["dom"] = rng.choice(["30", "31", "30,31"])
        fields["month"] = rng.choice(["2", "FEB", "4", "2,4", "APR-JUN"])
        fields["dow"] = rng.choice(["*", "1", "*/2"])
    elif r < 0.08:
        fields["dom"], fields["month"] = "29", rng.choice(["2", "FEB", "*"])
    parts = [v for v in fields.values() if v is not None]
    if rng.random() < 0.02:
        parts = parts[: rng.choice([1, 3, 4])] if rng.random() < 0.5 else parts + ["*"] * rng.choice([1, 2])
    sep = " " if rng.random() < 0.9 else rng.choice(["  ", "\t", " \t "])
    return sep.join(parts)


def start_instant(rng, zone, trans):
    r = rng.random()
    if trans and r < 0.55:
        t = rng.choice(trans)
        k = rng.random()
        if k < 0.4:
            return t + rng.randint(-7200, 7200)
        if k < 0.7:
            return t + rng.randint(-3 * 86400, 86400)
        return t + rng.randint(-40 * 86400, 86400)
    if r < 0.75:
        year = rng.choice([2023, 2024, 2027, 2028, 2031, 2032, 2040, 2047, 2096, 2100])
        month = rng.randint(1, 12)
        day = rng.choice([27, 28, 28, 29, 29, 30, 30, 31, 1])
        day = min(day, 28) if month == 2 and rng.random() < 0.5 else day
        try:
            local = datetime(year, month, day, rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
                             tzinfo=ZoneInfo(zone))
        except ValueError:
            local = datetime(year, month, 28, 12, tzinfo=ZoneInfo(zone))
        return int(local.timestamp())
    if r < 0.9:
        return rng.randint(int(datetime(1995, 1, 1).timestamp()), int(datetime(2060, 1, 1).timestamp()))
    return rng.randint(int(datetime(1970, 1, 1).timestamp()), int(datetime(2150, 1, 1).timestamp()))


def fires(expr, zone, start):
    it = CronSim(expr, start)
    out = []
    skipped = 0
    start_utc = start.astimezone(timezone.utc)
    for fire in it:
        # Compare instants: Python compares two datetimes of the same zone by wall time,
        # ignoring fold, which would mix up the two occurrences of a repeated hour.
        if fire.astimezone(timezone.utc) <= start_utc:
            skipped += 1
            if skipped > 100000:
                break
            continue
        out.append(fire.astimezone(timezone.utc).astimezone(ZoneInfo(zone)).isoformat())
        if len(out) == 5:
            break
    return out


def draw_case(rng, trans_by_zone):
    r = rng.random()
    if r < 0.08:
        zone = rng.choice(ALL_ZONES)
    elif r < 0.7:
        zone = rng.choice(HEAVY_ZONES)
    else:
        zone = rng.choice(ZONES)
    if zone not in trans_by_zone:
        trans_by_zone[zone] = transitions(zone, 1995, 2045)
    expr = expression(rng)
    ts = start_instant(rng, zone, trans_by_zone[zone])
    start = datetime.fromtimestamp(ts, ZoneInfo(zone))
    if rng.random() < 0.1:
        # A wall time taken as written (fold 0 or 1), as a caller building the start from
        # local fields would; it may fall in a gap or an overlap.
        start = start.replace(minute=rng.randint(0, 59), fold=rng.randint(0, 1))
    if rng.random() < 0.15:
        start = start.replace(microsecond=rng.randint(1, 999999))
    return {"e": expr, "z": zone, "a": start.isoformat()}, start


def evaluate(item, start):
    try:
        item["f"] = fires(item["e"], item["z"], start)
    except CronSimError as error:
        message = str(error)
        item["x"] = message[4:] if message.startswith("Bad ") else "*"
    return item


def on_alarm(*_):
    raise TimeoutError()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=3500)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    trans_by_zone = {}
    cases = []
    signal.signal(signal.SIGALRM, on_alarm)
    while len(cases) < args.count:
        item, start = draw_case(rng, trans_by_zone)
        signal.alarm(5)
        try:
            cases.append(evaluate(item, start))
        except TimeoutError:
            # cronsim itself can take very long on some texts (stepping one second at a
            # time); such a case can't be a fixture.
            print(f"cronsim timed out, skipped: {item}", file=sys.stderr)
        finally:
            signal.alarm(0)
    document = {"generator": "generate_cronsim_fixtures.py", "cronsim": getattr(cronsim, "__version__", "2.8"),
                "seed": args.seed, "cases": cases}
    with open(args.out, "w") as handle:
        json.dump(document, handle, separators=(",", ":"), ensure_ascii=False)
        handle.write("\n")


if __name__ == "__main__":
    main()
