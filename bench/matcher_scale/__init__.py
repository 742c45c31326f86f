"""Matcher latency and scale benchmark on synthetic solutions."""
