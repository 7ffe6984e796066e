"""The journal: reflection files (the truth), reading them back, and the SQLite cache that makes
listing, searching, statistics and export instant over years of them."""
