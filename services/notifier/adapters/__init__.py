"""What the notifier talks to besides its database: the SMTP server (`smtp`), and the file beside
a SQLite database that journals the server's acceptances (`journal`)."""
