"""The matcher's adapters: its index's snapshot file; the services' public APIs (the export)."""
