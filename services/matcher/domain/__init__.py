"""Matching engine of the matcher service: framework-free analysis, glossary, index and scoring."""

from services.matcher.domain.matcher import Matcher
from services.matcher.domain.scoring import Match, MatchConfig, Reason
from services.matcher.domain.snapshot import SnapshotError

__all__ = ["Match", "MatchConfig", "Matcher", "Reason", "SnapshotError"]
