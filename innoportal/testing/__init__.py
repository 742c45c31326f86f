"""Test helpers that start real infrastructure: nats-server, an SMTP sink, free ports."""
