"""`python -m bench.matching`: the matching quality benchmark."""

from bench.matching.evaluate import main

main()
