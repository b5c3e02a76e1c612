"""zhongyuan-kg: the knowledge graph of the Central Plains Urban Agglomeration Development Plan."""

__version__ = "0.1.0"
