"""The matcher's SQL: its copy of the records, the matches, the trials it has heard of."""
