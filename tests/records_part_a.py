"""Curator A's files (preface, chapters 1–3 and 10), read and merged once for their tests."""

from records import Curated

FILES = (
    "ch00-plan.yaml",
    "ch01-background.yaml",
    "ch02-requirements.yaml",
    "ch03-spatial.yaml",
    "ch10-implementation.yaml",
)
PART_A = Curated(*FILES)
