"""Texts of the workspace's admin pages."""

TEXTS: dict[str, tuple[str, str]] = {
}
