"""Possible duplicates and the market survey at scale: latency beside a brute-force scan."""
