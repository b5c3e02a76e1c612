"""Facts about OWL 2 itself: its datatype map and the vocabularies that need no declaration."""

from rdflib import OWL, RDF, RDFS, XSD, URIRef

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4): HermiT accepts these and
# only these; a literal of any other datatype must stay out of what the reasoner sees.
OWL2_DATATYPES: frozenset[URIRef] = frozenset(
    [RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational]
    + [
        XSD[name]
        for names in (
            "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger",
            "long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double float",
            "string normalizedString token language Name NCName NMTOKEN boolean hexBinary",
            "base64Binary anyURI dateTime dateTimeStamp",
        )
        for name in names.split()
    ]
)

# Namespaces whose terms OWL 2 treats as built in: they are never declared.
BUILTIN_NAMESPACES: tuple[str, ...] = (str(RDF), str(RDFS), str(OWL), str(XSD))

# Annotation properties built into OWL 2 (usable without a declaration).
BUILTIN_ANNOTATIONS: frozenset[URIRef] = frozenset(
    [
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.versionInfo,
        OWL.deprecated,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
    ]
)


def is_builtin(term: URIRef) -> bool:
    """Whether a term belongs to RDF, RDFS, OWL or XSD."""
    return str(term).startswith(BUILTIN_NAMESPACES)
