/// The loopback servers the CurlKit tests talk to, as one Python 3 script (standard library only).
/// It lives in a Swift string rather than a `.py` file because the test target cannot exclude
/// resources (Package.swift is not ours to edit); ``TestServer`` writes it to a temporary file.
///
/// `python3 servers.py MODE` binds 127.0.0.1 on an ephemeral port, prints `PORT <n>`, then serves:
/// - `http`, `https`: HTTP/1.1 keep-alive echo (`https` with ``fixtureCertificatePEM``, path in argv[2]). Replies with JSON `{method, path, headers, body}`; `/stats`
///   returns `{"connections": n}`, the number of TCP connections accepted so far.
/// - `silent`: accepts, prints `ACCEPT`, prints `REQUEST` once bytes arrive, never answers.
/// - `reset`: reads one whole request, prints `REQUEST`, then resets the connection (SO_LINGER 0).
/// - `smtp`, `smtp-authfail`: an SMTP sink (EHLO/HELO/AUTH PLAIN/MAIL/RCPT/DATA/RSET/NOOP/QUIT). Each
///   accepted message is printed as one JSON line `{from, rcpt, auth, data}` with dot-stuffing undone,
///   before the `250` reply. `RCPT TO:<reject…>` is refused with 550; `smtp-authfail` refuses AUTH.
let fixtureServerScript = #"""
import base64, json, os, signal, socket, socketserver, struct, sys, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

# The test process may have signals blocked on the spawning thread; make SIGTERM work again.
signal.pthread_sigmask(signal.SIG_SETMASK, [])
signal.signal(signal.SIGTERM, signal.SIG_DFL)

def exit_when_parent_goes():
    # stdin is a pipe from the test process: EOF means it died, so do not outlive it.
    sys.stdin.buffer.read()
    os._exit(0)

threading.Thread(target=exit_when_parent_goes, daemon=True).start()

mode = sys.argv[1]
lock = threading.Lock()
counters = {"connections": 0, "messages": 0}

def out(line):
    with lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with lock:
            counters["connections"] += 1

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/stats":
            payload = json.dumps({"connections": counters["connections"]}).encode()
        else:
            payload = json.dumps({
                "method": self.command,
                "path": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", "replace"),
            }).encode()
        self.send_response(201 if self.command == "POST" else 200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("X-Echo-Method", self.command)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

class Silent(socketserver.BaseRequestHandler):
    def handle(self):
        out("ACCEPT")
        announced = False
        while True:
            data = self.request.recv(65536)
            if not data:
                return
            if not announced:
                out("REQUEST")
                announced = True

class Reset(socketserver.BaseRequestHandler):
    def handle(self):
        buf = b""
        while b"\r\n\r\n" not in buf:
            data = self.request.recv(65536)
            if not data:
                return
            buf += data
        head, _, rest = buf.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            data = self.request.recv(65536)
            if not data:
                break
            rest += data
        out("REQUEST")
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()

class SMTP(socketserver.StreamRequestHandler):
    def send(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.send("220 sink.test ESMTP")
        sender, rcpt, auth = None, [], None
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            cmd = raw.decode("utf-8", "replace").rstrip("\r\n")
            upper = cmd.upper()
            if upper.startswith("EHLO"):
                self.send("250-sink.test")
                self.send("250 AUTH PLAIN")
            elif upper.startswith("HELO"):
                self.send("250 sink.test")
            elif upper.startswith("AUTH PLAIN"):
                parts = cmd.split(" ")
                if len(parts) >= 3:
                    token = parts[2]
                else:
                    self.send("334 ")
                    token = self.rfile.readline().decode().strip()
                if mode == "smtp-authfail":
                    self.send("535 5.7.8 Authentication credentials invalid")
                    continue
                auth = base64.b64decode(token).split(b"\0")[1].decode()
                self.send("235 2.7.0 Authentication successful")
            elif upper.startswith("MAIL FROM:"):
                sender = cmd[10:].strip().split(" ")[0].strip("<>")
                rcpt = []
                self.send("250 OK")
            elif upper.startswith("RCPT TO:"):
                address = cmd[8:].strip().split(" ")[0].strip("<>")
                if address.startswith("reject"):
                    self.send("550 5.1.1 No such user")
                else:
                    rcpt.append(address)
                    self.send("250 OK")
            elif upper == "DATA":
                self.send("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    if line == b".\r\n":
                        break
                    if line.startswith(b"."):
                        line = line[1:]
                    lines.append(line)
                with lock:
                    counters["messages"] += 1
                    number = counters["messages"]
                out(json.dumps({"from": sender, "rcpt": rcpt, "auth": auth,
                                "data": b"".join(lines).decode("utf-8", "replace")}))
                self.send("250 2.0.0 Ok: queued as SINK%d" % number)
            elif upper in ("RSET", "NOOP"):
                self.send("250 OK")
            elif upper == "QUIT":
                self.send("221 Bye")
                return
            else:
                self.send("502 Command not implemented")

class TCPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 256

if mode in ("http", "https"):
    ThreadingHTTPServer.request_queue_size = 256
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    if mode == "https":
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
else:
    handler = {"silent": Silent, "reset": Reset, "smtp": SMTP, "smtp-authfail": SMTP}[mode]
    server = TCPServer(("127.0.0.1", 0), handler)
out("PORT %d" % server.server_address[1])
server.serve_forever()
"""#

/// A self-signed certificate (CA:TRUE, SAN IP:127.0.0.1 and localhost, valid until 2125) and its key, for
/// the `https` fixture and as the test's CA bundle. Test-only material; it protects nothing.
let fixtureCertificatePEM = """
-----BEGIN CERTIFICATE-----
MIIBoTCCAUegAwIBAgIUBeG4vUb+Wvo6xff61VtSGowCAMEwCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMQ3VybEtpdCB0ZXN0MCAXDTI2MTEyMjA1MDcyNFoYDzIxMjYx
MDI5MDUwNzI0WjAXMRUwEwYDVQQDDAxDdXJsS2l0IHRlc3QwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAATlZXO7fxaDp0+u19SWTeV9tjCtLFqcsNBp6Xzv6rejbOhM
OWHbNCuHKuaD4Paq8rdiI+sm+ka6zAEz3GMU5wWYo28wbTAdBgNVHQ4EFgQUrI24
bAov9yhYwYnHnHSorrLv6N4wHwYDVR0jBBgwFoAUrI24bAov9yhYwYnHnHSorrLv
6N4wGgYDVR0RBBMwEYcEfwAAAYIJbG9jYWxob3N0MA8GA1UdEwEB/wQFMAMBAf8w
CgYIKoZIzj0EAwIDSAAwRQIhANmuXGYWyROTpc6DpY7Ow2MVdIIqumpMMdNLNewS
DgkfAiAKksq5BDhedsS6e0nY/9+xfVBWXn4en4LqPBVa1+952A==
-----END CERTIFICATE-----
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg9gbfANGsKM+yrD6l
uSITAgwWeiAmJCbhUSEVBphbeQ+hRANCAATlZXO7fxaDp0+u19SWTeV9tjCtLFqc
sNBp6Xzv6rejbOhMOWHbNCuHKuaD4Paq8rdiI+sm+ka6zAEz3GMU5wWY
-----END PRIVATE KEY-----
"""
