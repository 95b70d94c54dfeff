#!/usr/bin/env python3
"""Loopback stand-ins for Mastodon, Bluesky and X that check what the real services check, with
independent libraries (twitter-text, oauthlib, the atproto SDK, grapheme), never Herald's own code.

    social_receiver.py --service mastodon|bluesky|x --log FILE [--plan JSON] [service options]

Binds 127.0.0.1 on an ephemeral port, prints `PORT <n>` and serves until its stdin closes (or SIGTERM),
so it never outlives the test that started it.

Mastodon  --token T, --max-characters N (500), --no-instance, --domain D
    GET  /api/v2/instance                  limits, as an instance publishes them (404 with --no-instance)
    POST /api/v1/statuses                  JSON, form or multipart; Bearer token; Idempotency-Key
Bluesky   --handle H, --app-password P, --did D, --access-ttl S (7200), --max-logins N (30 per 300 s)
    POST /xrpc/com.atproto.server.createSession
    POST /xrpc/com.atproto.server.refreshSession
    POST /xrpc/com.atproto.repo.createRecord   app.bsky.feed.post records, checked with the atproto SDK
    GET  /xrpc/com.atproto.repo.getRecord
X         --consumer-key, --consumer-secret, --access-token, --access-secret
    POST /2/tweets                         OAuth 1.0a HMAC-SHA1 checked with oauthlib; twitter-text length
All       GET /_herald/posts               every created post, in creation order (not logged)

--plan maps a path (no query) to the steps for its successive requests; later requests behave normally:
  "ok"                      behave normally (so a plan can aim at a later request: ["ok", "ok", "503"])
  "500", "503", any "NNN"   answer that status without processing
  "429", "429:S"            rate-limited, with the service's own headers, reset S s ahead (default 1; X 2)
  "lost"                    process normally (the post IS created), then close without answering
  "reset"                   read the request, then reset the connection without processing
  "expire"                  (Bluesky) treat the presented token as expired for this request

Each request is one JSON line in the log: t, service, method, path, status (the status answered, or the
step "lost"/"reset" when nothing was answered), step (the plan step, or null), error (why it was refused,
or null); for a post: created (true when this request created it), id (Mastodon/X id, Bluesky uri), text,
reply_to, root, key (Mastodon Idempotency-Key / Bluesky rkey the client chose), replayed (an
Idempotency-Key returned an earlier post), and for Bluesky cid, rkey, facets; createSession lines have
logins (attempts in the current 300 s window). A line is written before its answer is sent.
"""
import argparse, base64, collections, datetime, email.parser, email.policy, hashlib, hmac, html, http
import json, math, re, secrets, signal, socket, struct, sys, threading, time
from http.server import BaseHTTPRequestHandler

import loopback
from urllib.parse import parse_qs, parse_qsl, urlsplit

signal.pthread_sigmask(signal.SIG_SETMASK, [])
signal.signal(signal.SIGTERM, signal.SIG_DFL)

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--service", required=True, choices=["mastodon", "bluesky", "x"])
parser.add_argument("--log", required=True)
parser.add_argument("--plan", default="{}")
# Mastodon
parser.add_argument("--token", default="hZ4vQeLx0m3N7sKpT2wYcR8uJf6DgA1bEiHoVtWq5Xy")
parser.add_argument("--max-characters", type=int, default=500)
parser.add_argument("--no-instance", action="store_true")
parser.add_argument("--domain", default="mastodon.herald.test")
# Bluesky
parser.add_argument("--handle", default="herald.test")
parser.add_argument("--app-password", default="abcd-efgh-ijkl-mnop")
parser.add_argument("--did", default="did:plc:hrld4test7q2xk5m3zv6wa2yb")
parser.add_argument("--access-ttl", type=float, default=7200)
parser.add_argument("--max-logins", type=int, default=30)
# X
parser.add_argument("--consumer-key", default="cSQyyj4fZrfD4oq6XvGaUjvwd")
parser.add_argument("--consumer-secret", default="gpPodU4hesvtW0oaBgMVYvtg4SjqkgGwWhujEw5kUriNXzLQig")
parser.add_argument("--access-token", default="1790000000000000042-ViTtDurFQNtcE41KJ6XIycrLevzatw")
parser.add_argument("--access-secret", default="9v2TvXIdokvOfAFFvcNLrEiJRj5pkKKsh5ZoIfPI0MEOh")
args = parser.parse_args()

# The libraries each service needs, imported up front so a missing one fails at start, not mid-test.
import grapheme  # extended grapheme clusters (Mastodon and Bluesky count these)
if args.service in ("mastodon", "x"):
    import twitter_text  # PyPI twitter-text-parser: the twitter-text URL extractor and weighted length
if args.service == "bluesky":
    import libipld  # dag-cbor, for real record CIDs (installed with atproto)
    from atproto_client import models as atproto_models
    from atproto_client.models import string_formats as atproto_formats
if args.service == "x":
    from oauthlib.oauth1.rfc5849 import signature as oauth_signature


# ---------------------------------------------------------------------------------------------------
# Shared plumbing: plan, log, responses
# ---------------------------------------------------------------------------------------------------

def parse_plan(text):
    plan = {path: list(steps) for path, steps in json.loads(text).items()}
    for path, steps in plan.items():
        for step in steps:
            # A typo in a test's plan should fail loudly, not silently behave normally.
            if not re.fullmatch(r"ok|\d{3}|429:\d+(\.\d+)?|lost|reset|expire", step):
                sys.exit("unknown plan step %r for %s" % (step, path))
            if step == "expire" and args.service != "bluesky":
                sys.exit("plan step 'expire' is for --service bluesky only")
    return plan


