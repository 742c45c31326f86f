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
        # The arguments may be URLs of any type (httpx passes httpx.URL): format, then redact.
        message = record.getMessage()
        if "token=" in message.lower():
            record.msg, record.args = redact(message), ()
        return True
