"""The Flask SPARQL 1.1 endpoint, linked-data pages and query UI."""
