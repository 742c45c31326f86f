"""Texts of the portal's solutions pages."""

TEXTS: dict[str, tuple[str, str]] = {
}
