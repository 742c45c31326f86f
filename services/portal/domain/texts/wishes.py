"""Texts of the portal's wishes pages."""

TEXTS: dict[str, tuple[str, str]] = {
}