plan = parse_plan(args.plan)
# One lock serialises all request processing: checks such as "this rkey exists" or "this nonce was
# used" must be atomic, and a test server needs no concurrency beyond accepting parallel connections.
lock = threading.RLock()
log = open(args.log, "a", buffering=1)
posts = []  # every created post, in creation order (dicts as served by /_herald/posts)


def record(entry):
    log.write(json.dumps(entry, ensure_ascii=False) + "\n")


def next_step(path):
    steps = plan.get(path)
    return steps.pop(0) if steps else None


class Reply:
    """An answer built by a handler; the dispatcher decides whether it is sent (plan step "lost")."""

    def __init__(self, status, body=None, headers=(), content_type="application/json; charset=utf-8"):
        self.status = status
        self.body = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        self.headers = list(headers)
        self.content_type = content_type


class Refusal(Exception):
    """A handler refusing a request: carries the answer; its message is what the log calls `error`."""

    def __init__(self, reply, error):
        super().__init__(error)
        self.reply = reply


def iso_now(at=None, digits=3):
    moment = datetime.datetime.fromtimestamp(time.time() if at is None else at, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[: 20 + digits].rstrip(".") + "Z"


class Window:
    """A fixed rate-limit window as the services describe theirs: `limit` points per `seconds`."""

    def __init__(self, limit, seconds):
        self.limit, self.seconds, self.start, self.used = limit, seconds, time.time(), 0

    def take(self, points=1):
        now = time.time()
        if now >= self.start + self.seconds:
            self.start, self.used = now, 0
        self.used += points
        return self.used <= self.limit

    @property
    def remaining(self):
        return max(0, self.limit - self.used)

    @property
    def reset(self):
        return self.start + self.seconds


# ---------------------------------------------------------------------------------------------------
# Mastodon
# ---------------------------------------------------------------------------------------------------

MASTODON_VISIBILITIES = {"public", "unlisted", "private", "direct"}
MASTODON_URL_LENGTH = 23  # configuration.statuses.characters_reserved_per_url
# Mastodon's Account::MENTION_RE: @user or @user@domain, not preceded by a word character, = or /.
MASTODON_MENTION = re.compile(r"(?<![=/\w])@(([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@[\w]+(?:[.-]+[\w]+)*)?)", re.I)
mastodon_windows = {}  # token -> Window: 300 requests per 5 min per account
mastodon_idempotency = {}  # (token, key) -> (post, time): Mastodon keeps a key for 1 hour
mastodon_sequence = 0


def mastodon_length(status, spoiler_text):
    """StatusLengthValidator: URLs with a scheme count 23, @user@domain counts as @user, then grapheme
    clusters of spoiler_text + the rewritten status."""
    entities = [(u["indices"][0], u["indices"][1], "x" * MASTODON_URL_LENGTH)
                for u in twitter_text.extract_urls_with_indices(status, extract_urls_without_protocol=False)]
    entities += [(m.start(), m.end(), "@" + m.group(2)) for m in MASTODON_MENTION.finditer(status)]
    kept, end = [], -1
    for start, stop, replacement in sorted(entities):  # Extractor.remove_overlapping_entities
        if start >= end:
            kept.append((start, stop, replacement))
            end = stop
    rewritten, position = [], 0
    for start, stop, replacement in kept:
        rewritten += [status[position:start], replacement]
        position = stop
    rewritten.append(status[position:])
    return grapheme.length(spoiler_text + "".join(rewritten))


def mastodon_headers(window):
    reset = datetime.datetime.fromtimestamp(window.reset, datetime.timezone.utc)
    return [("X-RateLimit-Limit", str(window.limit)), ("X-RateLimit-Remaining", str(window.remaining)),
            # ISO 8601 with microseconds, as rate_limit_headers.rb writes it (not epoch seconds)
            ("X-RateLimit-Reset", reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))]


def mastodon_params(request):
    """Rails accepts JSON, urlencoded and multipart bodies alike; arrays arrive as `name[]`."""
    kind = request.content_type
    if kind == "application/json":
        try:
            document = json.loads(request.body or b"{}")
        except ValueError as error:
            raise Refusal(Reply(400, {"error": "Error occurred while parsing request parameters"}), str(error))
        if not isinstance(document, dict):
            raise Refusal(Reply(400, {"error": "Error occurred while parsing request parameters"}), "JSON body is not an object")
        return document
    if kind == "application/x-www-form-urlencoded":
        pairs = parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)
    elif kind == "multipart/form-data":
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + request.headers["Content-Type"].encode() + b"\r\n\r\n" + request.body)
        # Form fields carry no charset: Rails reads them as UTF-8, and so does this.
        pairs = [(part.get_param("name", header="content-disposition"), part.get_payload(decode=True).decode("utf-8"))
                 for part in message.iter_parts()]
    elif not request.body:
        pairs = []
    else:
        raise Refusal(Reply(415, {"error": "Unsupported Content-Type"}), "unsupported Content-Type %r" % kind)
    params = {}
    for name, value in pairs:
        if name.endswith("[]"):
            params.setdefault(name[:-2], []).append(value)
        else:
            params[name] = value
    return params


