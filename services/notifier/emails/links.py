"""Where links go: every link the notifier gives out opens a page of the portal.

Emails link to the portal's pages in the email's language (`/en/…`, `/zh-hk/…`), never to a JSON
API; the List-Unsubscribe header names the portal's RFC 8058 one-click address.
"""

import re
from urllib.parse import urlencode

_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")  # what urlencode leaves as it is (a token is)


def _token_query(token: str) -> str:
    return f"token={token}" if _UNRESERVED.fullmatch(token) else urlencode({"token": token})


def https(url: str) -> str:
    """The https form of a link: List-Unsubscribe must be https (RFC 8058), even when a local
    setup serves plain http (production sets an https INNOPORTAL_PORTAL_URL)."""
    return "https://" + url[len("http://"):] if url.lower().startswith("http://") else url


def page_path(language: str) -> str:
    """The portal's path prefix of a language: en, or zh-hk for zh-HK."""
    return "zh-hk" if language == "zh-HK" else "en"


def portal_page(portal_url: str, language: str, page: str, token: str | None = None,
                **params: object) -> str:
    """The absolute URL of the portal's `page` (e.g. "wishes/w-1") in `language`."""
    if token is not None and not params:  # every signed link: one per email or more
        query = _token_query(token)
    else:
        query = urlencode({**({"token": token} if token is not None else {}), **params})
    return f"{portal_url.rstrip('/')}/{page_path(language)}/{page}" + (f"?{query}" if query else "")


def one_click(portal_url: str, token: str) -> str:
    """The portal's one-click unsubscribe address (no language prefix), always https."""
    return https(f"{portal_url.rstrip('/')}/unsubscribe?{_token_query(token)}")
