"""Kernel benchmarks: the outbox relay and an idempotent consumer beside hand-written nats-py loops."""