def mastodon_instance(request, entry):
    if args.no_instance:  # an old server without the v2 endpoint
        raise Refusal(Reply(404, {"error": "Record not found"}), "no /api/v2/instance (--no-instance)")
    return Reply(200, {
        "domain": args.domain, "title": "Herald test instance", "version": "4.3.0",
        "source_url": "https://github.com/mastodon/mastodon", "usage": {"users": {"active_month": 1}},
        "configuration": {
            "urls": {"streaming": "wss://" + args.domain},
            "accounts": {"max_featured_tags": 10},
            "statuses": {"max_characters": args.max_characters, "max_media_attachments": 4,
                         "characters_reserved_per_url": MASTODON_URL_LENGTH},
            "media_attachments": {"image_size_limit": 16777216},
            "polls": {"max_options": 4, "max_characters_per_option": 50},
        },
        "registrations": {"enabled": False},
    })


def mastodon_status_json(post):
    paragraphs = post["text"].split("\n\n")
    content = "".join("<p>%s</p>" % html.escape(p).replace("\n", "<br />") for p in paragraphs)
    return {
        "id": post["id"], "created_at": post["created_at"], "in_reply_to_id": post["reply_to"],
        "in_reply_to_account_id": "1" if post["reply_to"] else None, "sensitive": post["sensitive"],
        "spoiler_text": post["spoiler_text"], "visibility": post["visibility"], "language": post["language"],
        "uri": "https://%s/users/herald/statuses/%s" % (args.domain, post["id"]),
        "url": "https://%s/@herald/%s" % (args.domain, post["id"]),
        "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "content": content,
        "account": {"id": "1", "username": "herald", "acct": "herald", "url": "https://%s/@herald" % args.domain},
        "media_attachments": [], "mentions": [], "tags": [], "emojis": [], "card": None, "poll": None,
        "application": {"name": "Herald", "website": None},
    }


def mastodon_statuses(request, entry):
    global mastodon_sequence
    authorization = request.headers.get("Authorization") or ""
    if authorization != "Bearer " + args.token:
        raise Refusal(Reply(401, {"error": "The access token is invalid"}),
                      "missing Authorization" if not authorization else "wrong bearer token")
    window = mastodon_windows.setdefault(args.token, Window(300, 300))
    allowed = window.take()
    headers = mastodon_headers(window)
    if not allowed:
        raise Refusal(Reply(429, {"error": "Too many requests"}, headers), "over 300 requests in 5 minutes")
    try:
        params = mastodon_params(request)
    except Refusal as refusal:
        refusal.reply.headers += headers
        raise

    def refuse(status, message, why=None):
        raise Refusal(Reply(status, {"error": message}, headers), why or message)

    # The controller looks up the thread before anything else: an unknown parent is a 404.
    reply_to = params.get("in_reply_to_id")
    if reply_to not in (None, ""):
        reply_to = str(reply_to)
        if not any(p["id"] == reply_to for p in posts):
            refuse(404, "Record not found", "in_reply_to_id %s was not issued here" % reply_to)
    else:
        reply_to = None

    # PostStatusService returns the remembered status before validating anything else.
    key = request.headers.get("Idempotency-Key")
    entry["key"] = key
    if key:
        remembered = mastodon_idempotency.get((args.token, key))
        if remembered and time.time() - remembered[1] < 3600:
            post = remembered[0]
            entry.update(id=post["id"], text=params.get("status"), reply_to=post["reply_to"], replayed=True)
            return Reply(200, mastodon_status_json(post), headers)

    status = params.get("status")
    spoiler_text = params.get("spoiler_text") or ""
    entry["text"] = status
    if not isinstance(status, str) or not status.strip():
        refuse(422, "Validation failed: Text can't be blank")
    if not isinstance(spoiler_text, str):
        refuse(422, "Validation failed: Spoiler text is invalid")
    visibility = params.get("visibility") or "public"
    if visibility not in MASTODON_VISIBILITIES:
        refuse(422, "Validation failed: Visibility is not included in the list", "visibility %r" % visibility)
    length = mastodon_length(status, spoiler_text)
    entry["length"] = length
    if length > args.max_characters:
        refuse(422, "Validation failed: Text character limit of %d exceeded" % args.max_characters,
               "counted %d > %d" % (length, args.max_characters))

    mastodon_sequence += 1
    post = {"id": str((int(time.time() * 1000) << 16) | (mastodon_sequence & 0xFFFF)), "text": status,
            "reply_to": reply_to, "root": None, "key": key, "facets": None, "created_at": iso_now(),
            "visibility": visibility, "spoiler_text": spoiler_text, "language": params.get("language"),
            "sensitive": str(params.get("sensitive")).lower() in ("true", "1")}
    posts.append(post)
    if key:
        mastodon_idempotency[(args.token, key)] = (post, time.time())
    entry.update(created=True, id=post["id"], text=status, reply_to=reply_to, replayed=False)
    return Reply(200, mastodon_status_json(post), headers)


def mastodon_rate_limited(seconds):
    window = mastodon_windows.setdefault(args.token, Window(300, 300))
    reset = datetime.datetime.fromtimestamp(time.time() + seconds, datetime.timezone.utc)
    return Reply(429, {"error": "Too many requests"}, [
        ("X-RateLimit-Limit", str(window.limit)), ("X-RateLimit-Remaining", "0"),
        ("X-RateLimit-Reset", reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))])


# ---------------------------------------------------------------------------------------------------
# Bluesky (AT Protocol PDS)
# ---------------------------------------------------------------------------------------------------

