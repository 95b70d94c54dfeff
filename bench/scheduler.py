#!/usr/bin/env python3
"""Scheduler benchmark: fire lateness, idle CPU, start-up time to ready, idle RSS.

Reproduce: swift build -c release --static-swift-stdlib && python3 bench/scheduler.py [--fires N] [--idle SECONDS]
(`make release` runs that build; --bin measures binaries elsewhere, --smaps adds resident memory per mapping.)

Lateness is measured end to end from the state store: a run's recorded start (taken when the run is
claimed, before the plugin runs) minus its logical time, for a job firing every second.
"""
import argparse, os, re, signal, sqlite3, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release")  # --bin replaces it


def set_bin(path):
    global BIN
    BIN = os.path.abspath(path)


def smaps_by_mapping(pid):
    """Resident KiB per mapped file (anonymous mappings together), largest first."""
    sizes, name = {}, None
    for line in open(f"/proc/{pid}/smaps"):
        parts = line.split()
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            name = parts[5] if len(parts) > 5 else "[anonymous]"
        elif parts[0] == "Rss:":
            sizes[name] = sizes.get(name, 0) + int(parts[1])
    return sorted(sizes.items(), key=lambda kv: -kv[1])


def home(jobs):
    d = tempfile.mkdtemp(prefix="herald-bench-")
    os.makedirs(os.path.join(d, "etc"))
    os.makedirs(os.path.join(d, "schedules"))
    with open(os.path.join(d, "etc", "herald.yaml"), "w") as f:
        f.write("timezone: UTC\nstate: { sqlite: var/state.sqlite }\n"
                "destinations:\n  outbox: { url: \"file://var/outbox\" }\n"
                f"plugins: {{ executable: {BIN}/herald-plugins, workers: 2 }}\n")
    for name, cron in jobs.items():
        with open(os.path.join(d, "schedules", name + ".yaml"), "w") as f:
            f.write(f"plugin: anniversaries\nschedule: \"{cron}\"\ndestinations: [outbox]\ncatch_up: skip\n")
    return d


def start(d):
    t0 = time.perf_counter()
    p = subprocess.Popen([os.path.join(BIN, "herald"), "run", "--config", os.path.join(d, "etc", "herald.yaml")],
                         stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, bufsize=1)
    for line in p.stderr:
        if "ready in" in line:
            return p, (time.perf_counter() - t0) * 1000
    raise SystemExit("daemon did not become ready")


def drain(p):
    import threading
    threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()


def stop(p):
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status_kib(pid, field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def rss_kib(pid):
    return status_kib(pid, "VmRSS")


def pss_kib(pid):
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(x) for x in out]


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fires", type=int, default=120, help="fires to measure (two jobs, every second)")
    ap.add_argument("--idle", type=int, default=60, help="seconds of idle to measure CPU over")
    ap.add_argument("--starts", type=int, default=10)
    ap.add_argument("--bin", default=BIN, help="folder holding herald and herald-plugins (default .build/release)")
    ap.add_argument("--smaps", action="store_true", help="also print the idle daemon's resident memory per mapping")
    args = ap.parse_args()
    set_bin(args.bin)

    # Start-up to ready, and idle RSS, on a daemon whose jobs fire far in the future.
    readies = []
    for _ in range(args.starts):
        d = home({"yearly": "@yearly"})
        p, ms = start(d)
        drain(p)
        readies.append(ms)
        stop(p)
    d = home({"yearly": "@yearly", "monthly": "0 9 1 * *"})
    p, _ = start(d)
    drain(p)
    time.sleep(2)
    rss = rss_kib(p.pid)
    anon = status_kib(p.pid, "RssAnon")
    pss = pss_kib(p.pid)
    child_rss = [rss_kib(c) for c in children(p.pid)]
    mappings = smaps_by_mapping(p.pid) if args.smaps else []
    cpu0 = cpu_seconds(p.pid)
    time.sleep(args.idle)
    cpu1 = cpu_seconds(p.pid)
    stop(p)

    # Fire lateness: two jobs every second.
    d = home({"tick-a": "* * * * * *", "tick-b": "* * * * * *"})
    p, _ = start(d)
    drain(p)
    time.sleep(args.fires / 2 + 1.5)
    stop(p)
    db = sqlite3.connect(os.path.join(d, "var", "state.sqlite"))
    cols = [r[1] for r in db.execute("PRAGMA table_info(run)")]
    start_col = "started_at" if "started_at" in cols else [c for c in cols if c.startswith("started")][0]
    rows = db.execute(f"SELECT {start_col} - logical_time FROM run WHERE state != 'skipped'").fetchall()
    late = [r[0] for r in rows]

    print(f"start-up to ready: median {statistics.median(readies):.1f} ms, max {max(readies):.1f} ms over {len(readies)} starts"
          " (spawn to the 'ready' log line, 2 plugin processes spawned)")
    print(f"idle RSS: daemon VmRSS {rss / 1024:.1f} MiB (anonymous {anon / 1024:.1f} MiB, the rest file-backed: program text"
          " and shared libraries;"
          f" PSS {pss / 1024:.1f} MiB); plugin processes {', '.join(f'{c / 1024:.1f}' for c in child_rss)} MiB")
    print(f"idle CPU over {args.idle} s: {cpu1 - cpu0:.2f} s ({(cpu1 - cpu0) / args.idle * 100:.3f}%)")
    print(f"fire lateness over {len(late)} fires: p50 {pct(late, 50)} ms, p99 {pct(late, 99)} ms, max {max(late)} ms"
          " (recorded run start minus logical time)")
    for name, kib in mappings[:15]:
        print(f"  {kib / 1024:6.1f} MiB  {name}")
    print("reproduce: swift build -c release --static-swift-stdlib && python3 bench/scheduler.py"
          f" --fires {args.fires} --idle {args.idle} --starts {args.starts}")


if __name__ == "__main__":
    main()
