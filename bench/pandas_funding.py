#!/usr/bin/env python3
"""The funding summary's read and aggregation in pandas, as a data analyst would write it: the baseline
Herald's gather + funding-summary plugin is measured against (bench/gather.py runs both).

Reproduce: python3 bench/pandas_funding.py FILE [--first 2017-11-01 --last 2017-11-30] [--top 5]

FILE is a 360Giving file: the flattened CSV (pandas.read_csv) or a JSON package (json.load +
pandas.json_normalize). For the awards dated in [first, last] and in the month before, it computes what
the plugin's digest shows: count and total per currency, the top recipients (grouped by identifier,
named by their latest award), and count and total per programme. Amounts are read as pandas reads them
(float64), the usual analyst's choice; Herald keeps them exact. Prints the figures and the seconds taken.
"""
import argparse, json, sys, time

try:
    import pandas as pd
except ImportError:
    sys.exit("pandas is not installed: pip install pandas")


def load(path):
    if path.endswith(".csv"):
        df = pd.read_csv(path, usecols=["Identifier", "Amount Awarded", "Currency", "Award Date",
                                        "Recipient Org:Identifier", "Recipient Org:Name", "Grant Programme:Title"],
                         dtype={"Identifier": str, "Currency": str, "Award Date": str, "Recipient Org:Identifier": str,
                                "Recipient Org:Name": str, "Grant Programme:Title": str})
        return df.rename(columns={"Amount Awarded": "amount", "Currency": "currency", "Award Date": "date",
                                  "Recipient Org:Identifier": "rid", "Recipient Org:Name": "rname",
                                  "Grant Programme:Title": "programme"})
    with open(path, encoding="utf-8") as f:
        grants = json.load(f)["grants"]
    return pd.DataFrame({
        "amount": [g["amountAwarded"] for g in grants],
        "currency": [g["currency"] for g in grants],
        "date": [g["awardDate"] for g in grants],
        "rid": [g["recipientOrganization"][0]["id"] for g in grants],
        "rname": [g["recipientOrganization"][0]["name"] for g in grants],
        "programme": [(g.get("grantProgramme") or [{}])[0].get("title") for g in grants],
    })


def figures(df, first, last, top):
    window = df[(df["day"] >= first) & (df["day"] <= last)]
    totals = window.groupby("currency")["amount"].agg(["count", "sum"])
    latest = window.sort_values(["day", "rname"], ascending=[False, True]).drop_duplicates("rid")
    names = latest.set_index("rid")["rname"]
    recipients = window.groupby("rid")["amount"].agg(["sum", "count"]).join(names)
    recipients = recipients.sort_values(["sum", "rname"], ascending=[False, True]).head(top)
    programmes = window.fillna({"programme": "No programme"}).groupby("programme")["amount"].agg(["count", "sum"])
    programmes = programmes.sort_values("count", ascending=False)
    return totals, recipients, programmes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--first", default="2017-11-01")
    ap.add_argument("--last", default="2017-11-30")
    ap.add_argument("--previous-first", default="2017-10-01")
    ap.add_argument("--previous-last", default="2017-10-31")
    ap.add_argument("--top", type=int, default=5)
    a = ap.parse_args()
    t0 = time.perf_counter()
    df = load(a.file)
    df["day"] = df["date"].str.slice(0, 10)
    t1 = time.perf_counter()
    current = figures(df, a.first, a.last, a.top)
    previous = figures(df, a.previous_first, a.previous_last, a.top)
    t2 = time.perf_counter()
    print(f"{len(df)} grants read; {a.first}..{a.last}:")
    print(current[0].to_string())
    print(current[1].to_string())
    print(f"previous period: {previous[0].to_string()}")
    print(f"pandas: read {t1 - t0:.2f} s, aggregate {t2 - t1:.2f} s, total {t2 - t0:.2f} s")


if __name__ == "__main__":
    main()
