"""The portal's SQL: accounts, links, sessions and sign-in requests."""
