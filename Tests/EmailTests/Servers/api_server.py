"""Fake SendGrid, Mailgun, Postmark and GOV.UK Notify email APIs for the email tests.

    python3 api_server.py CONFIG_JSON

CONFIG_JSON: {"sendgrid_key", "mailgun_key", "mailgun_domain", "postmark_token", "notify_service_id",
"notify_secret", "notify_template_id"}. Each endpoint checks authentication and the request the way
the real service does (protocols.md §11) and answers with the service's own success or error shape;
a request the real service would refuse is refused here too, so a test cannot pass on a bad request.

Prints `{"port": N}` when ready, then one JSON line per request: `service`, `status`, `problems` (why
it was refused), `body` (the parsed request) and `headers` (lower-cased names).

Recipient local parts steer failures: `ratelimited…` → 429 with the service's rate-limit headers,
`broken…` → 500, `inactive…` → Postmark 422/406, `daily…` → Notify 429 TooManyRequestsError.
"""
import base64
import hashlib
import hmac
import json
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

CONFIG = json.loads(sys.argv[1])
ADDRESS = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
NAMED = re.compile(r'^(?:"(?:[^"\\]|\\.)*"\s*|[^<>"]*)<([^<>]+)>$')
lock = threading.Lock()
counter = {"n": 0}


def out(obj):
    with lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def next_id():
    with lock:
        counter["n"] += 1
        return counter["n"]


def address_of(text):
    """`addr` or `"Name" <addr>` → addr, or None when malformed."""
    text = text.strip()
    match = NAMED.match(text)
    addr = match.group(1) if match else text
    return addr if ADDRESS.match(addr) else None


