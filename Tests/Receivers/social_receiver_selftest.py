#!/usr/bin/env python3
"""Self-test for social_receiver.py: starts it for each service and talks to it with real clients
(the atproto SDK's Client and TextBuilder, oauthlib's OAuth 1 Client) and hand-built requests, proving
that it accepts what the real services accept and refuses what they refuse, and that every plan step
does what it says.

    python3 Tests/Receivers/social_receiver_selftest.py [-v] [unittest args]

Needs: python3 -m pip install twitter-text-parser oauthlib atproto grapheme
"""
import base64, calendar, http.client, json, os, re, subprocess, sys, tempfile, time, unittest, urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "social_receiver.py")

MASTODON_TOKEN = "hZ4vQeLx0m3N7sKpT2wYcR8uJf6DgA1bEiHoVtWq5Xy"
HANDLE, PASSWORD, DID = "herald.test", "abcd-efgh-ijkl-mnop", "did:plc:hrld4test7q2xk5m3zv6wa2yb"
X_KEYS = dict(client_key="cSQyyj4fZrfD4oq6XvGaUjvwd", client_secret="gpPodU4hesvtW0oaBgMVYvtg4SjqkgGwWhujEw5kUriNXzLQig",
              resource_owner_key="1790000000000000042-ViTtDurFQNtcE41KJ6XIycrLevzatw",
              resource_owner_secret="9v2TvXIdokvOfAFFvcNLrEiJRj5pkKKsh5ZoIfPI0MEOh")
ISO_MICROS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


