"""Texts of the portal's records pages."""

TEXTS: dict[str, tuple[str, str]] = {
}
