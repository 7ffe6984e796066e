"""What people see: the one console seam, cue cards, the Rich and plain front ends, and the
views of playbooks, drafts, settings and the journal."""