class Receiver:
    """One social_receiver.py process; closing its stdin ends it."""

    def __init__(self, service, plan=None, *options):
        self.log_path = tempfile.mktemp(prefix="social-%s-" % service, suffix=".jsonl")
        self.process = subprocess.Popen(
            [sys.executable, SCRIPT, "--service", service, "--log", self.log_path, "--plan", json.dumps(plan or {}),
             *options], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError("receiver did not start: %r %s" % (line, self.process.stderr.read()))
        self.port = int(line.split()[1])
        self.base = "http://127.0.0.1:%d" % self.port

    def close(self):
        self.process.stdin.close()
        self.process.wait(10)
        self.process.stdout.close()
        self.process.stderr.close()
        os.unlink(self.log_path)

    def request(self, method, path, body=None, headers=None):
        """(status, headers, parsed body); raises for a connection that ends without an answer."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
                headers = dict({"Content-Type": "application/json"}, **(headers or {}))
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            parsed = json.loads(data) if data else None
            return response.status, response.headers, parsed
        finally:
            connection.close()

    def log(self):
        with open(self.log_path) as file:
            return [json.loads(line) for line in file]

    def posts(self):
        return self.request("GET", "/_herald/posts")[2]


class ReceiverCase(unittest.TestCase):
    def start(self, service, plan=None, *options):
        receiver = Receiver(service, plan, *options)
        self.addCleanup(receiver.close)
        return receiver

    def assertLost(self, receiver, method, path, body=None, headers=None):
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionResetError)):
            receiver.request(method, path, body, headers)

    def assertReset(self, receiver, method, path, body=None, headers=None):
        with self.assertRaises(ConnectionResetError):
            receiver.request(method, path, body, headers)


# ---------------------------------------------------------------------------------------------------

class MastodonTests(ReceiverCase):
    AUTH = {"Authorization": "Bearer " + MASTODON_TOKEN}

    def post(self, receiver, fields, headers=None, form=False):
        headers = dict(self.AUTH, **(headers or {}))
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            return receiver.request("POST", "/api/v1/statuses", urllib.parse.urlencode(fields).encode(), headers)
        return receiver.request("POST", "/api/v1/statuses", fields, headers)

    def test_instance_publishes_limits(self):
        receiver = self.start("mastodon", None, "--max-characters", "1000")
        status, _, body = receiver.request("GET", "/api/v2/instance")
        self.assertEqual(status, 200)
        self.assertEqual(body["configuration"]["statuses"]["max_characters"], 1000)
        self.assertEqual(body["configuration"]["statuses"]["characters_reserved_per_url"], 23)
        old = self.start("mastodon", None, "--no-instance")
        self.assertEqual(old.request("GET", "/api/v2/instance")[0], 404)

    def test_json_form_and_multipart_posts_make_a_thread(self):
        receiver = self.start("mastodon")
        status, headers, first = self.post(receiver, {"status": "Digest ✨ part 1", "visibility": "public"})
        self.assertEqual(status, 200, first)
        self.assertRegex(first["id"], r"^\d+$")
        self.assertTrue(first["url"].endswith(first["id"]))
        self.assertIsNone(first["in_reply_to_id"])
        self.assertIn("Digest ✨ part 1", first["content"])
        self.assertEqual(headers["X-RateLimit-Limit"], "300")
        self.assertEqual(headers["X-RateLimit-Remaining"], "299")
        self.assertRegex(headers["X-RateLimit-Reset"], ISO_MICROS)
        status, _, second = self.post(receiver, {"status": "part 2", "in_reply_to_id": first["id"],
                                                 "visibility": "unlisted"}, form=True)
        self.assertEqual((status, second["in_reply_to_id"]), (200, first["id"]))
        boundary = "heraldboundary"
        multipart = ("--{b}\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\npart 3 – é\r\n"
                     "--{b}\r\nContent-Disposition: form-data; name=\"in_reply_to_id\"\r\n\r\n{id}\r\n--{b}--\r\n"
                     ).format(b=boundary, id=second["id"]).encode()
        status, _, third = receiver.request("POST", "/api/v1/statuses", multipart, dict(
            self.AUTH, **{"Content-Type": "multipart/form-data; boundary=" + boundary}))
        self.assertEqual((status, third["in_reply_to_id"]), (200, second["id"]), third)
        posts = receiver.posts()
        self.assertEqual([p["text"] for p in posts], ["Digest ✨ part 1", "part 2", "part 3 – é"])
        self.assertEqual([p["reply_to"] for p in posts], [None, first["id"], second["id"]])

    def test_refuses_bad_tokens(self):
        receiver = self.start("mastodon")
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": MASTODON_TOKEN}):
            status, response_headers, body = receiver.request("POST", "/api/v1/statuses", {"status": "hi"}, headers)
            self.assertEqual((status, body), (401, {"error": "The access token is invalid"}))
            self.assertNotIn("X-RateLimit-Limit", response_headers)
        self.assertEqual(receiver.posts(), [])

    def test_counts_like_mastodon(self):
        receiver = self.start("mastodon")
        self.assertEqual(self.post(receiver, {"status": "a" * 500})[0], 200)
        status, _, body = self.post(receiver, {"status": "b" * 501})
        self.assertEqual((status, body["error"]), (422, "Validation failed: Text character limit of 500 exceeded"))
        # A URL with a scheme counts 23 however long it is; without a scheme it counts in full.
        url = "https://www.example.org/grants/2026/spring-round/award-details-and-evaluation-report?ref=herald"
        self.assertEqual(self.post(receiver, {"status": "c" * 476 + " " + url})[0], 200)
        self.assertEqual(self.post(receiver, {"status": "d" * 476 + " " + url.split("//")[1]})[0], 422)
        # @user@domain counts as @user; graphemes, not code points; the spoiler counts too.
        self.assertEqual(self.post(receiver, {"status": "e" * 493 + " @alice@a-very-long-domain.example.org"})[0], 200)
        self.assertEqual(self.post(receiver, {"status": "👨‍👩‍👧‍👦" * 500})[0], 200)
        self.assertEqual(self.post(receiver, {"status": "f" * 490, "spoiler_text": "CW: eleven"})[0], 200)
        self.assertEqual(self.post(receiver, {"status": "f" * 491, "spoiler_text": "CW: eleven"})[0], 422)
        lengths = [entry.get("length") for entry in receiver.log()]
        self.assertEqual(lengths, [500, 501, 500, 477 + len(url) - len("https://"), 500, 500, 500, 501])
        small = self.start("mastodon", None, "--max-characters", "20")
        self.assertEqual(self.post(small, {"status": "x" * 21})[2]["error"],
                         "Validation failed: Text character limit of 20 exceeded")

    def test_validation_errors(self):
        receiver = self.start("mastodon")
        self.assertEqual(self.post(receiver, {"status": "  "})[:3:2], (422, {"error": "Validation failed: Text can't be blank"}))
        self.assertEqual(self.post(receiver, {})[0], 422)
        self.assertEqual(self.post(receiver, {"status": "hi", "visibility": "everyone"})[0], 422)
        status, _, body = self.post(receiver, {"status": "hi", "in_reply_to_id": "109999999999999999"})
        self.assertEqual((status, body), (404, {"error": "Record not found"}))
        self.assertEqual(receiver.posts(), [])
        self.assertTrue(all(entry["error"] for entry in receiver.log()))

    def test_idempotency_key_replays(self):
        receiver = self.start("mastodon")
        key = {"Idempotency-Key": "herald-k1-0"}
        status, _, first = self.post(receiver, {"status": "once"}, key)
        status2, _, again = self.post(receiver, {"status": "once, retried"}, key)
        self.assertEqual((status, status2, again["id"]), (200, 200, first["id"]))
        other = self.post(receiver, {"status": "once"}, {"Idempotency-Key": "herald-k1-1"})[2]
        self.assertNotEqual(other["id"], first["id"])
        self.assertEqual(len(receiver.posts()), 2)
        log = receiver.log()
        self.assertEqual([(e["key"], e["replayed"], e.get("created")) for e in log],
                         [("herald-k1-0", False, True), ("herald-k1-0", True, None), ("herald-k1-1", False, True)])

    def test_plan_steps(self):
        receiver = self.start("mastodon", {"/api/v1/statuses": ["500", "503", "429", "429:3", "reset", "lost"]})
        key = {"Idempotency-Key": "plan-1"}
        self.assertEqual(self.post(receiver, {"status": "p"}, key)[0], 500)
        self.assertEqual(self.post(receiver, {"status": "p"}, key)[0], 503)
        before = time.time()
        status, headers, _ = self.post(receiver, {"status": "p"}, key)
        self.assertEqual((status, headers["X-RateLimit-Remaining"]), (429, "0"))
        self.assertRegex(headers["X-RateLimit-Reset"], ISO_MICROS)
        reset = calendar.timegm(time.strptime(headers["X-RateLimit-Reset"][:19], "%Y-%m-%dT%H:%M:%S"))
        self.assertTrue(before < reset + 1 <= before + 3, (before, reset))
        status, headers, _ = self.post(receiver, {"status": "p"}, key)
        self.assertEqual(status, 429)
        self.assertEqual(receiver.posts(), [])
        self.assertReset(receiver, "POST", "/api/v1/statuses", {"status": "p"}, dict(self.AUTH, **key))
        self.assertEqual(receiver.posts(), [])
        self.assertLost(receiver, "POST", "/api/v1/statuses", {"status": "p"}, dict(self.AUTH, **key))
        self.assertEqual(len(receiver.posts()), 1, "a lost answer still created the post")
        status, _, replay = self.post(receiver, {"status": "p"}, key)
        self.assertEqual((status, replay["id"]), (200, receiver.posts()[0]["id"]))
        log = receiver.log()
        self.assertEqual([e["step"] for e in log], ["500", "503", "429", "429:3", "reset", "lost", None])
        self.assertEqual([e["status"] for e in log], [500, 503, 429, 429, "reset", "lost", 200])
        self.assertEqual(log[-1]["replayed"], True)


# ---------------------------------------------------------------------------------------------------

class BlueskyTests(ReceiverCase):
    CREATE = "/xrpc/com.atproto.repo.createRecord"

    def login(self, receiver):
        status, headers, body = receiver.request("POST", "/xrpc/com.atproto.server.createSession",
                                                 {"identifier": HANDLE, "password": PASSWORD})
        self.assertEqual(status, 200, body)
        return body

    def create(self, receiver, session, record=None, headers=None, **fields):
        body = dict({"repo": DID, "collection": "app.bsky.feed.post", "record": record}, **fields)
        auth = {"Authorization": "Bearer " + session["accessJwt"]} if session else {}
        return receiver.request("POST", self.CREATE, body, dict(auth, **(headers or {})))

    @staticmethod
    def record(text="Digest", **extra):
        return dict({"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-08-20T09:00:00.000Z"}, **extra)

    def test_sdk_client_posts_a_thread_with_facets(self):
        from atproto import Client, client_utils, models
        receiver = self.start("bluesky")
        client = Client(base_url=receiver.base)
        self.addCleanup(client.request.close)
        client.login(HANDLE, PASSWORD, fetch_bsky_profile=False)
        text = (client_utils.TextBuilder().text("Résumé digest ✨ ").link("gov.uk/government/news", "https://www.gov.uk/government/news")
                .text(" ").tag("#Mutuals", "Mutuals"))
        first = client.send_post(text, profile_identify=HANDLE, langs=["en-GB"])
        self.assertRegex(first.uri, r"^at://%s/app\.bsky\.feed\.post/[2-7a-j][2-7a-z]{12}$" % DID)
        self.assertTrue(first.cid.startswith("bafyrei"))
        parent = models.create_strong_ref(first)
        second = client.send_post("part 2", profile_identify=HANDLE,
                                  reply_to=models.AppBskyFeedPost.ReplyRef(root=parent, parent=parent))
        third = client.send_post("part 3", profile_identify=DID, reply_to=models.AppBskyFeedPost.ReplyRef(
            root=parent, parent=models.create_strong_ref(second)))
        fetched = client.com.atproto.repo.get_record({"repo": HANDLE, "collection": "app.bsky.feed.post",
                                                      "rkey": third.uri.rsplit("/", 1)[1]})
        self.assertEqual((fetched.uri, fetched.cid, fetched.value.text), (third.uri, third.cid, "part 3"))
        posts = receiver.posts()
        self.assertEqual([(p["reply_to"], p["root"]) for p in posts],
                         [(None, None), (first.uri, first.uri), (second.uri, first.uri)])
        self.assertEqual([f["features"][0]["$type"] for f in posts[0]["facets"]],
                         ["app.bsky.richtext.facet#link", "app.bsky.richtext.facet#tag"])
        status, _, body = receiver.request("GET", "/xrpc/com.atproto.repo.getRecord?repo=%s&collection=app.bsky.feed.post&rkey=2222222222222" % DID)
        self.assertEqual((status, body["error"]), (400, "RecordNotFound"))

    def test_sdk_client_refreshes_a_short_lived_session(self):
        from atproto import Client
        receiver = self.start("bluesky", None, "--access-ttl", "60")
        client = Client(base_url=receiver.base)
        self.addCleanup(client.request.close)
        client.login(HANDLE, PASSWORD, fetch_bsky_profile=False)
        # The SDK refreshes 15 minutes before expiry, so with a 60 s token it refreshes before each call.
        client.send_post("after refresh", profile_identify=HANDLE)
        paths = [e["path"].rsplit(".", 1)[1] for e in receiver.log()]
        self.assertEqual(paths, ["createSession", "refreshSession", "createRecord"])
        self.assertTrue(all(e["status"] == 200 for e in receiver.log()))

    def test_sessions_expire_and_refresh(self):
        receiver = self.start("bluesky", None, "--access-ttl", "1")
        session = self.login(receiver)
        for token in (session["accessJwt"], session["refreshJwt"]):
            self.assertEqual(len(token.split(".")), 3)
            header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
            self.assertEqual(header["alg"], "HS256")
        self.assertEqual((session["handle"], session["did"], session["active"]), (HANDLE, DID, True))
        time.sleep(2.1)  # exp is rounded up to a whole second, so a 1 s token lives 1-2 s
        status, _, body = self.create(receiver, session, self.record())
        self.assertEqual((status, body), (400, {"error": "ExpiredToken", "message": "Token has expired"}))
        refresh = "/xrpc/com.atproto.server.refreshSession"
        status, _, body = receiver.request("POST", refresh, headers={"Authorization": "Bearer " + session["accessJwt"]})
        self.assertEqual((status, body["error"]), (400, "InvalidToken"), "an access token cannot refresh")
        status, _, fresh = receiver.request("POST", refresh, headers={"Authorization": "Bearer " + session["refreshJwt"]})
        self.assertEqual(status, 200, fresh)
        self.assertEqual(self.create(receiver, fresh, self.record())[0], 200)
        status, _, body = receiver.request("POST", refresh, headers={"Authorization": "Bearer " + session["refreshJwt"]})
        self.assertEqual((status, body["error"]), (400, "InvalidToken"), "the old refresh token is revoked")
        status, _, body = self.create(receiver, {"accessJwt": fresh["refreshJwt"]}, self.record())
        self.assertEqual((status, body["error"]), (400, "InvalidToken"), "a refresh token cannot post")

    def test_login_failures_and_limit(self):
        receiver = self.start("bluesky", None, "--max-logins", "3")
        login = "/xrpc/com.atproto.server.createSession"
        status, _, body = receiver.request("POST", login, {"identifier": HANDLE, "password": "wrong-pass-word-1234"})
        self.assertEqual((status, body), (401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}))
        self.assertEqual(receiver.request("POST", login, {"identifier": DID, "password": PASSWORD})[0], 200)
        self.assertEqual(receiver.request("POST", login, {"identifier": HANDLE, "password": PASSWORD})[0], 200)
        status, headers, body = receiver.request("POST", login, {"identifier": HANDLE, "password": PASSWORD})
        self.assertEqual((status, body["error"]), (429, "RateLimitExceeded"))
        self.assertEqual((headers["RateLimit-Limit"], headers["RateLimit-Remaining"], headers["RateLimit-Policy"]), ("3", "0", "3;w=300"))
        self.assertGreater(int(headers["RateLimit-Reset"]), time.time())
        self.assertEqual([e["logins"] for e in receiver.log()], [1, 2, 3, 4])

    def test_bad_tokens(self):
        receiver = self.start("bluesky")
        status, _, body = receiver.request("POST", self.CREATE, {"repo": DID, "collection": "app.bsky.feed.post", "record": self.record()})
        self.assertEqual((status, body["error"]), (401, "AuthMissing"))
        status, _, body = self.create(receiver, {"accessJwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged"}, self.record())
        self.assertEqual((status, body["error"]), (401, "InvalidToken"))

    def test_record_validation(self):
        receiver = self.start("bluesky")
        session = self.login(receiver)
        good = self.record("Résumé digest ✨ https://www.gov.uk/government/news #Mutuals")
        link = {"index": {"byteStart": 20, "byteEnd": 54},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://www.gov.uk/government/news"}]}
        tag = {"index": {"byteStart": 55, "byteEnd": 63}, "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Mutuals"}]}
        status, headers, body = self.create(receiver, session, dict(good, facets=[link, tag], langs=["en-GB"]))
        self.assertEqual(status, 200, body)
        self.assertEqual(body["validationStatus"], "valid")
        self.assertEqual((headers["RateLimit-Limit"], headers["RateLimit-Remaining"], headers["RateLimit-Policy"]),
                         ("5000", "4997", "5000;w=3600"))
        self.assertRegex(headers["RateLimit-Reset"], r"^\d{10}$")

        def facet(start, end, feature=None):
            return {"index": {"byteStart": start, "byteEnd": end},
                    "features": [feature or {"$type": "app.bsky.richtext.facet#link", "uri": "https://www.gov.uk/"}]}

        bad = {
            "no $type": {k: v for k, v in good.items() if k != "$type"},
            "other $type": dict(good, **{"$type": "app.bsky.feed.like"}),
            "no createdAt": {k: v for k, v in good.items() if k != "createdAt"},
            "createdAt without zone": dict(good, createdAt="2026-08-20T09:00:00"),
            "createdAt with space": dict(good, createdAt="2026-08-20 09:00:00Z"),
            "301 graphemes": self.record("é" * 301),
            "3025 bytes in 121 graphemes": self.record("👨‍👩‍👧‍👦" * 121),
            "facet past the end": dict(good, facets=[facet(55, 64)]),
            "empty facet": dict(good, facets=[facet(20, 20)]),
            "negative facet": dict(good, facets=[facet(-1, 4)]),
            "facet inside é": dict(good, facets=[facet(2, 8)]),
            "facet ends inside ✨": dict(good, facets=[facet(16, 18)]),
            "link without scheme": dict(good, facets=[facet(20, 54, {"$type": "app.bsky.richtext.facet#link", "uri": "www.gov.uk"})]),
            "ftp link": dict(good, facets=[facet(20, 54, {"$type": "app.bsky.richtext.facet#link", "uri": "ftp://www.gov.uk/x"})]),
            "tag with #": dict(good, facets=[facet(55, 63, {"$type": "app.bsky.richtext.facet#tag", "tag": "#Mutuals"})]),
            "tag not its text": dict(good, facets=[facet(55, 63, {"$type": "app.bsky.richtext.facet#tag", "tag": "Mutual"})]),
            "tag too long": dict(self.record("#" + "t" * 65), facets=[facet(0, 66, {"$type": "app.bsky.richtext.facet#tag", "tag": "t" * 65})]),
            "unknown feature": dict(good, facets=[facet(20, 54, {"$type": "app.bsky.richtext.facet#bold"})]),
            "text not a string": dict(good, text=5),
            "four langs": dict(good, langs=["en", "cy", "fr", "de"]),
        }
        for name, record in bad.items():
            with self.subTest(name):
                status, _, body = self.create(receiver, session, record)
                self.assertEqual((status, body["error"]), (400, "InvalidRequest"), body)
        self.assertEqual(self.create(receiver, session, self.record("é" * 300))[0], 200)
        self.assertEqual(self.create(receiver, session, self.record("👨‍👩‍👧‍👦" * 120))[0], 200)
        self.assertEqual(self.create(receiver, session, self.record(), repo="someone.else.test")[0], 400)
        self.assertEqual(self.create(receiver, session, self.record(), collection="app.bsky.feed.like")[0], 400)
        self.assertEqual(self.create(receiver, session, self.record(), repo=HANDLE)[0], 200)
        self.assertEqual(len(receiver.posts()), 4)

    def test_replies_must_point_at_real_records(self):
        receiver = self.start("bluesky")
        session = self.login(receiver)
        first = self.create(receiver, session, self.record("1/3"))[2]
        ref = {"uri": first["uri"], "cid": first["cid"]}
        unknown = {"uri": "at://%s/app.bsky.feed.post/3kabcdefghijk" % DID, "cid": first["cid"]}
        wrong_cid = {"uri": first["uri"], "cid": "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"}
        for name, reply in {"unknown parent": {"root": ref, "parent": unknown},
                            "unknown root": {"root": unknown, "parent": ref},
                            "wrong cid": {"root": wrong_cid, "parent": wrong_cid}}.items():
            with self.subTest(name):
                status, _, body = self.create(receiver, session, self.record("2/3", reply=reply))
                self.assertEqual((status, body["error"]), (400, "InvalidRequest"))
        second = self.create(receiver, session, self.record("2/3", reply={"root": ref, "parent": ref}))[2]
        second_ref = {"uri": second["uri"], "cid": second["cid"]}
        status, _, body = self.create(receiver, session, self.record("3/3", reply={"root": second_ref, "parent": second_ref}))
        self.assertEqual(status, 400, "root must stay the thread's first post")
        self.assertEqual(self.create(receiver, session, self.record("3/3", reply={"root": ref, "parent": second_ref}))[0], 200)
        self.assertEqual([p["text"] for p in receiver.posts()], ["1/3", "2/3", "3/3"])

    def test_record_keys(self):
        receiver = self.start("bluesky")
        session = self.login(receiver)
        for rkey in ("self", "3jzfcijpj2z2aa", "kjzfcijpj2z2a", "3JZFCIJPJ2Z2A", "3jzfcijpj2z21", 12):
            with self.subTest(rkey):
                status, _, body = self.create(receiver, session, self.record(), rkey=rkey)
                self.assertEqual((status, body["error"]), (400, "InvalidRequest"), body)
        status, _, body = self.create(receiver, session, self.record("keyed"), rkey="3jzfcijpj2z2a")
        self.assertEqual((status, body["uri"]), (200, "at://%s/app.bsky.feed.post/3jzfcijpj2z2a" % DID))
        status, _, again = self.create(receiver, session, self.record("keyed, retried"), rkey="3jzfcijpj2z2a")
        self.assertEqual((status, again), (400, {"error": "InvalidRequest", "message": "Record already exists"}))
        self.assertEqual([(p["text"], p["key"]) for p in receiver.posts()], [("keyed", "3jzfcijpj2z2a")])

    def test_plan_steps(self):
        receiver = self.start("bluesky", {self.CREATE: ["500", "503", "429", "429:4", "reset", "expire", "lost"]})
        session = self.login(receiver)
        self.assertEqual(self.create(receiver, session, self.record())[2]["error"], "InternalServerError")
        self.assertEqual(self.create(receiver, session, self.record())[0], 503)
        for seconds in (1, 4):
            before = time.time()
            status, headers, body = self.create(receiver, session, self.record())
            self.assertEqual((status, body["error"], headers["RateLimit-Remaining"], headers["Retry-After"]),
                             (429, "RateLimitExceeded", "0", str(seconds)))
            self.assertTrue(before + seconds <= int(headers["RateLimit-Reset"]) <= before + seconds + 2)
        self.assertReset(receiver, "POST", self.CREATE, {"repo": DID, "collection": "app.bsky.feed.post", "record": self.record()},
                         {"Authorization": "Bearer " + session["accessJwt"]})
        self.assertEqual(self.create(receiver, session, self.record())[2]["error"], "ExpiredToken")
        self.assertEqual(receiver.posts(), [])
        body = {"repo": DID, "collection": "app.bsky.feed.post", "rkey": "3jzfcijpj2z2b", "record": self.record("lost")}
        self.assertLost(receiver, "POST", self.CREATE, body, {"Authorization": "Bearer " + session["accessJwt"]})
        self.assertEqual([p["text"] for p in receiver.posts()], ["lost"], "a lost answer still created the record")
        status, _, again = self.create(receiver, session, self.record("lost"), rkey="3jzfcijpj2z2b")
        self.assertEqual((status, again["message"]), (400, "Record already exists"))
        log = [e for e in receiver.log() if e["path"] == self.CREATE]
        self.assertEqual([e["status"] for e in log], [500, 503, 429, 429, "reset", 400, "lost", 400])
        self.assertEqual(log[6]["id"], "at://%s/app.bsky.feed.post/3jzfcijpj2z2b" % DID)


# ---------------------------------------------------------------------------------------------------

class XTests(ReceiverCase):
    def tweet(self, receiver, body, keys=None, tamper=None, path="/2/tweets", body_hash=False, sent=None, **client_options):
        """Signs as X clients do (requests-oauthlib, tweepy): the JSON body is not signed at all, unless
        body_hash asks for oauthlib's body-hash extension. `sent` replaces the body after signing."""
        from oauthlib.oauth1 import Client
        client = Client(**dict(X_KEYS, **(keys or {})), **client_options)
        url = receiver.base + path
        _, headers, _ = client.sign(url, http_method="POST", body=json.dumps(body) if body_hash else None,
                                    headers={"Content-Type": "application/json"})
        if tamper:
            headers["Authorization"] = tamper(headers["Authorization"])
        payload = json.dumps(sent or body).encode()
        return receiver.request("POST", path, payload, {"Authorization": headers["Authorization"], "Content-Type": "application/json"})

    def test_signed_posts_make_a_thread(self):
        receiver = self.start("x")
        status, headers, body = self.tweet(receiver, {"text": "Résumé digest ✨ https://www.gov.uk/government/news"})
        self.assertEqual(status, 201, body)
        tweet_id = body["data"]["id"]
        self.assertRegex(tweet_id, r"^\d{19}$")
        self.assertEqual(body["data"]["edit_history_tweet_ids"], [tweet_id])
        self.assertEqual((headers["x-rate-limit-limit"], headers["x-rate-limit-remaining"]), ("200", "199"))
        self.assertRegex(headers["x-rate-limit-reset"], r"^\d{10}$")
        status, _, reply = self.tweet(receiver, {"text": "2/2", "reply": {"in_reply_to_tweet_id": tweet_id}})
        self.assertEqual(status, 201, reply)
        # Query parameters are part of the signature: oauthlib signs them, the receiver must agree.
        self.assertEqual(self.tweet(receiver, {"text": "with query"}, path="/2/tweets?source=herald%20test")[0], 201)
        # oauthlib's own default for a JSON body adds oauth_body_hash: accepted when it matches the body.
        self.assertEqual(self.tweet(receiver, {"text": "body hash"}, body_hash=True)[0], 201)
        self.assertEqual([(p["text"], p["reply_to"]) for p in receiver.posts()],
                         [("Résumé digest ✨ https://www.gov.uk/government/news", None), ("2/2", tweet_id), ("with query", None),
                          ("body hash", None)])
        self.assertEqual(receiver.log()[0]["length"], 40)

    def test_refuses_bad_signatures(self):
        receiver = self.start("x")
        swap = lambda header: re.sub(r'oauth_signature="[^"]+"', 'oauth_signature="lr%2BtV%2FDKclEvXKVjG6tgaSSLV0k%3D"', header)
        cases = {
            "tampered signature": dict(tamper=swap),
            "tampered timestamp": dict(tamper=lambda h: re.sub(r'oauth_timestamp="(\d+)"', lambda m: 'oauth_timestamp="%d"' % (int(m.group(1)) - 1), h)),
            "wrong consumer key": dict(keys={"client_key": "aaaaaaaaaaaaaaaaaaaaaa"}),
            "wrong consumer secret": dict(keys={"client_secret": "not-the-secret"}),
            "wrong token": dict(keys={"resource_owner_key": "1-notthetoken"}),
            "wrong token secret": dict(keys={"resource_owner_secret": "not-the-secret"}),
            "stale timestamp": dict(timestamp=str(int(time.time()) - 400)),
            "future timestamp": dict(timestamp=str(int(time.time()) + 400)),
            "PLAINTEXT": dict(signature_method="PLAINTEXT"),
            "body changed under its hash": dict(body_hash=True, sent={"text": "changed"}),
        }
        for name, options in cases.items():
            with self.subTest(name):
                status, headers, body = self.tweet(receiver, {"text": name}, **options)
                self.assertEqual(status, 401, body)
                self.assertEqual(headers["Content-Type"], "application/problem+json")
                self.assertEqual((body["title"], body["type"], body["status"]), ("Unauthorized", "about:blank", 401))
        status, _, body = receiver.request("POST", "/2/tweets", {"text": "unsigned"})
        self.assertEqual(status, 401)
        from oauthlib.oauth1 import Client
        signed = Client(**X_KEYS).sign(receiver.base + "/2/tweets", http_method="POST")[1]
        status, _, body = receiver.request("POST", "/2/tweets?unsigned=1", {"text": "query added after signing"}, signed)
        self.assertEqual(status, 401, "query parameters are part of the base string")
        self.assertEqual(receiver.posts(), [])

    def test_refuses_a_reused_nonce(self):
        receiver = self.start("x")
        nonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
        self.assertEqual(self.tweet(receiver, {"text": "first"}, nonce=nonce)[0], 201)
        status, _, body = self.tweet(receiver, {"text": "second"}, nonce=nonce)
        self.assertEqual(status, 401)
        self.assertIn("nonce", body["detail"])
        self.assertEqual(self.tweet(receiver, {"text": "second"})[0], 201)

    def test_body_and_length(self):
        receiver = self.start("x")
        url = "https://www.example.org/grants/2026/spring-round/award-details-and-evaluation-report?ref=herald"
        self.assertEqual(self.tweet(receiver, {"text": "a" * 280})[0], 201)
        status, _, body = self.tweet(receiver, {"text": "b" * 281})
        self.assertEqual((status, body["title"]), (403, "Forbidden"))
        self.assertIn("too long", body["detail"])
        self.assertEqual(self.tweet(receiver, {"text": "c" * 256 + " " + url})[0], 201)
        self.assertEqual(self.tweet(receiver, {"text": "東" * 140})[0], 201)
        self.assertEqual(self.tweet(receiver, {"text": "京" * 141})[0], 403)
        for name, body in {"unknown field": {"text": "x", "status": "x"}, "no text": {"reply_settings": "following"},
                           "text not a string": {"text": 5}, "empty text": {"text": ""},
                           "bad reply_settings": {"text": "y", "reply_settings": "everyone"},
                           "unknown reply field": {"text": "y", "reply": {"in_reply_to_tweet_id": "1", "to": "2"}},
                           "non-numeric reply id": {"text": "y", "reply": {"in_reply_to_tweet_id": "abc"}},
                           "media and poll": {"text": "y", "media": {"media_ids": ["1"]}, "poll": {"options": ["a", "b"], "duration_minutes": 5}}}.items():
            with self.subTest(name):
                status, headers, response = self.tweet(receiver, body)
                self.assertEqual(status, 400, response)
                self.assertEqual(headers["Content-Type"], "application/problem+json")
        status, _, body = self.tweet(receiver, {"text": "reply", "reply": {"in_reply_to_tweet_id": "1346889436626259968"}})
        self.assertEqual(status, 400)
        self.assertIn("deleted or not visible", body["detail"])
        status, _, body = self.tweet(receiver, {"text": "a" * 280})
        self.assertEqual((status, body["detail"]), (403, "You are not allowed to create a Tweet with duplicate content."))
        from oauthlib.oauth1 import Client
        signed = Client(**X_KEYS).sign(receiver.base + "/2/tweets", http_method="POST")[1]
        status, _, _ = receiver.request("POST", "/2/tweets", b"text=form", dict(signed, **{"Content-Type": "application/x-www-form-urlencoded"}))
        self.assertEqual(status, 415)
        self.assertEqual(len(receiver.posts()), 3)

    def test_plan_steps(self):
        receiver = self.start("x", {"/2/tweets": ["500", "503", "429", "429:5", "reset", "lost"]})
        self.assertEqual(self.tweet(receiver, {"text": "p"})[0], 500)
        self.assertEqual(self.tweet(receiver, {"text": "p"})[2]["status"], 503)
        for seconds in (2, 5):
            before = time.time()
            status, headers, body = self.tweet(receiver, {"text": "p"})
            self.assertEqual((status, headers["x-rate-limit-remaining"], headers.get("Retry-After")), (429, "0", None))
            self.assertTrue(before + seconds <= int(headers["x-rate-limit-reset"]) <= before + seconds + 2)
        self.assertEqual(receiver.posts(), [])
        from oauthlib.oauth1 import Client
        signed = Client(**X_KEYS).sign(receiver.base + "/2/tweets", http_method="POST")[1]
        self.assertReset(receiver, "POST", "/2/tweets", {"text": "p"}, signed)
        self.assertLost(receiver, "POST", "/2/tweets", {"text": "p"}, Client(**X_KEYS).sign(receiver.base + "/2/tweets", http_method="POST")[1])
        self.assertEqual([p["text"] for p in receiver.posts()], ["p"], "a lost answer still created the post")
        self.assertEqual(self.tweet(receiver, {"text": "p"})[0], 403, "so a blind retry is a duplicate")
        self.assertEqual([e["status"] for e in receiver.log()], [500, 503, 429, 429, "reset", "lost", 403])


class PlanTests(unittest.TestCase):
    def test_unknown_steps_fail_at_start(self):
        for service, plan in (("x", {"/2/tweets": ["oops"]}), ("mastodon", {"/api/v1/statuses": ["expire"]})):
            result = subprocess.run([sys.executable, SCRIPT, "--service", service, "--log", os.devnull, "--plan", json.dumps(plan)],
                                    stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
            self.assertNotEqual(result.returncode, 0)
            self.assertNotIn("PORT", result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2 if "-v" in sys.argv else 1)