POST_COLLECTION = "app.bsky.feed.post"
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
REFRESH_TTL = 90 * 24 * 3600  # PDS default refresh lifetime
jwt_key = secrets.token_bytes(32)  # tokens are real HS256 JWTs, signed with a key only this process knows
refresh_ids = set()  # jti of every refresh token still valid; refreshing revokes the old one
login_attempts = collections.deque()  # times of createSession calls (30 per 5 min, keyed by identifier+IP)
write_window = Window(5000, 3600)  # repo writes: 5000 points per hour, a create costs 3
records = {}  # rkey -> post
last_tid = 0


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(claims, kind):
    header = b64url(json.dumps({"typ": kind, "alg": "HS256"}).encode())
    payload = b64url(json.dumps(claims).encode())
    signature = hmac.new(jwt_key, ("%s.%s" % (header, payload)).encode(), hashlib.sha256).digest()
    return "%s.%s.%s" % (header, payload, b64url(signature))


def read_jwt(token):
    """The claims of a token this server signed, or None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    expected = hmac.new(jwt_key, ("%s.%s" % (parts[0], parts[1])).encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(b64url(expected), parts[2]):
            return None
        return json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return None


def session(host):
    now = int(time.time())
    jti = secrets.token_urlsafe(24)
    refresh_ids.add(jti)
    # exp is whole seconds (JWT NumericDate), rounded up: a token lives at least --access-ttl seconds.
    access = make_jwt({"scope": "com.atproto.access", "sub": args.did, "aud": "did:web:" + host.split(":")[0],
                       "iat": now, "exp": int(math.ceil(time.time() + args.access_ttl))}, "at+jwt")
    refresh = make_jwt({"scope": "com.atproto.refresh", "sub": args.did, "aud": "did:web:" + host.split(":")[0],
                        "jti": jti, "iat": now, "exp": now + REFRESH_TTL}, "refresh+jwt")
    return {"accessJwt": access, "refreshJwt": refresh, "handle": args.handle, "did": args.did,
            "didDoc": {"@context": ["https://www.w3.org/ns/did/v1"], "id": args.did,
                       "alsoKnownAs": ["at://" + args.handle],
                       "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
                                    "serviceEndpoint": "http://" + host}]},
            "active": True}


def xrpc_error(status, name, message, headers=()):
    return Refusal(Reply(status, {"error": name, "message": message}, headers), "%s: %s" % (name, message))


def bearer(request, scope, step, missing_status):
    """The claims of the presented token, refused as the PDS refuses them."""
    authorization = request.headers.get("Authorization")
    if not authorization:
        raise xrpc_error(401, "AuthMissing", "Authentication Required")
    if not authorization.startswith("Bearer "):
        raise xrpc_error(401, "InvalidToken", "Unexpected authorization type")
    claims = read_jwt(authorization[7:].strip())
    if claims is None:
        raise xrpc_error(missing_status, "InvalidToken", "Token could not be verified")
    if claims.get("scope") != scope:
        raise xrpc_error(400, "InvalidToken", "Bad token scope" if scope.endswith("access") else "Invalid token type")
    if step == "expire" or claims.get("exp", 0) <= time.time():
        raise xrpc_error(400, "ExpiredToken", "Token has expired")
    return claims


def login_window_headers():
    reset = (login_attempts[0] if login_attempts else time.time()) + 300
    return [("RateLimit-Limit", str(args.max_logins)),
            ("RateLimit-Remaining", str(max(0, args.max_logins - len(login_attempts)))),
            ("RateLimit-Reset", str(int(math.ceil(reset)))), ("RateLimit-Policy", "%d;w=300" % args.max_logins)]


def bluesky_create_session(request, entry):
    now = time.time()
    while login_attempts and login_attempts[0] <= now - 300:
        login_attempts.popleft()
    login_attempts.append(now)
    entry["logins"] = len(login_attempts)
    headers = login_window_headers()
    if len(login_attempts) > args.max_logins:
        retry = int(math.ceil(login_attempts[0] + 300 - now))
        raise xrpc_error(429, "RateLimitExceeded", "Rate Limit Exceeded", headers + [("Retry-After", str(retry))])
    body = request.json_object(lambda why: xrpc_error(400, "InvalidRequest", why, headers))
    identifier, password = body.get("identifier"), body.get("password")
    if not isinstance(identifier, str) or not isinstance(password, str):
        raise xrpc_error(400, "InvalidRequest", "Input must have the properties \"identifier\" and \"password\"", headers)
    if identifier.lower() not in (args.handle.lower(), args.did) or password != args.app_password:
        raise xrpc_error(401, "AuthenticationRequired", "Invalid identifier or password", headers)
    return Reply(200, session(request.host), headers)


def bluesky_refresh_session(request, entry):
    claims = bearer(request, "com.atproto.refresh", request.step, 400)
    if claims.get("jti") not in refresh_ids:
        raise xrpc_error(400, "InvalidToken", "Token has been revoked")
    refresh_ids.discard(claims["jti"])
    return Reply(200, session(request.host))


def next_tid():
    """A TID: microseconds since the epoch << 10 | clock id, in base32-sortable, strictly increasing."""
    global last_tid
    value = max(int(time.time() * 1_000_000) << 10 | 7, last_tid + 1)
    last_tid = value
    return "".join(TID_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def record_cid(value):
    """CIDv1, dag-cbor, sha2-256, base32: the CID a PDS gives this record (`bafyrei…`)."""
    digest = hashlib.sha256(libipld.encode_dag_cbor(value)).digest()
    raw = bytes([0x01, 0x71, 0x12, 0x20]) + digest
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


class _StrictInfo:
    """Stands in for pydantic's ValidationInfo so the SDK's format validators run in strict mode."""
    context = {"strict_string_format": True}


def check_format(validator, value, what):
    """One of the SDK's string-format validators (TID, record key, DID), as a 400 InvalidRequest."""
    try:
        validator(value, _StrictInfo())
    except ValueError as error:
        raise xrpc_error(400, "InvalidRequest", "%s: %s" % (what, error))


