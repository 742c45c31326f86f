"""The portal's adapters: the services' HTTP APIs."""
