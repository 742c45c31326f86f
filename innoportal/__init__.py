"""The InnoPortal kernel: what every service needs, written once."""
