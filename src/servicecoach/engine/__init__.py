"""The engine: a session walks a playbook (never printing), answers are converted one way per
kind, a run ties catalog, session, front end, reflection and journal together, and drafts keep
every answer on disk as it is typed."""
