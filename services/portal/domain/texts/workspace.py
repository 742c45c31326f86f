"""Texts of the signed-in workspaces."""

TEXTS: dict[str, tuple[str, str]] = {
}
