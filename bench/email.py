#!/usr/bin/env python3
"""Email benchmark: one digest to 10,000 recipients over SMTP, end to end through `herald trigger`.

Reproduce: swift build -c release && python3 bench/email.py [--recipients 10000] [--concurrency 32]

A temporary home holds a config whose only destination is `smtp://127.0.0.1:PORT` with a
recipients_file of N addresses, and the shipped weekly anniversaries job ("Mutuals Support
Programme: 2 years on", 2 December 2013) over the shipped programme data. The
server is aiosmtpd (Tests/EmailTests/Servers/smtp_server.py in --quiet mode: it accepts and counts,
and checks the first message with Python's email package). `herald trigger` runs the plugin, renders
the digest once, writes N deliveries to the outbox and sends them through the dispatcher on the
shared libcurl multi loop, one SMTP transaction per recipient.

Figures: messages per second over the send phase (first to last message the server accepted) and
over the whole command; peak RSS (VmHWM) of the herald process, sampled from /proc until it exits.
The SMTP server is Python on the same 2 cores, so it shares the CPU with herald.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER = os.path.join(ROOT, "Tests", "EmailTests", "Servers", "smtp_server.py")


def write_home(port, recipients, concurrency, bin_dir):
    d = tempfile.mkdtemp(prefix="herald-email-bench-")
    os.makedirs(os.path.join(d, "etc"))
    os.makedirs(os.path.join(d, "schedules"))
    with open(os.path.join(d, "etc", "recipients.txt"), "w") as f:
        f.write("# benchmark recipients, one per line\n")
        for i in range(recipients):
            f.write(f"person{i}@example.gov.uk\n")
    data = os.path.join(ROOT, "etc", "data")
    with open(os.path.join(d, "etc", "herald.yaml"), "w") as f:
        f.write(f"""timezone: Europe/London
state: {{ sqlite: var/state.sqlite }}
sources:
  organisations:  {{ path: {data}/organisations.yaml }}
  suppliers:      {{ path: {data}/suppliers.yaml }}
  milestones:     {{ path: {data}/milestones.yaml }}
  statistics:     {{ path: {data}/statistics.csv, format: csv, records: statistics }}
destinations:
  stakeholders-email:
    url: "smtp://127.0.0.1:{port}?from=herald@example.gov.uk&name=Herald%20Digest&starttls=none"
    recipients_file: etc/recipients.txt
    concurrency: {concurrency}
plugins: {{ executable: {bin_dir}/herald-plugins, workers: 1 }}
daemon: {{ max_concurrent_sends: {concurrency} }}
""")
    with open(os.path.join(d, "schedules", "weekly-anniversaries.yaml"), "w") as f:
        f.write("plugin: anniversaries\nschedule: \"0 9 * * MON\"\n"
                "options: { window: week, hashtags: [mutuals, PublicServiceMutuals] }\n"
                "destinations: [stakeholders-email]\n")
    return d


def peak_rss_kib(pid, stop, result):
    """Samples VmHWM (the kernel's own high-water mark) of `pid` until it exits."""
    while not stop.is_set():
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        result[0] = max(result[0], int(line.split()[1]))
        except (FileNotFoundError, ProcessLookupError):
            return
        time.sleep(0.02)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"))
    args = parser.parse_args()
    herald = os.path.join(args.bin, "herald")
    if not os.path.exists(herald):
        sys.exit(f"no {herald}: run `swift build -c release` first")

    workdir = tempfile.mkdtemp(prefix="herald-email-bench-smtp-")
    server = subprocess.Popen([sys.executable, SERVER, "plain", workdir, "--quiet"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    port = json.loads(server.stdout.readline())["port"]
    home = write_home(port, args.recipients, args.concurrency, os.path.abspath(args.bin))
    command = [herald, "trigger", "weekly-anniversaries", "--at", "2013-12-02T09:00:00Z", "--wait", "30m",
               "--config", os.path.join(home, "etc", "herald.yaml")]

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=peak_rss_kib, args=(proc.pid, stop, peak), daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate(timeout=1800)
    elapsed = time.time() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)   # herald and its plugin process; the server is still running
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stop.set()
    server.stdin.close()
    summary = json.loads(server.stdout.readlines()[-1])
    server.wait(timeout=30)
    final = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = (final.ru_utime - after.ru_utime) + (final.ru_stime - after.ru_stime)

    accepted = summary["accepted"]
    send_phase = (summary["last"] - summary["first"]) if accepted > 1 else float("nan")
    print(f"herald trigger exit {proc.returncode}; last lines: "
          + " | ".join((stdout.strip().splitlines() or ["(none)"])[-2:]))
    if proc.returncode != 0:
        print(stderr[-2000:], file=sys.stderr)
    print(f"recipients {args.recipients}, concurrency {args.concurrency}, accepted by the server {accepted}, "
          f"message size {summary['bytes'] // max(accepted, 1)} bytes")
    print(f"first message checked by Python's email package: problems {summary['sample_problems']}, "
          f"subject {summary['sample_subject']!r}")
    print(f"send phase (first to last accepted): {send_phase:.2f} s = {accepted / send_phase:.0f} messages/s")
    print(f"whole command (gather, plugin, render, outbox rows, sends): {elapsed:.2f} s = {accepted / elapsed:.0f} messages/s")
    print(f"peak RSS of herald (VmHWM): {peak[0] / 1024:.1f} MiB; CPU of herald and its plugin process: {cpu:.2f} s; "
          f"CPU of the Python SMTP server: {server_cpu:.2f} s")
    print("reproduce: swift build -c release && python3 bench/email.py "
          f"--recipients {args.recipients} --concurrency {args.concurrency}")
    if accepted != args.recipients or proc.returncode != 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
