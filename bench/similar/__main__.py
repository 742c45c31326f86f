"""`python -m bench.similar`: POST /v1/similar and GET /v1/survey latency at 10,000 records."""

from bench.similar.run import main

main()
