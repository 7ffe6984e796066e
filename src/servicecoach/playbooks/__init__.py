"""Playbooks: the format a team lead writes (models, YAML with positions, loading with
`path:line:col` errors), where playbooks come from (the catalog), and the tools around the
format (schema, lint, scaffold, diff, validation)."""
