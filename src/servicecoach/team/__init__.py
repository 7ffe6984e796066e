"""The team's shared reflections: reading the share files, and the report a lead reads."""
