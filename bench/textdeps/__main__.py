"""`python -m bench.textdeps --old DIR`: opencc and rjieba against the packages they replaced."""

from bench.textdeps.run import main

main()
