"""The external addresses a page's text links to (`http://...`, `ssh://...`, `mailto:...`), for
MediaWiki's `prop=extlinks` and the external links table kept on every save.

Found in the text whatever its markup: a bracketed `[http://example.org label]` or a bare
address in wikitext, `[label](https://example.org)` or `<https://example.org>` in Markdown.
Code (fenced, inline, `<pre>`, `<code>`, `<nowiki>`) and comments are left out, as neither
renderer makes links there.
"""

from __future__ import annotations

import re

#: MediaWiki's $wgUrlProtocols (1.39), less the protocol-relative `//`.
PROTOCOLS = (
    "bitcoin:",
    "ftp://",
    "ftps://",
    "geo:",
    "git://",
    "gopher://",
    "http://",
    "https://",
    "irc://",
    "ircs://",
    "magnet:",
    "mailto:",
    "matrix:",
    "mms://",
    "news:",
    "nntp://",
    "redis://",
    "sftp://",
    "sip:",
    "sips:",
    "sms:",
    "ssh://",
    "svn://",
    "tel:",
    "telnet://",
    "urn:",
    "worldwind://",
    "xmpp:",
)
#: The longest address kept (in UTF-8 bytes): a database index holds it whole.
MAX_URL_BYTES = 2000

_SKIPPED_RE = re.compile(
    r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|`[^`\n]*`|<!--.*?(?:-->|\Z)"
    r"|<(pre|code|nowiki|syntaxhighlight|source)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.DOTALL | re.IGNORECASE,
)
_URL_RE = re.compile(
    r"(?<![\w/.+-])(?:" + "|".join(re.escape(p) for p in PROTOCOLS) + r")[^\s\[\]<>\"{}|\\^`]+",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'"


def _trimmed(url: str) -> str:
    """An address without the punctuation that ends the sentence around it, and without a
    closing parenthesis it did not open (Markdown's `[label](url)`)."""
    while url:
        if url[-1] in _TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count(")") > url.count("("):
            url = url[:-1]
        else:
            break
    return url


def protocol_of(url: str) -> str:
    """The protocol an address starts with, as `elprotocol` names it (`http`, `mailto`)."""
    lowered = url.lower()
    for protocol in PROTOCOLS:
        if lowered.startswith(protocol):
            return protocol.rstrip(":/")
    return ""


def extract_external_links(text: str) -> list[str]:
    """The distinct external addresses in `text`, in the order they first appear."""
    if ":" not in text:
        return []
    text = _SKIPPED_RE.sub(" ", text)
    found: dict[str, None] = {}
    for match in _URL_RE.finditer(text):
        url = _trimmed(match.group(0))
        protocol = protocol_of(url)
        rest = url[len(protocol) :].lstrip(":/")
        if rest and len(url.encode()) <= MAX_URL_BYTES:
            found.setdefault(url, None)
    return list(found)