def check_post_record(record):
    """What the PDS checks against the app.bsky.feed.post lexicon (via the SDK's models), plus the
    limits the SDK's models leave out: graphemes, UTF-8 bytes, facet byte ranges, link and tag shapes."""
    if not isinstance(record, dict):
        raise xrpc_error(400, "InvalidRequest", "Input/record must be an object")
    if record.get("$type") != POST_COLLECTION:
        raise xrpc_error(400, "InvalidRequest", "Invalid $type: expected %s, got %r" % (POST_COLLECTION, record.get("$type")))
    try:
        atproto_models.get_or_create(record, atproto_models.AppBskyFeedPost.Record, strict=True, strict_string_format=True)
    except Exception as error:  # ModelError (pydantic ValidationError inside): its first line names the field
        detail = " ".join(str(error).split("\n")[:3])
        raise xrpc_error(400, "InvalidRequest", "Invalid app.bsky.feed.post record: " + detail)
    created_at = record["createdAt"]
    # RFC 3339 as the lexicon's datetime format wants it: full date, time with seconds, zone Z or ±hh:mm.
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", created_at):
        raise xrpc_error(400, "InvalidRequest", "Record/createdAt must be an valid atproto datetime (RFC 3339)")
    text = record["text"]
    data = text.encode("utf-8")
    if grapheme.length(text) > 300:
        raise xrpc_error(400, "InvalidRequest", "Record/text must not be longer than 300 graphemes (%d)" % grapheme.length(text))
    if len(data) > 3000:
        raise xrpc_error(400, "InvalidRequest", "Record/text must not be longer than 3000 characters (%d bytes)" % len(data))

    def boundary(offset):  # a UTF-8 continuation byte is 10xxxxxx: no character starts there
        return offset == len(data) or (data[offset] & 0xC0) != 0x80

    for number, facet in enumerate(record.get("facets") or []):
        where = "Record/facets/%d" % number
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        if not 0 <= start < end <= len(data):
            raise xrpc_error(400, "InvalidRequest", "%s: byte range %d..<%d outside 0..<%d" % (where, start, end, len(data)))
        if not boundary(start) or not boundary(end):
            raise xrpc_error(400, "InvalidRequest", "%s: byte range %d..<%d splits a UTF-8 character" % (where, start, end))
        if not facet["features"]:
            raise xrpc_error(400, "InvalidRequest", where + "/features must not be empty")
        for feature in facet["features"]:
            kind = feature.get("$type")
            if kind == "app.bsky.richtext.facet#link":
                parts = urlsplit(feature["uri"])
                if parts.scheme not in ("http", "https") or not parts.netloc:
                    raise xrpc_error(400, "InvalidRequest", "%s: link uri %r is not a full http(s) URL" % (where, feature["uri"]))
            elif kind == "app.bsky.richtext.facet#tag":
                tag = feature["tag"]
                if tag.startswith("#") or not tag or grapheme.length(tag) > 64 or len(tag.encode()) > 640:
                    raise xrpc_error(400, "InvalidRequest", "%s: tag %r must be 1-64 graphemes without '#'" % (where, tag))
                if data[start:end].decode("utf-8") != "#" + tag:
                    raise xrpc_error(400, "InvalidRequest", "%s: tag %r does not match its text %r" % (where, tag, data[start:end].decode()))
            elif kind == "app.bsky.richtext.facet#mention":
                check_format(atproto_formats.validate_did, feature["did"], where + " mention did")
            else:
                # The lexicon's union is open, but Herald writes only links and tags (mentions at most):
                # anything else is a bug no client would render.
                raise xrpc_error(400, "InvalidRequest", "%s: unexpected feature $type %r" % (where, kind))
    return text


def bluesky_reply_refs(record):
    """(parent post, root post) of a reply, both created here with matching uri and cid; or (None, None)."""
    reply = record.get("reply")
    if reply is None:
        return None, None

    def find(ref, name):
        post = next((p for p in posts if p["id"] == ref["uri"]), None)
        if post is None:
            raise xrpc_error(400, "InvalidRequest", "reply.%s %s is not a record of this repo" % (name, ref["uri"]))
        if post["cid"] != ref["cid"]:
            raise xrpc_error(400, "InvalidRequest", "reply.%s cid %s is not the cid of %s" % (name, ref["cid"], ref["uri"]))
        return post

    parent, root = find(reply["parent"], "parent"), find(reply["root"], "root")
    expected_root = parent["root"] or parent["id"]  # the parent's own root, or the parent when it starts the thread
    if root["id"] != expected_root:
        raise xrpc_error(400, "InvalidRequest", "reply.root %s is not the root of the parent's thread (%s)" % (root["id"], expected_root))
    return parent, root


def bluesky_write_headers():
    return [("RateLimit-Limit", str(write_window.limit)), ("RateLimit-Remaining", str(write_window.remaining)),
            ("RateLimit-Reset", str(int(math.ceil(write_window.reset)))), ("RateLimit-Policy", "5000;w=3600")]


