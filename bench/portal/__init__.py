"""The portal's page latency beside the same data fetched straight from the services' APIs."""
