"""The plan as RDF: the source text, curated records and the builder that publishes dist/."""
