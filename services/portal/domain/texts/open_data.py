"""Texts of the portal's open data pages."""

TEXTS: dict[str, tuple[str, str]] = {
}
