#!/usr/bin/env python3
"""Independent reference figures for the funding-summary plugin's tests.

Reads a 360Giving JSON package and prints, as JSON, the figures for the awards whose award date
lies within [--first, --last] (inclusive, local calendar days): the number of awards, the total per
currency, the top N recipients per currency, and the breakdown by grant programme.

Standard library only, and written from the rules in plugins/FundingSummary/README.md, not from
the Swift code:
- an award date is its calendar date (a date-time's time part is ignored); a date known only to
  the year or month counts only when its whole span lies in the window;
- recipients are grouped by identifier, else by name, and named as on their latest award (ties on
  date: the alphabetically first name); ranked by total descending, then name, then group key;
- programmes are titled by grantProgramme[0].title (else its code, else "No programme") and ordered
  by number of awards descending, then title;
- amounts are summed exactly (decimal) and printed to the penny.

Usage: funding_figures.py FILE [--first YYYY-MM-DD] [--last YYYY-MM-DD] [--top N] [--currency CODE]
"""
import argparse
import calendar
import datetime
import json
import sys
from decimal import Decimal, ROUND_HALF_UP


def span(text):
    """The first and last calendar day an award date covers."""
    date = text.strip()[:10] if len(text.strip()) > 10 and text.strip()[10] in "T " else text.strip()
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 3:
        d = datetime.date(*parts)
        return d, d
    if len(parts) == 2:
        y, m = parts
        return datetime.date(y, m, 1), datetime.date(y, m, calendar.monthrange(y, m)[1])
    return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)


def pennies(value):
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--first", default="0001-01-01")
    parser.add_argument("--last", default="9999-12-31")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--currency")
    args = parser.parse_args()
    first = datetime.date.fromisoformat(args.first)
    last = datetime.date.fromisoformat(args.last)

    with open(args.file, encoding="utf-8") as f:
        package = json.load(f, parse_float=Decimal, parse_int=Decimal)

    grants = []
    for grant in package["grants"]:
        start, end = span(grant["awardDate"])
        if not (first <= start and end <= last):
            continue
        if args.currency and grant["currency"].upper() != args.currency.upper():
            continue
        grants.append(grant)

    totals = {}
    recipients = {}  # (currency, key) -> {name, date, amount, count}
    programmes = {}  # title -> {count, totals}
    for grant in grants:
        currency = grant["currency"]
        amount = Decimal(grant["amountAwarded"])
        totals[currency] = totals.get(currency, Decimal(0)) + amount

        org = (grant.get("recipientOrganization") or [{}])[0]
        rid = (org.get("id") or "").strip()
        name = org.get("name", "")
        key = "id:" + rid if rid else "name:" + name
        date = span(grant["awardDate"])[0]
        entry = recipients.setdefault((currency, key), {"name": name, "date": date, "amount": Decimal(0), "count": 0})
        entry["amount"] += amount
        entry["count"] += 1
        if date > entry["date"] or (date == entry["date"] and name < entry["name"]):
            entry["name"], entry["date"] = name, date

        programme = (grant.get("grantProgramme") or [None])[0]
        title = "No programme"
        if programme and programme.get("title") is not None:
            title = programme["title"].strip() or programme.get("code") or "No programme"
        group = programmes.setdefault(title, {"count": 0, "totals": {}})
        group["count"] += 1
        group["totals"][currency] = group["totals"].get(currency, Decimal(0)) + amount

    top = {}
    for currency in sorted(totals):
        ranked = sorted(
            ((k, v) for (c, k), v in recipients.items() if c == currency),
            key=lambda kv: (-kv[1]["amount"], kv[1]["name"], kv[0]),
        )
        top[currency] = [
            {"key": k, "name": v["name"], "amount": pennies(v["amount"]), "count": v["count"]}
            for k, v in ranked[: args.top]
        ]

    breakdown = [
        {"title": t, "count": g["count"], "totals": {c: pennies(a) for c, a in sorted(g["totals"].items())}}
        for t, g in sorted(programmes.items(), key=lambda tg: (-tg[1]["count"], tg[0]))
    ]

    json.dump(
        {
            "first": args.first,
            "last": args.last,
            "count": len(grants),
            "totals": {c: pennies(a) for c, a in sorted(totals.items())},
            "top": top,
            "programmes": breakdown,
        },
        sys.stdout,
        indent=1,
        ensure_ascii=False,
    )
    print()


if __name__ == "__main__":
    main()
