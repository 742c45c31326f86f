"""Matching quality benchmark: a labelled bilingual set and its evaluator."""
