"""Secrets out of logs: a link's token is a credential, so an access log line must not carry it."""

import logging
import re

_SECRET_PARAM = re.compile(r"(?i)\b(token|csrf_token)=[^&\s\"']+")


def redact(text: str) -> str:
    """`text` with the value of every token= query parameter replaced."""
    return _SECRET_PARAM.sub(r"\1=[redacted]", text)


class RedactSecrets(logging.Filter):
    """A logging filter that redacts tokens in the message and its arguments (uvicorn's access
    log passes the path with its query string as an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
