"""What the portal knows without any framework or I/O: languages, texts, paging, query rules."""
