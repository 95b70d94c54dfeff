"""An SMTP server for the email tests, on aiosmtpd, that checks every message it receives.

    python3 smtp_server.py MODE WORKDIR [USER PASSWORD]

MODE is `starttls` (plain connection, STARTTLS offered and required before AUTH and mail), `smtps`
(TLS from the first byte) or `plain` (no TLS; for the benchmark). With USER and PASSWORD, AUTH is
required. For TLS it makes a CA and a certificate for 127.0.0.1 in WORKDIR with openssl.

It prints one JSON line `{"port": N, "ca": PATH}` when ready, then one JSON line per message that
reached the end of DATA: envelope, `tls`, `auth`, and mime_check's decoded fields and `problems`.
With `--quiet` (benchmark) it prints nothing per message; when its input closes it prints one line:
the count, the times of the first and last message, total bytes, and mime_check's verdict on the
first message.

Recipients steer failures, as a real server's replies would:
- `reject…@` → 550 at RCPT (permanent);  `busy…@` → 451 at RCPT (temporary);
- `later…@` → 451 after DATA (temporary; the message was not taken);
- `drop…@` → the first message with a given Message-ID is cut off after DATA with no reply;
  a second one with the same Message-ID is accepted (a retried send).
The server exits when its standard input closes, so it never outlives the test process.
"""
import asyncio
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mime_check  # noqa: E402

# aiosmtpd warns about its own use of a deprecated attribute on every AUTH.
warnings.filterwarnings("ignore", category=DeprecationWarning)

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
QUIET = "--quiet" in sys.argv
MODE, WORKDIR = ARGS[0], ARGS[1]
USER, PASSWORD = (ARGS[2], ARGS[3]) if len(ARGS) >= 4 else (None, None)
lock = threading.Lock()
counter = {"accepted": 0, "seen_ids": set()}


def out(obj):
    with lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def make_certificates(directory):
    """A throwaway CA and a server certificate for 127.0.0.1 signed by it."""
    ca_key, ca_crt = os.path.join(directory, "ca.key"), os.path.join(directory, "ca.pem")
    key, csr, crt = (os.path.join(directory, n) for n in ("server.key", "server.csr", "server.pem"))
    ext = os.path.join(directory, "server.ext")
    run = lambda *a: subprocess.run(a, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca_crt,
        "-days", "2", "-subj", "/CN=Herald Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial", "-out", crt,
        "-days", "2", "-extfile", ext)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(crt, key)
    return context, ca_crt


class Authenticator:
    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
        if ok:
            session.herald_login = auth_data.login.decode()
        return AuthResult(success=ok, handled=False)


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: no such user" % address
        if local.startswith("busy"):
            return "451 4.3.0 <%s>: mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if QUIET:
            with lock:
                counter["accepted"] += 1
                counter.setdefault("first", time.time())
                counter["last"] = time.time()
                counter["bytes"] = counter.get("bytes", 0) + len(raw)
                if counter["accepted"] == 1:
                    counter["sample"] = raw
            return "250 2.0.0 Ok: queued as B%d" % counter["accepted"]
        report = mime_check.check(raw)
        report.update({
            "mail_from": envelope.mail_from,
            "rcpt": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "auth": getattr(session, "herald_login", None),
            "raw_size": len(raw),
        })
        locals_ = [r.split("@")[0].lower() for r in envelope.rcpt_tos]
        message_id = report.get("message_id")
        if any(l.startswith("drop") for l in locals_):
            with lock:
                first = message_id not in counter["seen_ids"]
                counter["seen_ids"].add(message_id)
            if first:
                report["outcome"] = "dropped"
                out(report)
                # Cut the connection with the whole message received and no reply: the sender
                # cannot know whether the mail was accepted.
                server.transport.abort()
                await asyncio.sleep(0.05)
                return "421 4.4.2 connection dropped"
        if any(l.startswith("later") for l in locals_):
            report["outcome"] = "deferred"
            out(report)
            return "451 4.3.0 Temporary failure after DATA, try again later"
        with lock:
            counter["accepted"] += 1
            queue_id = "Q%d" % counter["accepted"]
        report["outcome"] = "accepted"
        report["queue_id"] = queue_id
        out(report)
        return "250 2.0.0 Ok: queued as " + queue_id


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    os.makedirs(WORKDIR, exist_ok=True)
    context, ca = (None, None)
    if MODE in ("starttls", "smtps"):
        context, ca = make_certificates(WORKDIR)
    port = free_port()
    kwargs = dict(hostname="127.0.0.1", port=port, data_size_limit=64 << 20)
    if USER:
        kwargs.update(authenticator=Authenticator(), auth_required=True)
    if MODE == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif MODE == "smtps":
        # The whole connection is TLS; aiosmtpd only counts STARTTLS as TLS for AUTH, so lift its check.
        kwargs.update(ssl_context=context, auth_require_tls=False)
    else:
        kwargs.update(auth_require_tls=False)
    controller = Controller(Handler(), **kwargs)
    controller.start()
    out({"port": port, "ca": ca})
    sys.stdin.read()  # until the test process closes our stdin (or dies)
    controller.stop()
    if QUIET:
        sample = counter.get("sample")
        report = mime_check.check(sample) if sample else {"problems": ["no message"]}
        out({"accepted": counter["accepted"], "first": counter.get("first"), "last": counter.get("last"),
             "bytes": counter.get("bytes", 0), "sample_problems": report["problems"],
             "sample_subject": report.get("subject")})


if __name__ == "__main__":
    main()