def local(addr):
    return (addr or "").split("@")[0].lower()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=None, headers=None, service="", problems=None, request=None):
        data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json" if not isinstance(body, bytes) else "text/plain")
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        out({"service": service, "status": status, "problems": problems or [], "body": request,
             "headers": {k.lower(): v for k, v in self.headers.items()}, "path": self.path})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.raw = self.rfile.read(length)
        if self.path == "/v3/mail/send":
            self.sendgrid()
        elif self.path.startswith("/v3/") and self.path.endswith("/messages"):
            self.mailgun(self.path[len("/v3/"):-len("/messages")])
        elif self.path == "/email":
            self.postmark()
        elif self.path == "/v2/notifications/email":
            self.notify()
        else:
            self.reply(404, {"message": "not found"}, service="?", problems=["unknown path " + self.path])

    # SendGrid v3 Mail Send ------------------------------------------------------------------------
    def sendgrid(self):
        s = "sendgrid"
        if self.headers.get("Authorization") != "Bearer " + CONFIG["sendgrid_key"]:
            return self.reply(401, {"errors": [{"message": "The provided authorization grant is invalid, expired, or revoked",
                                                "field": None, "help": None}]}, service=s, problems=["bad key"])
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            return self.reply(400, {"errors": [{"message": "Content-Type must be application/json"}]}, service=s,
                              problems=["content type"])
        try:
            body = json.loads(self.raw)
        except ValueError as error:
            return self.reply(400, {"errors": [{"message": "Bad Request: invalid JSON", "field": None}]}, service=s,
                              problems=["json: %s" % error])
        errors = []
        known = {"personalizations", "from", "reply_to", "subject", "content", "template_id", "categories", "custom_args",
                 "headers", "send_at", "batch_id", "asm", "mail_settings", "tracking_settings", "attachments", "ip_pool_name"}
        for key in body:
            if key not in known:
                errors.append({"message": "Invalid field", "field": key})
        people = body.get("personalizations")
        total = []
        if not isinstance(people, list) or not 1 <= len(people) <= 1000:
            errors.append({"message": "The personalizations field is required and must have at least one personalization.",
                           "field": "personalizations"})
            people = []
        for i, p in enumerate(people):
            to = p.get("to")
            if not isinstance(to, list) or not to:
                errors.append({"message": "The to array is required for all personalization objects", "field": f"personalizations.{i}.to"})
                continue
            for r in to:
                if not isinstance(r, dict) or not ADDRESS.match(r.get("email", "")):
                    errors.append({"message": "Does not contain a valid address.", "field": f"personalizations.{i}.to"})
                total.append((r or {}).get("email", "").lower())
            for name in (p.get("headers") or {}):
                if name.lower() in ("x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type", "from", "to", "subject"):
                    errors.append({"message": "reserved header", "field": f"personalizations.{i}.headers.{name}"})
            for k, v in (p.get("custom_args") or {}).items():
                if not isinstance(v, str):
                    errors.append({"message": "custom_args values must be strings", "field": k})
        if len(total) != len(set(total)):
            errors.append({"message": "Each email address in the personalization block should be unique", "field": "personalizations"})
        sender = body.get("from")
        if not isinstance(sender, dict) or not ADDRESS.match(sender.get("email", "")):
            errors.append({"message": "The from object must be provided for every email send.", "field": "from.email"})
        if not body.get("subject") and not all(p.get("subject") for p in people):
            errors.append({"message": "The subject is required.", "field": "subject"})
        content = body.get("content")
        if not body.get("template_id"):
            if not isinstance(content, list) or not content:
                errors.append({"message": "content is required", "field": "content"})
                content = []
            types = [c.get("type") for c in content]
            if any(not c.get("value") for c in content):
                errors.append({"message": "The content value must be a string at least one character in length.", "field": "content.value"})
            if len(types) != len(set(types)):
                errors.append({"message": "text/plain and text/html may only be provided once.", "field": "content.type"})
            if "text/plain" in types and types.index("text/plain") != 0:
                errors.append({"message": "If present, text/plain must be first", "field": "content.type"})
        if errors:
            return self.reply(400, {"errors": errors}, service=s, problems=[e["message"] for e in errors], request=body)
        first = local(total[0] if total else "")
        if first.startswith("ratelimited"):
            return self.reply(429, {"errors": [{"message": "too many requests", "field": None}]}, service=s, request=body,
                              headers={"X-RateLimit-Limit": 600, "X-RateLimit-Remaining": 0,
                                       "X-RateLimit-Reset": int(time.time()) + 42})
        if first.startswith("broken"):
            return self.reply(500, {"errors": [{"message": "internal error"}]}, service=s, request=body)
        self.reply(202, None, headers={"X-Message-Id": "sg-%d" % next_id()}, service=s, request=body)

    # Mailgun ---------------------------------------------------------------------------------------
    def mailgun(self, domain):
        s = "mailgun"
        expected = "Basic " + base64.b64encode(("api:" + CONFIG["mailgun_key"]).encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self.reply(401, b"Forbidden", service=s, problems=["bad key"])
        if domain != CONFIG["mailgun_domain"]:
            return self.reply(404, {"message": "Domain not found: " + domain}, service=s, problems=["domain"])
        if self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
            return self.reply(400, {"message": "unsupported content type"}, service=s, problems=["content type"])
        try:
            fields = parse_qs(self.raw.decode("ascii"), keep_blank_values=True, strict_parsing=True)
        except ValueError as error:
            return self.reply(400, {"message": "malformed form: %s" % error}, service=s, problems=["form"])
        body = {k: v if len(v) > 1 else v[0] for k, v in fields.items()}
        problems = []
        for name in ("from", "to", "subject"):
            if not fields.get(name) or not fields[name][0]:
                problems.append("'%s' parameter is missing" % name)
        if not any(fields.get(n) for n in ("text", "html", "template")):
            problems.append("Need at least one of 'text', 'html' or 'template' parameters specified")
        for name in ("from", "to"):
            for value in fields.get(name, []):
                for part in value.split(","):
                    if address_of(part) is None:
                        problems.append("'%s' parameter is not a valid address. please check documentation" % name)
        options = sum(len(k) + len(v) for k, vs in fields.items() if k[:2] in ("o:", "h:", "v:", "t:") for v in vs)
        if options > 16 * 1024:
            problems.append("send options exceed 16 KB")
        if problems:
            return self.reply(400, {"message": problems[0]}, service=s, problems=problems, request=body)
        if local(address_of(fields["to"][0])).startswith("ratelimited"):
            return self.reply(429, {"message": "Too many requests"}, headers={"Retry-After": 9}, service=s, request=body)
        self.reply(200, {"id": "<20261122.%d@%s>" % (next_id(), domain), "message": "Queued. Thank you."}, service=s, request=body)

    # Postmark --------------------------------------------------------------------------------------
    def postmark(self):
        s = "postmark"
        token = self.headers.get("X-Postmark-Server-Token")
        if token != CONFIG["postmark_token"]:
            return self.reply(401, {"ErrorCode": 10, "Message": "No Account or Server API tokens were supplied in the HTTP headers. "
                                    "Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token."},
                              service=s, problems=["bad token"])
        if self.headers.get("Accept") != "application/json" or self.headers.get("Content-Type") != "application/json":
            return self.reply(415, {"ErrorCode": 409, "Message": "JSON data required"}, service=s, problems=["headers"])
        try:
            body = json.loads(self.raw)
        except ValueError:
            return self.reply(422, {"ErrorCode": 402, "Message": "Invalid JSON"}, service=s, problems=["json"])
        known = {"From", "To", "Cc", "Bcc", "Subject", "Tag", "HtmlBody", "TextBody", "ReplyTo", "Headers", "TrackOpens",
                 "TrackLinks", "Metadata", "Attachments", "MessageStream"}
        problems = ["unknown field " + k for k in body if k not in known]
        if address_of(body.get("From", "")) is None:
            problems.append("Invalid 'From' address")
        recipients = [address_of(x) for x in (body.get("To") or "").split(",") if x.strip()]
        if not recipients or None in recipients:
            problems.append("Invalid 'To' address")
        if len(recipients) > 50:
            problems.append("too many recipients")
        if not body.get("HtmlBody") and not body.get("TextBody"):
            problems.append("Provide either email TextBody or HtmlBody or both.")
        if body.get("MessageStream", "outbound") not in ("outbound", "broadcast"):
            problems.append("The message stream does not exist")
        for header in body.get("Headers") or []:
            if set(header) != {"Name", "Value"}:
                problems.append("Headers entries are {Name, Value}")
        if problems:
            return self.reply(422, {"ErrorCode": 300, "Message": problems[0]}, service=s, problems=problems, request=body)
        first = local(recipients[0])
        if first.startswith("inactive"):
            return self.reply(422, {"ErrorCode": 406, "Message": "You tried to send to recipient(s) that have been marked as inactive."},
                              service=s, request=body)
        if first.startswith("ratelimited"):
            return self.reply(429, {"ErrorCode": 429, "Message": "Rate limit exceeded"}, service=s, request=body)
        self.reply(200, {"To": body["To"], "SubmittedAt": "2026-11-22T09:00:00Z", "MessageID": str(uuid.uuid4()),
                         "ErrorCode": 0, "Message": "OK"}, service=s, request=body)

    # GOV.UK Notify ---------------------------------------------------------------------------------
    def notify_error(self, status, kind, message, request=None):
        self.reply(status, {"errors": [{"error": kind, "message": message}], "status_code": status}, service="notify",
                   problems=["%s: %s" % (kind, message)], request=request)

    def notify(self):
        auth = self.headers.get("Authorization") or ""
        if not auth.startswith("Bearer "):
            return self.notify_error(401, "AuthError", "Unauthorized: authentication token must be provided")
        parts = auth[len("Bearer "):].split(".")
        try:
            pad = lambda t: t + "=" * (-len(t) % 4)
            header = json.loads(base64.urlsafe_b64decode(pad(parts[0])))
            claims = json.loads(base64.urlsafe_b64decode(pad(parts[1])))
            signature = base64.urlsafe_b64decode(pad(parts[2]))
        except Exception:
            return self.notify_error(403, "AuthError", "Invalid token: signature, api token is not valid")
        if "=" in auth or header.get("alg") != "HS256" or header.get("typ") != "JWT":
            return self.notify_error(403, "AuthError", "Invalid token: algorithm used is not HS256")
        if claims.get("iss") != CONFIG["notify_service_id"]:
            return self.notify_error(403, "AuthError", "Invalid token: service not found")
        expected = hmac.new(CONFIG["notify_secret"].encode(), (parts[0] + "." + parts[1]).encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, signature):
            return self.notify_error(403, "AuthError", "Invalid token: API key not found")
        iat = claims.get("iat")
        if not isinstance(iat, int) or abs(time.time() - iat) > 30:
            return self.notify_error(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
        try:
            body = json.loads(self.raw)
        except ValueError:
            return self.notify_error(400, "ValidationError", "Invalid JSON supplied in POST data")
        allowed = {"email_address", "template_id", "personalisation", "reference", "email_reply_to_id",
                   "one_click_unsubscribe_url", "scheduled_for", "sanitise_content_for"}
        extra = sorted(set(body) - allowed)
        if extra:
            return self.notify_error(400, "ValidationError", "Additional properties are not allowed (%s were unexpected)"
                                     % ", ".join(repr(e) for e in extra), body)
        for name in ("email_address", "template_id"):
            if not isinstance(body.get(name), str):
                return self.notify_error(400, "ValidationError", "%s is a required property" % name, body)
        if not ADDRESS.match(body["email_address"]):
            return self.notify_error(400, "ValidationError", "email_address Not a valid email address", body)
        if body["template_id"] != CONFIG["notify_template_id"]:
            return self.notify_error(400, "BadRequestError", "Template not found", body)
        personalisation = body.get("personalisation") or {}
        if not isinstance(personalisation, dict) or not all(isinstance(v, (str, list, int, float)) for v in personalisation.values()):
            return self.notify_error(400, "ValidationError", "personalisation has the wrong type", body)
        missing = [p for p in ("title", "summary", "body") if p not in personalisation]
        if missing:
            return self.notify_error(400, "BadRequestError", "Missing personalisation: " + ", ".join(missing), body)
        reference = body.get("reference")
        if reference is not None and (not isinstance(reference, str) or "@" in reference):
            return self.notify_error(400, "ValidationError", "reference must be a string without personal data", body)
        url = body.get("one_click_unsubscribe_url")
        if url is not None and not str(url).startswith("https://"):
            return self.notify_error(400, "ValidationError", "one_click_unsubscribe_url is not a valid https url", body)
        content_body = "%s\n\n%s" % (personalisation["summary"], personalisation["body"])
        if len(content_body.encode()) > 2_000_000:
            return self.notify_error(400, "BadRequestError", "Emails cannot be longer than 2000000 bytes", body)
        first = local(body["email_address"])
        if first.startswith("daily"):
            return self.notify_error(429, "TooManyRequestsError", "Exceeded send limits (250000) for today", body)
        if first.startswith("ratelimited"):
            return self.notify_error(429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds", body)
        notification = str(uuid.uuid4())
        template = CONFIG["notify_template_id"]
        self.reply(201, {
            "id": notification, "reference": reference,
            "content": {"subject": personalisation["title"], "body": content_body, "from_email": "herald@notifications.service.gov.uk"},
            "uri": "/v2/notifications/" + notification,
            "template": {"id": template, "version": 1, "uri": "/v2/template/" + template},
        }, service="notify", request=body)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out({"port": server.server_address[1]})
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
