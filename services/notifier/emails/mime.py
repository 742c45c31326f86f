"""A small, fast MIME writer for multipart/alternative text+HTML mail (the email package's header
machinery costs ~2 ms a message, which alone would cap a fan-out at a few hundred a second).

Address headers (From, To...) are where structure matters, and where speed allows the standard
library: one that is not plain ASCII is parsed and folded by email.headerregistry, once per value
(From is the same on every message), so a display name in any script is encoded once and the
address is kept. Text headers (Subject, per message) use the encoder below, whose words the
standard library decodes back (tests/unit/notifier/test_notifier_mime.py)."""

import base64
import hashlib
from collections.abc import Sequence
from email.headerregistry import Address
from email.policy import SMTP
from functools import lru_cache

CRLF = "\r\n"
ADDRESS_HEADERS = frozenset({"from", "sender", "reply-to", "to", "cc", "bcc"})


def _is_plain_ascii(value: str) -> bool:
    return value.isascii() and value.isprintable()


def _budget(used: int) -> int:
    # Bytes of UTF-8 whose encoded word (=?utf-8?b?...?=, 12 chars + base64) fits a 76-char line.
    return max(3, (76 - 12 - used) // 4 * 3)


def encode_header(value: str, used: int = 0) -> str:
    """A header value as is when printable ASCII, else RFC 2047 encoded words, folded.

    `used` is how much of the first line the header's name already takes ("Subject: " is 9).
    """
    if "\r" in value or "\n" in value:
        raise ValueError("header values must not contain CR or LF")
    if _is_plain_ascii(value) and "=?" not in value:
        return value
    words, chunk, size, budget = [], [], 0, _budget(used)
    for ch in value:
        n = len(ch.encode("utf-8"))
        if size + n > budget and chunk:
            words.append("".join(chunk))
            chunk, size, budget = [], 0, _budget(1)  # continuation lines start with a space
        chunk.append(ch)
        size += n
    if chunk:
        words.append("".join(chunk))
    encoded = ("=?utf-8?b?" + base64.b64encode(w.encode("utf-8")).decode("ascii") + "?=" for w in words)
    return (CRLF + " ").join(encoded)


def mailbox(text: str) -> Address:
    """The one mailbox in `text` ("Name <addr>" or "addr"), as email.headerregistry reads it."""
    addresses = SMTP.header_factory("From", text).addresses
    if len(addresses) != 1:
        raise ValueError(f"not one email address: {text!r}")
    return addresses[0]


@lru_cache(maxsize=64)
def _address_line(name: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError("header values must not contain CR or LF")
    return SMTP.header_factory(name, value).fold(policy=SMTP)


def header_line(name: str, value: str) -> str:
    """`Name: value` and CRLF; non-ASCII encoded (RFC 2047), addresses by the standard library."""
    structured = name.lower() in ADDRESS_HEADERS
    if _is_plain_ascii(value) and (structured or "=?" not in value):
        return f"{name}: {value}{CRLF}"
    if structured:
        return _address_line(name, value)
    return f"{name}: {encode_header(value, len(name) + 2)}{CRLF}"


def _part(subtype: str, body: str) -> str:
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if body.isascii() and max(map(len, body.split("\n"))) <= 998:
        encoding, payload = "7bit", body.replace("\n", CRLF)
    else:
        raw = base64.b64encode(body.replace("\n", CRLF).encode("utf-8")).decode("ascii")
        encoding, payload = "base64", CRLF.join([raw[i : i + 76] for i in range(0, len(raw), 76)])
    return (f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
            f"Content-Transfer-Encoding: {encoding}{CRLF}{CRLF}{payload}{CRLF}")


def build_alternative(headers: Sequence[tuple[str, str]], text: str, html: str) -> bytes:
    """A complete multipart/alternative message (CRLF line ends) from headers and both bodies."""
    parts = [_part("plain", text), _part("html", html)]
    seed = hashlib.sha256(repr(headers).encode("utf-8")).hexdigest()[:32]
    boundary = f"=_ip_{seed}"
    while any(boundary in p for p in parts):  # practically never; a 7bit body could contain it
        boundary += "_"
    head = "".join([
        f"{name}: {value}{CRLF}" if _is_plain_ascii(value) and "=?" not in value  # most: as is
        else header_line(name, value) for name, value in headers])
    head += f"MIME-Version: 1.0{CRLF}Content-Type: multipart/alternative; boundary=\"{boundary}\"{CRLF}"
    body = "".join(f"--{boundary}{CRLF}{p}" for p in parts) + f"--{boundary}--{CRLF}"
    return (head + CRLF + body).encode("ascii")
