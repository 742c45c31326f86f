"""The portal's use cases: what each page needs from the services, gathered and shaped."""
