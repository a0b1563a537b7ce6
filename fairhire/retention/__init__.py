"""Retention and exits: exit rates by group, time to exit with competing causes, and reductions
in force (with the OWBPA disclosure)."""