def bluesky_create_record(request, entry):
    allowed = write_window.take(3)
    headers = bluesky_write_headers()
    try:
        if not allowed:
            raise xrpc_error(429, "RateLimitExceeded", "Rate Limit Exceeded",
                             [("Retry-After", str(int(math.ceil(write_window.reset - time.time()))))])
        claims = bearer(request, "com.atproto.access", request.step, 401)
        body = request.json_object(lambda why: xrpc_error(400, "InvalidRequest", why))
        if body.get("repo") not in (args.handle, args.did) or claims["sub"] != args.did:
            raise xrpc_error(400, "InvalidRequest", "Could not find repo: %s" % body.get("repo"))
        if body.get("collection") != POST_COLLECTION:
            raise xrpc_error(400, "InvalidRequest", "this server only takes %s records, not %r" % (POST_COLLECTION, body.get("collection")))
        rkey = body.get("rkey")
        entry["key"] = rkey
        if rkey is not None:
            if not isinstance(rkey, str):
                raise xrpc_error(400, "InvalidRequest", "Input/rkey must be a string")
            check_format(atproto_formats.validate_record_key, rkey, "Input/rkey")
            # app.bsky.feed.post's lexicon says key "tid"
            check_format(atproto_formats.validate_tid, rkey, "Input/rkey for %s" % POST_COLLECTION)
            if rkey in records:
                raise xrpc_error(400, "InvalidRequest", "Record already exists")
        record = body.get("record")
        text = check_post_record(record)
        parent, root = bluesky_reply_refs(record)
        try:
            cid = record_cid(record)
        except Exception as error:  # floats and the like: not representable in a repo
            raise xrpc_error(400, "InvalidRequest", "record cannot be encoded as dag-cbor: %s" % error)
    except Refusal as refusal:
        refusal.reply.headers += headers
        raise

    rkey = rkey or next_tid()
    uri = "at://%s/%s/%s" % (args.did, POST_COLLECTION, rkey)
    post = {"id": uri, "cid": cid, "rkey": rkey, "text": text, "reply_to": parent["id"] if parent else None,
            "root": root["id"] if root else None, "key": body.get("rkey"), "facets": record.get("facets"),
            "value": record, "created_at": record["createdAt"]}
    posts.append(post)
    records[rkey] = post
    entry.update(created=True, id=uri, cid=cid, rkey=rkey, text=text, reply_to=post["reply_to"], root=post["root"],
                 facets=post["facets"], replayed=False)
    commit = {"cid": record_cid({"record": cid, "rev": rkey}), "rev": next_tid()}
    return Reply(200, {"uri": uri, "cid": cid, "commit": commit, "validationStatus": "valid"}, headers)


def bluesky_get_record(request, entry):
    query = parse_qs(request.query)
    repo, collection, rkey = (query.get(name, [None])[0] for name in ("repo", "collection", "rkey"))
    if not repo or not collection or not rkey:
        raise xrpc_error(400, "InvalidRequest", "repo, collection and rkey are required")
    uri = "at://%s/%s/%s" % (repo, collection, rkey)
    post = records.get(rkey)
    if repo not in (args.handle, args.did) or collection != POST_COLLECTION or post is None:
        raise xrpc_error(400, "RecordNotFound", "Could not locate record: " + uri)
    return Reply(200, {"uri": post["id"], "cid": post["cid"], "value": post["value"]})


def bluesky_rate_limited(seconds):
    reset = int(math.ceil(time.time() + seconds))
    return Reply(429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, [
        ("RateLimit-Limit", str(write_window.limit)), ("RateLimit-Remaining", "0"), ("RateLimit-Reset", str(reset)),
        ("RateLimit-Policy", "5000;w=3600"), ("Retry-After", str(int(math.ceil(seconds))))])


# ---------------------------------------------------------------------------------------------------
# X (API v2, OAuth 1.0a user context)
# ---------------------------------------------------------------------------------------------------

X_FIELDS = {"text", "reply", "reply_settings", "quote_tweet_id", "media", "poll", "nullcast", "for_super_followers_only",
            "geo", "card_uri", "community_id", "share_with_followers", "direct_message_deep_link", "edit_options"}
X_REPLY_FIELDS = {"in_reply_to_tweet_id", "exclude_reply_user_ids", "auto_populate_reply_metadata"}
X_EXCLUSIVE = ["media", "poll", "quote_tweet_id", "card_uri", "direct_message_deep_link"]
X_ID = re.compile(r"[0-9]{1,19}")
X_EPOCH_MS = 1288834974657  # the Snowflake epoch: ids are (ms since it) << 22 | worker | sequence
tweet_window = Window(200, 900)  # 200 per 15 min per user
used_nonces = set()
tweet_sequence = 0


def problem(status, title, detail, kind="about:blank", headers=(), **extra):
    body = dict({"title": title, "type": kind, "status": status, "detail": detail}, **extra)
    return Reply(status, body, headers, content_type="application/problem+json")


def x_headers():
    return [("x-rate-limit-limit", str(tweet_window.limit)), ("x-rate-limit-remaining", str(tweet_window.remaining)),
            ("x-rate-limit-reset", str(int(math.ceil(tweet_window.reset))))]


