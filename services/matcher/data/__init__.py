"""Data files of the matcher: glossary and stop words."""
