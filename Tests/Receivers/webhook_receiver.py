#!/usr/bin/env python3
"""A generic-webhook receiver for Herald's delivery tests and benchmark: it checks what a real Standard
Webhooks consumer checks, with the reference implementation (PyPI `standardwebhooks`), not Herald's code.

    webhook_receiver.py --log FILE [--secret whsec_...] [--plan JSON] [--delay-ms N] [--quiet]

Binds 127.0.0.1 on an ephemeral port and prints `PORT <n>`. Every request must be a POST of a JSON
`herald.digest` body with `webhook-id` and `webhook-timestamp` headers; with --secret, a valid
`webhook-signature` within the library's timestamp tolerance. Otherwise it answers 400 or 401, as a
real consumer would, so a request Herald builds wrongly fails the test.

--plan maps a path to the replies for its successive requests, then 200 for every later one:
  "500", "503", "400", ... a status; "429:S" 429 with `Retry-After: S`; "429d:S" with an HTTP-date
  Retry-After S seconds ahead; "reset" reads the request and resets the connection; "slow:S" waits S
  seconds before answering 200 (so the client times out first).
Each request is logged to FILE as one JSON line: {t, path, id, verified, outcome}. It exits when its
stdin closes, so it never outlives the test that started it.
"""
import argparse, email.utils, json, signal, socket, struct, threading, time
from http.server import BaseHTTPRequestHandler

import loopback

signal.pthread_sigmask(signal.SIG_SETMASK, [])
signal.signal(signal.SIGTERM, signal.SIG_DFL)

parser = argparse.ArgumentParser()
parser.add_argument("--log", required=True)
parser.add_argument("--secret")
parser.add_argument("--plan", default="{}")
parser.add_argument("--delay-ms", type=int, default=0)
parser.add_argument("--quiet", action="store_true", help="log only counts (benchmark)")
args = parser.parse_args()

verifier = None
if args.secret:
    from standardwebhooks.webhooks import Webhook
    verifier = Webhook(args.secret)

plan = {path: list(steps) for path, steps in json.loads(args.plan).items()}
lock = threading.Lock()
log = open(args.log, "a", buffering=1)


def record(entry):
    with lock:
        log.write(json.dumps(entry) + "\n")


def next_step(path):
    with lock:
        steps = plan.get(path)
        return steps.pop(0) if steps else "200"


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        webhook_id = self.headers.get("webhook-id")
        entry = {"t": time.time(), "path": self.path, "id": webhook_id, "verified": False}
        if not webhook_id or not self.headers.get("webhook-timestamp"):
            entry["outcome"] = 400
            record(entry)
            return self.reply(400, b'{"error":"missing webhook-id or webhook-timestamp"}')
        if verifier is not None:
            try:
                verifier.verify(body, {k.lower(): v for k, v in self.headers.items()})
                entry["verified"] = True
            except Exception as error:
                entry["outcome"] = 401
                entry["error"] = str(error)
                record(entry)
                return self.reply(401, b'{"error":"invalid signature"}')
        try:
            document = json.loads(body)
            assert document.get("type") == "herald.digest"
        except Exception:
            entry["outcome"] = 400
            record(entry)
            return self.reply(400, b'{"error":"not a herald.digest JSON body"}')
        step = next_step(self.path)
        entry["outcome"] = step
        if not args.quiet or step != "200":
            record(entry)
        if args.delay_ms:
            time.sleep(args.delay_ms / 1000)
        if step == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if step.startswith("slow:"):
            time.sleep(float(step[5:]))
            return self.reply(200, b'{"ok":true}')
        if step.startswith("429d:"):
            when = email.utils.formatdate(time.time() + float(step[5:]), usegmt=True)
            return self.reply(429, b'{"error":"slow down"}', [("Retry-After", when)])
        if step.startswith("429:"):
            return self.reply(429, b'{"error":"slow down"}', [("Retry-After", step[4:])])
        status = int(step)
        return self.reply(status, b'{"ok":true}' if status < 300 else b'{"error":"planned failure"}')


loopback.serve(Receiver, backlog=512)
