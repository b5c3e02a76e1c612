"""The benchmark: our endpoint beside `oxigraph serve`, rdflib-endpoint and a bare Flask route."""
