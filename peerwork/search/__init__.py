"""Full-text search of wiki pages: one interface over SQLite FTS5 and PostgreSQL full-text."""
