"""Texts of the workspace's records pages."""

TEXTS: dict[str, tuple[str, str]] = {
}
