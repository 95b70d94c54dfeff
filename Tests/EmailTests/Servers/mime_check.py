"""Checks a raw RFC 5322 message the way a strict receiver would, with Python's `email` package.

`check(raw)` returns a dict: the decoded fields the tests compare, and `problems`, a list of every
rule the message breaks (empty for a good message). Run as a script, it reads one message from
standard input and prints that dict as JSON.
"""
import json
import re
import sys
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

REQUIRED = ["Date", "From", "To", "Message-ID", "MIME-Version", "Subject", "Content-Type"]


def check(raw: bytes) -> dict:
    problems = []
    # Line endings and lengths, on the raw bytes (RFC 5322 2.1.1, RFC 2045 6.7/6.8).
    if b"\n" in raw.replace(b"\r\n", b"") or b"\r" in raw.replace(b"\r\n", b""):
        problems.append("bare CR or LF (every line must end in CRLF)")
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        problems.append("no blank line between header and body")
    for number, line in enumerate(raw.split(b"\r\n"), 1):
        if len(line) > 998:
            problems.append(f"line {number} is {len(line)} octets (> 998)")
    long_headers = [l for l in head.split(b"\r\n") if len(l) > 78]
    for line in long_headers:
        problems.append(f"header line over 78 characters: {line[:60]!r}…")
    for number, line in enumerate(body.split(b"\r\n"), 1):
        if len(line) > 76:
            problems.append(f"body line {number} is {len(line)} characters (> 76 for encoded parts)")
    if any(b > 127 for b in head):
        problems.append("8-bit data in the header (non-ASCII must be RFC 2047-encoded)")
    for line in head.split(b"\r\n"):
        if line.startswith((b" ", b"\t")) and b"=?" in line and len(line) > 76:
            problems.append(f"header line with encoded-words over 76 characters: {line[:60]!r}")
    for word in re.findall(rb"=\?[^?]+\?[BbQq]\?[^?]*\?=", head):
        if len(word) > 75:
            problems.append(f"encoded-word over 75 characters: {word[:40]!r}…")

    msg = BytesParser(policy=policy.default).parsebytes(raw)
    for part in msg.walk():
        for defect in part.defects:
            problems.append(f"defect in {part.get_content_type()}: {type(defect).__name__}: {defect}")
    for name in REQUIRED:
        if msg[name] is None:
            problems.append(f"missing header {name}")
        elif len(msg.get_all(name)) != 1:
            problems.append(f"header {name} appears {len(msg.get_all(name))} times")
    for name in ["Bcc"]:
        if msg[name] is not None:
            problems.append("Bcc must never be transmitted")

    result = {"problems": problems}
    try:
        for name in ["Subject", "From", "To", "Message-ID", "Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post",
                     "Auto-Submitted", "MIME-Version"]:
            value = msg[name]
            if value is not None:
                for defect in getattr(value, "defects", []):
                    problems.append(f"defect in header {name}: {type(defect).__name__}: {defect}")
            result[name.lower().replace("-", "_")] = None if value is None else str(value)
        if msg["From"] is not None:
            result["from_address"] = msg["From"].addresses[0].addr_spec
            result["from_name"] = msg["From"].addresses[0].display_name
        if msg["To"] is not None:
            result["to_address"] = msg["To"].addresses[0].addr_spec
            result["to_name"] = msg["To"].addresses[0].display_name
        if msg["Date"] is not None:
            date = parsedate_to_datetime(str(msg["Date"]))
            result["date"] = date.isoformat()
            if date.tzinfo is None:
                problems.append("Date has no zone")
        message_id = result.get("message_id") or ""
        if not re.fullmatch(r"<[A-Za-z0-9_.\-]+@[A-Za-z0-9.\-]+>", message_id):
            problems.append(f"Message-ID is not <left@right>: {message_id!r}")
    except Exception as error:  # a header the policy cannot parse is a problem, not a crash
        problems.append(f"header parsing failed: {type(error).__name__}: {error}")

    if msg.get_content_type() != "multipart/alternative":
        problems.append(f"top-level type is {msg.get_content_type()}, not multipart/alternative")
    parts = list(msg.iter_parts()) if msg.is_multipart() else []
    types = [p.get_content_type() for p in parts]
    if types != ["text/plain", "text/html"]:
        problems.append(f"parts are {types}, expected text/plain then text/html")
    for part in parts:
        if (part.get_content_charset() or "").lower() != "utf-8":
            problems.append(f"{part.get_content_type()} charset is {part.get_content_charset()!r}, not utf-8")
        cte = part.get("Content-Transfer-Encoding", "")
        if cte.lower() not in ("quoted-printable", "base64"):
            problems.append(f"{part.get_content_type()} transfer encoding is {cte!r}")
        try:
            content = part.get_content()
        except Exception as error:
            problems.append(f"{part.get_content_type()} does not decode: {error}")
            continue
        if part.get_content_type() == "text/plain":
            result["text"] = content
        elif part.get_content_type() == "text/html":
            result["html"] = content
    result["transfer_encodings"] = [p.get("Content-Transfer-Encoding", "") for p in parts]
    result["header_names"] = list(msg.keys())
    return result


if __name__ == "__main__":
    print(json.dumps(check(sys.stdin.buffer.read())))
