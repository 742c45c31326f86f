"""Unit tests of the portal's pure parts."""
