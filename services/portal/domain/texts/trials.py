"""Texts of the field trial pages."""

TEXTS: dict[str, tuple[str, str]] = {
}
