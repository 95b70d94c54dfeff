#!/usr/bin/env python3
"""Gathering benchmark: 360Giving files of N grants through `herald preview` of a funding-summary job,
end to end (config, gather, snapshot hand-over to the herald-plugins child, plugin, rendering), for the
JSON and the flattened-CSV form; then the same read and aggregation in pandas (bench/pandas_funding.py).

Reproduce: swift build -c release && python3 bench/gather.py [--grants 1000000] [--runs 3]

Files come from bench/gen_360giving.py (standard library) and are kept in $TMPDIR/herald-bench-data.
Wall time is the best of --runs; peak RSS is VmHWM of the herald process and of its herald-plugins child,
sampled from /proc until each exits (a high-water mark, so sampling cannot miss the peak).
"""
import argparse, os, resource, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("HERALD_BIN", os.path.join(ROOT, ".build", "release"))
DATA = os.path.join(tempfile.gettempdir(), "herald-bench-data")
AT = "2017-12-01T09:00:00Z"  # reports November 2017, a busy month in the model file


def data_file(n, fmt):
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, f"grants-{n}.{fmt}")
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_360giving.py"), str(n), "--format", fmt,
                        "--out", path], check=True)
    return path


def home(path):
    d = tempfile.mkdtemp(prefix="herald-gather-bench-")
    os.makedirs(os.path.join(d, "etc"))
    os.makedirs(os.path.join(d, "schedules"))
    with open(os.path.join(d, "etc", "herald.yaml"), "w") as f:
        f.write("timezone: Europe/London\nstate: { sqlite: var/state.sqlite }\n"
                f"sources:\n  grants: {{ path: {path}, format: 360giving }}\n"
                "destinations:\n  outbox: { url: \"file://var/outbox\" }\n"
                f"plugins: {{ executable: {BIN}/herald-plugins, workers: 1, timeout: 300s }}\n")
    with open(os.path.join(d, "schedules", "funding.yaml"), "w") as f:
        f.write("plugin: funding-summary\nschedule: \"0 9 1 * *\"\noptions: { period: month, top: 5 }\n"
                "destinations: [outbox]\n")
    return d


def hwm(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def children(pid):
    """Processes whose parent is pid (read from /proc/*/stat: the children file is not always there)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return found


def measure(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks = {}
    while p.poll() is None:
        for pid, name in [(p.pid, "herald")] + [(c, "herald-plugins") for c in children(p.pid)]:
            v = hwm(pid)
            if v is not None:
                peaks[name] = max(peaks.get(name, 0), v)
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    out, err = p.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the command and its children: less disturbed than wall time by other load.
    peaks["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{err}")
    return wall, peaks, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--grants", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-pandas", action="store_true")
    a = ap.parse_args()
    print(f"gathering benchmark: {a.grants} grants, funding-summary (period: month, top: 5) at {AT}; "
          f"{os.cpu_count()} cores")
    rows = []
    for fmt in ["json", "csv"]:
        path = data_file(a.grants, fmt)
        d = home(path)
        config = os.path.join(d, "etc", "herald.yaml")
        best = None
        for _ in range(a.runs):
            # A fresh snapshot folder each run: the hand-over is written, not found from the run before.
            shutil.rmtree(os.path.join(d, "var", "snapshots"), ignore_errors=True)
            r = measure([os.path.join(BIN, "herald"), "preview", "funding", "--at", AT, "--config", config])
            best = r if best is None or r[0] < best[0] else best
        gather_wall, gather_peaks, _ = measure([os.path.join(BIN, "herald"), "gather", "--config", config])
        size = os.path.getsize(path) / 1e6
        snaps = [f for f in os.listdir(os.path.join(d, "var", "snapshots")) if f.endswith(".hsnap")]
        snap = os.path.getsize(os.path.join(d, "var", "snapshots", snaps[0])) / 1e6 if snaps else 0
        rows.append((f"herald preview ({fmt}, {size:.0f} MB; snapshot {snap:.0f} MB)", best[0], best[1]["cpu"],
                     best[1].get("herald"), best[1].get("herald-plugins"),
                     f"{BIN}/herald preview funding --at {AT} --config {config}"))
        rows.append((f"herald gather only ({fmt})", gather_wall, gather_peaks["cpu"], gather_peaks.get("herald"), None,
                     f"{BIN}/herald gather --config {config}"))
        print(best[2].splitlines()[0] if best[2] else "")
    if not a.skip_pandas:
        for fmt in ["csv", "json"]:
            path = data_file(a.grants, fmt)
            cmd = [sys.executable, os.path.join(ROOT, "bench", "pandas_funding.py"), path]
            wall, peaks, out = measure(cmd)
            rows.append((f"pandas ({fmt})", wall, peaks["cpu"], peaks.get("herald"), None, " ".join(cmd)))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores; above ~0.5 the wall times include other work)")
    print(f"{'what':58} {'wall s':>7} {'CPU s':>6} {'RSS MB':>7} {'child MB':>9}")
    for name, wall, cpu, rss, child, _ in rows:
        print(f"{name:58} {wall:7.2f} {cpu:6.2f} {rss or 0:7} {child or 0:9}")
    print("reproduce:")
    for name, _, _, _, _, cmd in rows:
        print(f"  {name}: {cmd}")


if __name__ == "__main__":
    main()
