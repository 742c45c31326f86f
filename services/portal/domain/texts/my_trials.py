"""Texts of the workspace's trials pages."""

TEXTS: dict[str, tuple[str, str]] = {
}
