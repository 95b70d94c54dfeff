#!/usr/bin/env python3
"""Writes a 360Giving file of any size with the distributions of a real publisher's file.

Reproduce: python3 bench/gen_360giving.py 1000000 --format json --out /tmp/grants-1000000.json

Standard library only. Each generated grant is a real grant from the model file (default: the Andrew
Lloyd Webber Foundation's 475 grants in ../shared/data/360giving/) chosen uniformly, so programmes,
descriptions, amounts, award dates (and their written form), planned durations, beneficiary locations,
data sources and last-modified stamps keep their joint distribution. What changes per grant:

- the identifier (unique: 360G-ALWF-B<n>);
- the recipient: drawn from a pool that grows with the file (one recipient per 4 grants, like GrantNav's
  ~250k recipients for ~1M grants), weighted by how many grants each real recipient received, so a few
  recipients get many grants and most get one or two; pool entries beyond the real recipients are
  variants of real ones ("<name> 17", id "<id>-17");
- the title, "Grant to <recipient name>", as the model file writes it.

--format json writes a 360Giving JSON package, one grant per line (--indent N pretty-prints like the
model file); --format csv writes the flattened spreadsheet form (Recipient Org:Identifier, ...).
The same --seed and size always give the same file.
"""
import argparse, csv, json, os, random, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "..", "shared", "data", "360giving", "andrew-lloyd-webber-foundation.json")

CSV_COLUMNS = [
    "Identifier", "Title", "Description", "Currency", "Amount Applied For", "Amount Awarded", "Award Date",
    "Planned Dates:Duration (months)", "Recipient Org:Identifier", "Recipient Org:Name",
    "Recipient Org:Organisation Type", "Recipient Org:City", "Recipient Org:Postal Code",
    "Beneficiary Location:Name", "Beneficiary Location:Country Code", "Beneficiary Location:Geographic Code",
    "Funding Org:Identifier", "Funding Org:Name", "Grant Programme:Title", "Last Modified", "Data Source",
]


def recipient_pool(grants, size, rng):
    """(recipient object, weight) pairs: the real recipients, then numbered variants of them."""
    counts = {}
    real = {}
    for g in grants:
        org = g["recipientOrganization"][0]
        counts[org["id"]] = counts.get(org["id"], 0) + 1
        real.setdefault(org["id"], org)
    ids = sorted(real)
    pool = [(real[i], counts[i]) for i in ids]
    k = 0
    while len(pool) < size:
        k += 1
        base_id = ids[k % len(ids)]
        org = dict(real[base_id])
        org["id"] = f"{base_id}-{k}"
        org["name"] = f"{org['name']} {k}"
        # Variants get the weight of a real recipient picked at random, so the shape of
        # "grants per recipient" is the real one at every size.
        pool.append((org, counts[ids[rng.randrange(len(ids))]]))
    return pool


def generate(n, seed, model):
    rng = random.Random(seed)
    grants = json.load(open(model))["grants"]
    pool = recipient_pool(grants, max(len({g["recipientOrganization"][0]["id"] for g in grants}), n // 4), rng)
    orgs = [o for o, _ in pool]
    cumulative = []
    total = 0
    for _, w in pool:
        total += w
        cumulative.append(total)
    import bisect
    for i in range(n):
        template = grants[rng.randrange(len(grants))]
        org = orgs[bisect.bisect_right(cumulative, rng.random() * total)]
        g = dict(template)
        g["id"] = f"360G-ALWF-B{i + 1}"
        g["title"] = f"Grant to {org['name']}"
        g["recipientOrganization"] = [org]
        yield g


def write_json(n, seed, model, out, indent):
    with open(out, "w", encoding="utf-8") as f:
        f.write('{"grants": [\n')
        for i, g in enumerate(generate(n, seed, model)):
            if i:
                f.write(",\n")
            f.write(json.dumps(g, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":")))
        f.write("\n]}\n")


def write_csv(n, seed, model, out):
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(CSV_COLUMNS)
        for g in generate(n, seed, model):
            org = g["recipientOrganization"][0]
            loc = (g.get("beneficiaryLocation") or [{}])[0]
            planned = (g.get("plannedDates") or [{}])[0]
            w.writerow([
                g["id"], g["title"], g.get("description", ""), g["currency"], g.get("amountAppliedFor", ""),
                g["amountAwarded"], g["awardDate"], planned.get("duration", ""), org["id"], org["name"],
                org.get("organisationType", ""), org.get("addressLocality", ""), org.get("postalCode", ""),
                loc.get("name", ""), loc.get("countryCode", ""), loc.get("geoCode", ""),
                g["fundingOrganization"][0]["id"], g["fundingOrganization"][0]["name"],
                (g.get("grantProgramme") or [{}])[0].get("title", ""), g.get("dateModified", ""),
                g.get("dataSource", ""),
            ])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("count", type=int, help="number of grants")
    ap.add_argument("--format", choices=["json", "csv"], default="json")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=360)
    ap.add_argument("--indent", type=int, default=None, help="pretty-print JSON with this indent")
    ap.add_argument("--model", default=MODEL, help="the real 360Giving JSON file to imitate")
    a = ap.parse_args()
    tmp = a.out + ".partial"
    if a.format == "json":
        write_json(a.count, a.seed, a.model, tmp, a.indent)
    else:
        write_csv(a.count, a.seed, a.model, tmp)
    os.replace(tmp, a.out)
    print(f"wrote {a.count} grants to {a.out} ({os.path.getsize(a.out)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
