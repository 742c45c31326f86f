"""The matcher's use cases: each takes a UnitOfWork, stages its events, and never commits."""
