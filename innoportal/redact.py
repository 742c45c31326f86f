"""Secrets out of logs: a link's token is a credential, so an access log line must not carry it."""

import logging
import re

_SECRET_PARAM = re.compile(r"(?i)\b(token|csrf_token)=[^&\s\"']+")


def redact(text: str) -> str:
    """`text` with the value of every token= query parameter replaced."""
    return _SECRET_PARAM.sub(r"\1=[redacted]", text)


class RedactSecrets(logging.Filter):
    """A logging filter that redacts tokens in a line (uvicorn's access log passes the path with
    its query string as an argument, httpx the URL it asked)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        # Arguments keep their number (uvicorn's access formatter unpacks them) and their type
        # unless they carry a token (httpx passes an httpx.URL).
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(a) for a in record.args)
        return True


def _redacted(value: object) -> object:
    if isinstance(value, (int, float)) or value is None:
        return value
    text = str(value)
    return redact(text) if "token=" in text.lower() else value
