"""A synthetic ABox the size of the plan's graph, for measuring the reasoner."""

import random

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, XSD

from zhongyuan_kg.namespaces import DEFAULT_BASE, KIND, STAGE, ZY

ID = Namespace(DEFAULT_BASE)
PROJECT_KINDS = [
    "AirportProject",
    "HighSpeedRailway",
    "IntercityRailway",
    "PortProject",
    "ExpresswayProject",
    "WindPowerBase",
    "ReservoirProject",
    "GasPipeline",
    "DataCentreProject",
    "MuseumProject",
]
STAGES = ["jianshe", "jiancheng", "wanshan", "tuijin", "yanjiu", "shishi-qidong", "guihua-jianshe"]
DESIGNATIONS = [
    "SmartCityPilot",
    "SpongeCityPilot",
    "ResourceBasedCity",
    "RegionalCentreCity",
    "BroadbandChinaCity",
    "ForestCity",
]
HUB_LEVELS = ["hub-international", "hub-national", "hub-regional", "hub-local"]


def _labelled(g: Graph, node: URIRef, zh: str, en: str) -> None:
    g.add((node, RDFS.label, Literal(zh, lang="zh")))
    g.add((node, RDFS.label, Literal(en, lang="en")))


def synthetic_abox(projects: int = 1500, seed: int = 7) -> Graph:
    """Provinces, cities, counties, axes, projects, designations, passages and citations."""
    rnd = random.Random(seed)
    g = Graph()
    plan = ID["plan"]
    g.add((plan, RDF.type, ZY.Plan))
    sections = []
    for c in range(1, 11):
        chapter = ID[f"plan/ch{c:02d}"]
        g.add((chapter, RDF.type, ZY.Chapter))
        g.add((chapter, DCTERMS.isPartOf, plan))
        for s in range(1, 5):
            section = ID[f"plan/ch{c:02d}/s{s:02d}"]
            g.add((section, RDF.type, ZY.Section))
            g.add((section, DCTERMS.isPartOf, chapter))
            sections.append(section)
    passages = []
    for n in range(600):
        passage = ID[f"plan/p{n:03d}"]
        g.add((passage, RDF.type, ZY.Passage))
        g.add((passage, DCTERMS.isPartOf, rnd.choice(sections)))
        g.add((passage, ZY.text, Literal("中原城市群" * 40)))
        g.add((passage, ZY.sourceLine, Literal(n + 1, datatype=XSD.integer)))
        passages.append(passage)
    provinces = [ID[f"province/p{n}"] for n in range(5)]
    for n, province in enumerate(provinces):
        g.add((province, RDF.type, ZY.Province))
        _labelled(g, province, f"省{n}", f"Province {n}")
    cities, places = [], []
    for n in range(30):
        city = ID[f"city/c{n}"]
        g.add((city, RDF.type, ZY.PrefectureLevelCity))
        g.add((city, ZY.inProvince, provinces[n % 5]))
        g.add((city, ZY.adminCode, Literal(f"{410100 + n * 100}")))
        g.add(
            (
                city,
                URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#lat"),
                Literal("34.5", datatype=XSD.decimal),
            )
        )
        _labelled(g, city, f"城{n}", f"City {n}")
        cities.append(city)
    for n in range(250):
        county = ID[f"county/k{n}"]
        g.add((county, RDF.type, ZY.CountyLevelUnit))
        g.add((county, ZY.locatedIn, cities[n % 30]))
        _labelled(g, county, f"县{n}", f"County {n}")
        places.append(county)
    places += cities
    for n in range(4):
        axis = ID[f"axis/a{n}"]
        g.add((axis, RDF.type, ZY.MainDevelopmentAxis if n < 2 else ZY.DevelopmentAxis))
        _labelled(g, axis, f"轴{n}", f"Axis {n}")
        for city in rnd.sample(cities, 8):
            g.add((axis, ZY.hasNodeCity, city))
    citation_count = 0

    def cite(node: URIRef) -> None:
        nonlocal citation_count
        citation = ID[f"citation/q{citation_count}"]
        citation_count += 1
        g.add((node, ZY.hasCitation, citation))
        g.add((citation, RDF.type, ZY.Citation))
        g.add((citation, ZY.citedPassage, rnd.choice(passages)))
        g.add((citation, ZY.quote, Literal("建设郑州至某地铁路" * 3)))

    for n in range(projects):
        project = ID[f"project/x{n}"]
        g.add((project, RDF.type, ZY[rnd.choice(PROJECT_KINDS)]))
        g.add((project, ZY.hasStage, STAGE[rnd.choice(STAGES)]))
        _labelled(g, project, f"项目{n}", f"Project {n}")
        if n % 3:
            g.add((project, ZY.locatedIn, rnd.choice(places)))
        else:
            g.add((project, ZY.hasTerminus, rnd.choice(cities)))
            g.add((project, ZY.hasTerminus, rnd.choice(cities)))
            g.add((project, ZY.passesThrough, rnd.choice(places)))
        if n % 10 == 0 and n:
            g.add((project, ZY.partOfProject, ID[f"project/x{n - 1}"]))
        cite(project)
        if n % 4 == 0:
            cite(project)
    for n in range(400):
        designation = ID[f"designation/d{n}"]
        if n % 5 == 0:
            g.add((designation, RDF.type, ZY.TransportHubDesignation))
            g.add((designation, ZY.hubLevel, KIND[rnd.choice(HUB_LEVELS)]))
        else:
            g.add((designation, RDF.type, ZY[rnd.choice(DESIGNATIONS)]))
        g.add((designation, ZY.designatedPlace, rnd.choice(places)))
        g.add((designation, ZY.hasStage, STAGE[rnd.choice(STAGES)]))
        _labelled(g, designation, f"称号{n}", f"Designation {n}")
        cite(designation)
    return g