def x_check_oauth(request):
    """Verifies the OAuth 1.0a header the way a resource server does, with oauthlib's signature code."""
    def refuse(why):
        raise Refusal(problem(401, "Unauthorized", "Unauthorized: " + why), why)

    authorization = request.headers.get("Authorization") or ""
    if not authorization.startswith("OAuth "):
        refuse("no OAuth Authorization header")
    try:
        params = oauth_signature.collect_parameters(uri_query=request.query, headers={"Authorization": authorization},
                                                    exclude_oauth_signature=False)
    except ValueError as error:
        refuse("malformed Authorization header (%s)" % error)
    oauth = {}
    for name, value in params:
        if name.startswith("oauth_"):
            if name in oauth:
                refuse("duplicate %s" % name)
            oauth[name] = value
    for name in ("oauth_consumer_key", "oauth_nonce", "oauth_signature", "oauth_signature_method", "oauth_timestamp", "oauth_token"):
        if not oauth.get(name):
            refuse("missing " + name)
    if oauth["oauth_signature_method"] != "HMAC-SHA1":
        refuse("oauth_signature_method %r, not HMAC-SHA1" % oauth["oauth_signature_method"])
    if oauth.get("oauth_version", "1.0") != "1.0":
        refuse("oauth_version %r" % oauth["oauth_version"])
    if oauth["oauth_consumer_key"] != args.consumer_key:
        refuse("unknown consumer key")
    if oauth["oauth_token"] != args.access_token:
        refuse("unknown access token")
    if not oauth["oauth_timestamp"].isdigit() or abs(int(oauth["oauth_timestamp"]) - time.time()) > 300:
        refuse("oauth_timestamp %s is more than 300 s off" % oauth["oauth_timestamp"])
    # The base string from the URL the client used: scheme + Host + path (the JSON body is not signed).
    url = "http://%s%s" % (request.host, request.path)
    base = oauth_signature.signature_base_string(
        request.command, oauth_signature.base_string_uri(url),
        oauth_signature.normalize_parameters([(k, v) for k, v in params if k != "oauth_signature"]))
    expected = oauth_signature.sign_hmac_sha1(base, args.consumer_secret, args.access_secret)
    if not oauth_signature.safe_string_equals(expected, oauth["oauth_signature"]):
        refuse("signature mismatch (base string %s)" % base)
    # The body-hash extension (oauth_body_hash, which oauthlib adds for non-form bodies) is signed like any
    # oauth_ parameter; when a client sends one it must match the body, or the body was not what it signed.
    body_hash = oauth.get("oauth_body_hash")
    if body_hash is not None and body_hash != base64.b64encode(hashlib.sha1(request.body).digest()).decode():
        refuse("oauth_body_hash does not match the body")
    nonce = (oauth["oauth_consumer_key"], oauth["oauth_token"], oauth["oauth_nonce"])
    if nonce in used_nonces:
        refuse("oauth_nonce %s was already used" % oauth["oauth_nonce"])
    used_nonces.add(nonce)


def x_invalid(message, parameters=None):
    return Refusal(problem(400, "Invalid Request", "One or more parameters to your request was invalid.",
                           "https://api.twitter.com/2/problems/invalid-request",
                           errors=[{"parameters": parameters or {}, "message": message}]), message)


def x_check_body(body):
    """TweetCreateRequest from X's OpenAPI: additionalProperties false, typed fields, exclusive groups."""
    unknown = sorted(set(body) - X_FIELDS)
    if unknown:
        raise x_invalid("$.%s: is not defined in the schema and the schema does not allow additional properties" % unknown[0])
    if "text" not in body:
        raise x_invalid("$.text: is missing but it is required")
    if not isinstance(body["text"], str):
        raise x_invalid("$.text: string found, %s expected" % type(body["text"]).__name__)
    for name in ("nullcast", "for_super_followers_only", "share_with_followers"):
        if name in body and not isinstance(body[name], bool):
            raise x_invalid("$.%s: boolean expected" % name)
    for name in ("quote_tweet_id", "card_uri", "community_id", "direct_message_deep_link"):
        if name in body and not isinstance(body[name], str):
            raise x_invalid("$.%s: string expected" % name)
    for name in ("media", "poll", "geo", "edit_options"):
        if name in body and not isinstance(body[name], dict):
            raise x_invalid("$.%s: object expected" % name)
    if "reply_settings" in body and body["reply_settings"] not in ("following", "mentionedUsers", "subscribers", "verified"):
        raise x_invalid("$.reply_settings: does not have a value in the enumeration", {"reply_settings": [body["reply_settings"]]})
    present = [name for name in X_EXCLUSIVE if name in body]
    if len(present) > 1:
        raise x_invalid("%s are mutually exclusive" % " and ".join(present))
    reply = body.get("reply")
    if reply is None:
        return None
    if not isinstance(reply, dict):
        raise x_invalid("$.reply: object expected")
    unknown = sorted(set(reply) - X_REPLY_FIELDS)
    if unknown:
        raise x_invalid("$.reply.%s: is not defined in the schema and the schema does not allow additional properties" % unknown[0])
    target = reply.get("in_reply_to_tweet_id")
    if not isinstance(target, str) or not X_ID.fullmatch(target):
        raise x_invalid("$.reply.in_reply_to_tweet_id: does not match the regex pattern ^[0-9]{1,19}$",
                        {"reply.in_reply_to_tweet_id": [str(target)]})
    return target


