"""Texts of the performance report pages."""

TEXTS: dict[str, tuple[str, str]] = {
    "report.verdict.passed": ("Passed", "通過"),
    "report.verdict.partially_passed": ("Partially passed", "部分通過"),
    "report.verdict.failed": ("Failed", "未通過"),
}
