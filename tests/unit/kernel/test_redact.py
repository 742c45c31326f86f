"""Tokens in links never reach a log line."""

import logging

from innoportal.redact import RedactSecrets, redact


def test_token_values_are_redacted_and_the_rest_kept():
    assert redact("GET /en/sign-in/link?token=abc.DEF-123&next=%2Fen%2Fmy%2F HTTP/1.1") == (
        "GET /en/sign-in/link?token=[redacted]&next=%2Fen%2Fmy%2F HTTP/1.1")
    assert redact("/v1/unsubscribe?Token=x") == "/v1/unsubscribe?Token=[redacted]"
    assert redact("/en/wishes?q=token") == "/en/wishes?q=token"


def test_the_filter_redacts_uvicorns_access_log_arguments(caplog):
    logger = logging.getLogger("test.access")
    logger.addFilter(RedactSecrets())
    with caplog.at_level(logging.INFO, logger="test.access"):
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET",
                    "/zh-hk/subscribe/confirm?token=secret-value", "1.1", 200)
    assert "secret-value" not in caplog.text and "token=[redacted]" in caplog.text


def test_urls_of_any_type_are_redacted(caplog):
    import httpx

    logger = logging.getLogger("test.httpx")
    logger.addFilter(RedactSecrets())
    with caplog.at_level(logging.INFO, logger="test.httpx"):
        logger.info('HTTP Request: %s %s "%s %d %s"', "GET",
                    httpx.URL("http://127.0.0.1:8104/v1/unsubscribe?token=1.secret"), "HTTP/1.1",
                    200, "OK")
    assert "1.secret" not in caplog.text and "token=[redacted]" in caplog.text


def test_uvicorns_access_formatter_still_gets_its_five_arguments(capsys):
    from uvicorn.logging import AccessFormatter

    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/en/sign-in/link?token=abc", "1.1", 200),
                               None)
    RedactSecrets().filter(record)
    line = AccessFormatter("%(client_addr)s %(request_line)s %(status_code)s").format(record)
    assert "token=[redacted]" in line and "abc" not in line and "200" in line
