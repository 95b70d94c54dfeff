#!/usr/bin/env python3
"""Reference post lengths for PostLengthTests, from independent implementations.

Reads a JSON array of strings on stdin and writes a JSON array with, for each string:
  x          twitter_text.parse_tweet(text).weightedLength (PyPI twitter-text-parser, twitter-text v3)
  graphemes  grapheme.length(text) (PyPI grapheme: extended grapheme clusters, Unicode 13 rules)
  mastodon   Mastodon's StatusLengthValidator: graphemes after each URL twitter-text extracts with a scheme
             becomes 23 characters and each @user@domain mention becomes @user
  utf8       bytes of UTF-8

Known quirk of `grapheme` 0.6.0: after a prepended concatenation mark (U+0600 and the like) followed by a
control character, it joins the next mark to the control ("\u0600\n\u0301" counts 2, not 3). The corpus
holds no such marks.
"""
import json
import re
import sys
import unicodedata

try:
    import grapheme
    from twitter_text import extract_urls_with_indices, parse_tweet
except ImportError as error:  # pragma: no cover - depends on the machine
    sys.stderr.write(
        f"length_oracle.py: {error}. Install the reference packages with:\n"
        "    python3 -m pip install twitter-text-parser grapheme\n")
    sys.exit(2)

URL_PLACEHOLDER = "x" * 23


def word_class():
    """Ruby's [[:word:]] (letters, marks, decimal digits, connector punctuation) as a character class."""
    ranges, start, previous = [], None, None
    for code in range(0x110000):
        if unicodedata.category(chr(code))[0] in "LM" or unicodedata.category(chr(code)) in ("Nd", "Pc"):
            if start is None:
                start = code
            previous = code
        elif start is not None:
            ranges.append((start, previous))
            start = None
    return "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges) + "]"


# Mastodon's Account::MENTION_RE (app/models/account.rb) in Python's dialect.
WORD = word_class()
# Ruby's case-insensitive [a-z] also matches the Kelvin sign and the long s.
USERNAME = r"[a-zA-Z0-9_\u017f\u212a]+(?:[.-]+[a-zA-Z0-9_\u017f\u212a]+)*"
MENTION = re.compile(
    r"(?<![=/])(?<!" + WORD + r")@(" + USERNAME + r")((?:@" + WORD + r"+(?:[.-]+" + WORD + r"+)*)?)")
# twitter-text's end_mention_match: a mention followed by one of these is not one.
LATIN_ACCENTS = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263" \
                "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
END_MENTION = re.compile(r"(?:[@\uff20]|[" + LATIN_ACCENTS + r"]|://)")


def mentions(text):
    """Mastodon's mentions: (start, end, replacement)."""
    found = []
    for match in MENTION.finditer(text):
        if END_MENTION.match(text, match.end()):
            continue
        found.append((match.start(), match.end(), "@" + match.group(1)))
    return found


def mastodon_length(text):
    entities = [(url["indices"][0], url["indices"][1], URL_PLACEHOLDER)
                for url in extract_urls_with_indices(text)
                if re.match(r"https?://", url["url"], re.IGNORECASE)]
    entities += mentions(text)
    entities.sort(key=lambda entity: entity[0])
    out, position = [], 0
    for start, end, replacement in entities:
        if start < position:  # overlaps the entity kept before it
            continue
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    return grapheme.length("".join(out))


def main():
    texts = json.load(sys.stdin)
    results = [{
        "x": parse_tweet(text).weightedLength,
        "graphemes": grapheme.length(text),
        "mastodon": mastodon_length(text),
        "utf8": len(text.encode("utf-8")),
    } for text in texts]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
