"""`python -m bench.matcher_scale`: the matcher's latency and scale benchmark."""

from bench.matcher_scale.run import main

main()
