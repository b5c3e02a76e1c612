"""Saved, parameterised SPARQL queries (the .rq files beside this module)."""
