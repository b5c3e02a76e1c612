"""The plan's OWL 2 DL ontology: Turtle modules, SHACL shapes, reasoning and docs."""
