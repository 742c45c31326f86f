"""Texts of the portal's subscribe pages."""

TEXTS: dict[str, tuple[str, str]] = {
}