def x_tweets(request, entry):
    global tweet_sequence
    try:
        x_check_oauth(request)
        if not tweet_window.take():
            raise Refusal(problem(429, "Too Many Requests", "Too Many Requests"), "over 200 posts in 15 minutes")
        if request.content_type != "application/json":
            raise Refusal(problem(415, "Unsupported Media Type", "Content-Type must be application/json"),
                          "Content-Type %r" % request.content_type)
        body = request.json_object(lambda why: x_invalid(why))
        target = x_check_body(body)
        text = body["text"]
        entry["text"] = text
        parsed = twitter_text.parse_tweet(text)
        entry["length"] = parsed.weightedLength
        if parsed.weightedLength > 280:
            raise Refusal(problem(403, "Forbidden", "Your Tweet text is too long. For more information on how Twitter "
                                  "determines text length see https://github.com/twitter/twitter-text."),
                          "weighted length %d > 280" % parsed.weightedLength)
        if not parsed.valid:
            raise x_invalid("$.text: is empty or has invalid characters")
        if target is not None and not any(p["id"] == target for p in posts):
            raise Refusal(problem(400, "Invalid Request", "You attempted to reply to a Tweet that is deleted or not visible to you.",
                                  "https://api.twitter.com/2/problems/invalid-request"), "reply to unknown id %s" % target)
        if any(p["text"] == text for p in posts):
            raise Refusal(problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content."),
                          "duplicate text")
    except Refusal as refusal:
        refusal.reply.headers += x_headers()
        raise

    tweet_sequence += 1
    tweet_id = str((int(time.time() * 1000) - X_EPOCH_MS) << 22 | (1 << 12) | (tweet_sequence & 0xFFF))
    post = {"id": tweet_id, "text": text, "reply_to": target, "root": None, "key": None, "facets": None,
            "created_at": iso_now()}
    posts.append(post)
    entry.update(created=True, id=tweet_id, reply_to=target, replayed=False)
    return Reply(201, {"data": {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}}, x_headers())


def x_rate_limited(seconds):
    return problem(429, "Too Many Requests", "Too Many Requests", headers=[
        ("x-rate-limit-limit", str(tweet_window.limit)), ("x-rate-limit-remaining", "0"),
        ("x-rate-limit-reset", str(int(math.ceil(time.time() + seconds))))])


# ---------------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------------

ROUTES = {
    "mastodon": {("GET", "/api/v2/instance"): mastodon_instance, ("POST", "/api/v1/statuses"): mastodon_statuses},
    "bluesky": {("POST", "/xrpc/com.atproto.server.createSession"): bluesky_create_session,
                ("POST", "/xrpc/com.atproto.server.refreshSession"): bluesky_refresh_session,
                ("POST", "/xrpc/com.atproto.repo.createRecord"): bluesky_create_record,
                ("GET", "/xrpc/com.atproto.repo.getRecord"): bluesky_get_record},
    "x": {("POST", "/2/tweets"): x_tweets},
}[args.service]

RATE_LIMITED = {"mastodon": (mastodon_rate_limited, 1), "bluesky": (bluesky_rate_limited, 1),
                "x": (x_rate_limited, 2)}[args.service]


def planned_failure(status):
    """An answer for a planned status, in the service's own error shape."""
    phrase = http.HTTPStatus(status).phrase
    if args.service == "mastodon":
        return Reply(status, {"error": phrase})
    if args.service == "bluesky":
        names = {500: "InternalServerError", 501: "MethodNotImplemented", 502: "UpstreamFailure",
                 503: "NotEnoughResources", 504: "UpstreamTimeout"}
        return Reply(status, {"error": names.get(status, phrase.replace(" ", "")), "message": phrase})
    return problem(status, phrase, phrase)


def not_found(method, path):
    if args.service == "bluesky":
        return Reply(501, {"error": "MethodNotImplemented", "message": "Method Not Implemented"})
    if args.service == "x":
        return problem(404, "Not Found Error", "%s %s is not served here" % (method, path))
    return Reply(404, {"error": "Record not found"})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    # Conveniences the service handlers use.
    @property
    def host(self):
        return self.headers.get("Host") or "127.0.0.1:%d" % self.server.server_address[1]

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def json_object(self, refusal):
        try:
            document = json.loads(self.body)
        except ValueError as error:
            raise refusal("body is not JSON (%s)" % error)
        if not isinstance(document, dict):
            raise refusal("body is not a JSON object")
        return document

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers, then the blank line
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def send(self, reply):
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def do_GET(self):
        self.handle_request("GET")

    def do_POST(self):
        self.handle_request("POST")

    def do_PUT(self):
        self.handle_request("PUT")

    def do_DELETE(self):
        self.handle_request("DELETE")

    def handle_request(self, method):
        parts = urlsplit(self.path)
        self.path, self.query = parts.path, parts.query
        self.body = self.read_body()
        if method == "GET" and self.path == "/_herald/posts":  # for the tests' eyes; not part of the service
            with lock:
                listing = [{k: v for k, v in p.items() if k != "value"} for p in posts]
            return self.send(Reply(200, listing))

        with lock:
            self.step = next_step(self.path)
            if self.step == "ok":
                self.step = None
            entry = {"t": time.time(), "service": args.service, "method": method, "path": self.path,
                     "status": None, "step": self.step, "error": None}
            if self.step == "reset":
                entry.update(status="reset", error="planned reset")
                record(entry)
                # SO_LINGER 0: close() sends RST, so the client sees a reset, not a clean end.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return
            if self.step and self.step.startswith("429"):
                function, default = RATE_LIMITED
                reply = function(float(self.step[4:]) if ":" in self.step else default)
                entry["error"] = "planned rate limit"
            elif self.step and self.step.isdigit():
                reply = planned_failure(int(self.step))
                entry["error"] = "planned %s" % self.step
            else:
                route = ROUTES.get((method, self.path))
                try:
                    if route is None:
                        raise Refusal(not_found(method, self.path), "no route %s %s" % (method, self.path))
                    reply = route(self, entry)
                except Refusal as refusal:
                    reply = refusal.reply
                    entry["error"] = str(refusal)
            entry["status"] = "lost" if self.step == "lost" else reply.status
            record(entry)  # before answering: once the client has its answer, the log has the line
        if self.step == "lost":
            # The work is done, but the client never hears: close without a byte of answer.
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send(reply)


loopback.serve(Handler, backlog=128)
