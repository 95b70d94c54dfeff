#!/usr/bin/env python3
"""Durable delivery throughput: 10,000 signed webhook deliveries through Herald's outbox and dispatcher,
beside the same requests driven straight through CurlKit (the ceiling), against one local receiver.

    python3 bench/delivery.py [--deliveries 10000] [--concurrency 64]

Needs the release build (`swift build -c release`) and nginx (Debian's `nginx-light` or `nginx`). The
receiver is nginx answering 204 with keep-alive, so both sides measure Herald, not the receiver (the
signature checks are the tests' job, with the reference Standard Webhooks library).

Herald's side: `herald trigger --wait 0s` renders and queues the deliveries (one per subscriber of one
signed webhook destination), then `herald trigger` again sends what is queued; the second command is
timed whole (start-up, recovery, every claim, send and settle, shutdown) and its peak RSS read.
"""
import argparse, os, shutil, socket, sqlite3, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.path.join(ROOT, ".build", "release")
SECRET = "whsec_aGVyYWxkLXRlc3Qtc2lnbmluZy1rZXktMzItYnl0ZXM="


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(workdir, port):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        sys.exit("nginx is needed: apt-get install -y nginx-light")
    conf = os.path.join(workdir, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""
worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {workdir}/body;
  keepalive_requests 1000000;
  server {{ listen 127.0.0.1:{port}; location / {{ return 204; }} }}
}}
""")
    process = subprocess.Popen([nginx, "-c", conf, "-p", workdir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process
        except OSError:
            time.sleep(0.05)
    sys.exit("nginx did not start")


def timed(command, cwd):
    """Runs `command`; returns (exit status, output, seconds, peak RSS in KiB of that process alone)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, output, elapsed, usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=10000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    herald = os.path.join(RELEASE, "herald")
    if not os.path.exists(herald):
        sys.exit("build first: swift build -c release")
    work = tempfile.mkdtemp(prefix="herald-delivery-bench-")
    port = free_port()
    nginx = start_nginx(work, port)
    try:
        home = os.path.join(work, "home")
        os.makedirs(os.path.join(home, "etc"))
        os.makedirs(os.path.join(home, "schedules"))
        urls = [f"http://127.0.0.1:{port}/hooks/{i}" for i in range(args.deliveries)]
        with open(os.path.join(home, "etc", "subscribers.txt"), "w") as f:
            f.write("\n".join(urls[1:]) + "\n")
        with open(os.path.join(work, "urls.txt"), "w") as f:
            f.write("\n".join(urls) + "\n")
        # No sources and the test plugin host's `healthy` plugin: this measures delivery, not gathering.
        with open(os.path.join(home, "etc", "herald.yaml"), "w") as f:
            f.write(f"""timezone: UTC
destinations:
  hooks: {{ url: "json://127.0.0.1:{port}/hooks/0", secret: "{SECRET}", recipients_file: etc/subscribers.txt, concurrency: {args.concurrency}, max_age: 1h }}
plugins: {{ executable: {os.path.join(RELEASE, "herald-test-plugins")}, workers: 1 }}
daemon: {{ max_concurrent_sends: {args.concurrency} }}
""")
        with open(os.path.join(home, "schedules", "bench.yaml"), "w") as f:
            f.write('plugin: healthy\nschedule: "0 9 * * MON"\noptions: {{ echo: bench }}\ndestinations: [hooks]\n'.replace("{{", "{").replace("}}", "}"))
        at = ["--at", "2013-12-02T09:00:00Z", "--config", os.path.join(home, "etc", "herald.yaml")]

        queued = subprocess.run([herald, "trigger", "bench", "--wait", "0s"] + at, cwd=home, capture_output=True, text=True)
        if f"queued {args.deliveries} to hooks" not in queued.stdout:
            sys.exit("queueing failed:\n" + queued.stdout + queued.stderr)
        status, output, herald_seconds, herald_peak_kib = timed([herald, "trigger", "bench", "--wait", "10m"] + at, home)
        state = sqlite3.connect(os.path.join(home, "var", "state.sqlite"))
        counts = dict(state.execute("SELECT state, count(*) FROM delivery GROUP BY state").fetchall())
        # The dispatch window: from the first claim to the last recorded outcome (times in ms in the store).
        first_claim, last_settle = state.execute("SELECT min(claimed_at), max(updated_at) FROM delivery").fetchone()
        window = (last_settle - first_claim) / 1000
        state.close()
        if status != 0 or counts.get("sent") != args.deliveries:
            sys.exit(f"not every delivery was sent: {counts}\n{output[-2000:]}")

        ceiling = subprocess.run([os.path.join(RELEASE, "herald-bench"), "webhook-ceiling", os.path.join(work, "urls.txt"),
                                  SECRET, str(args.concurrency)], capture_output=True, text=True)
        if ceiling.returncode != 0:
            sys.exit("ceiling run failed: " + ceiling.stderr)
        line = ceiling.stdout.strip()
        ceiling_rate = float(line.split("= ")[1].split(" req/s")[0])
        herald_rate = args.deliveries / herald_seconds
        print(f"durable deliveries: {args.deliveries} signed webhooks in {herald_seconds:.2f} s = {herald_rate:,.0f}/s "
              f"(whole `herald trigger` command: start-up, claims, sends, settles; concurrency {args.concurrency})")
        print(f"  of which dispatching (first claim to last recorded outcome): {window:.2f} s = {args.deliveries / window:,.0f}/s")
        print(f"peak RSS of that herald process: {herald_peak_kib / 1024:.1f} MiB")
        print(f"CurlKit alone, {line}")
        print(f"herald / ceiling: {herald_rate / ceiling_rate:.0%} whole command, {args.deliveries / window / ceiling_rate:.0%} "
              "dispatching (target: at least 50%)")
        print(f"reproduce: swift build -c release && python3 bench/delivery.py --deliveries {args.deliveries} "
              f"--concurrency {args.concurrency}")
    finally:
        nginx.terminate()
        nginx.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
