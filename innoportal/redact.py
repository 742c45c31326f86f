"""Secrets out of logs: a link's token, a bearer token or a password in a URL is a credential."""

import logging
import re

_SECRET_PARAM = re.compile(r"(?i)\b(token|csrf_token)=[^&\s\"']+")
# smtp://user:password@host, nats://user:password@host: the user stays, the password goes.
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@\"']+:)[^@\s/\"']+@")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+")


def redact(text: str) -> str:
    """`text` with the value of every token= query parameter, bearer token and URL password
    replaced."""
    text = _SECRET_PARAM.sub(r"\1=[redacted]", text)
    if "://" in text:
        text = _URL_PASSWORD.sub(r"\1[redacted]@", text)
    return _BEARER.sub(r"\1[redacted]", text) if "earer" in text else text


class RedactSecrets(logging.Filter):
    """A logging filter that redacts tokens in a line (uvicorn's access log passes the path with
    its query string as an argument, httpx the URL it asked)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        # Arguments keep their number (uvicorn's access formatter unpacks them) and their type
        # unless they carry a secret (httpx passes an httpx.URL).
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(a) for a in record.args)
        return True


def _redacted(value: object) -> object:
    if isinstance(value, (int, float)) or value is None:
        return value
    text = str(value)
    cleaned = redact(text)
    return value if cleaned == text else cleaned
