"""Administrative codes and WGS84 coordinates of Chinese places, from cpca's adcode table."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from importlib.resources import files

# GCJ-02 is the WGS84 position shifted by a published polynomial offset computed on the
# Krasovsky 1940 ellipsoid; these are the constants of that published algorithm.
KRASOVSKY_A = 6378245.0
KRASOVSKY_EE = 0.00669342162296594323
# The inverse is iterated until the forward image is this close to the input (degrees).
INVERSE_TOLERANCE = 1e-10
INVERSE_MAX_STEPS = 50
# Coordinates are rounded so that builds stay byte-identical (1e-6° is about 0.1 m).
DECIMALS = 6


class GeoError(LookupError):
    """A name the adcode table does not know, or knows more than once."""


@dataclass(frozen=True)
class GeoFacts:
    """What the adcode table says about one administrative unit, in WGS84."""

    adcode: str  # GB/T 2260, 6 digits
    longitude: float
    latitude: float
    source: str


@dataclass(frozen=True)
class _Row:
    code: str  # the table's 12-digit code
    name: str
    longitude: float | None  # GCJ-02; virtual units (市辖区 …) have none
    latitude: float | None


def _offset(longitude: float, latitude: float) -> tuple[float, float]:
    """The GCJ-02 shift (degrees of longitude, latitude) at a WGS84 position."""
    x, y = longitude - 105.0, latitude - 35.0
    ripple = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    shift_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    shift_lat += ripple
    shift_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    shift_lat += (
        (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    )
    shift_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    shift_lon += ripple
    shift_lon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    shift_lon += (
        (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    )
    # The shifts above are in metres-like units; scale them by the ellipsoid's radii of curvature.
    phi = math.radians(latitude)
    w = 1.0 - KRASOVSKY_EE * math.sin(phi) ** 2
    meridian_radius = KRASOVSKY_A * (1.0 - KRASOVSKY_EE) / (w * math.sqrt(w))
    parallel_radius = KRASOVSKY_A / math.sqrt(w) * math.cos(phi)
    return (
        math.degrees(shift_lon / parallel_radius),
        math.degrees(shift_lat / meridian_radius),
    )


def wgs84_to_gcj02(longitude: float, latitude: float) -> tuple[float, float]:
    """The GCJ-02 position of a WGS84 position (mainland China)."""
    d_lon, d_lat = _offset(longitude, latitude)
    return longitude + d_lon, latitude + d_lat


def gcj02_to_wgs84(longitude: float, latitude: float) -> tuple[float, float]:
    """The WGS84 position whose GCJ-02 image is the given position, by fixed-point iteration."""
    # The offset changes slowly with position, so guessing "input minus the offset at the current
    # guess" contracts quickly: a few steps reach far below a millimetre.
    lon, lat = longitude, latitude
    for _ in range(INVERSE_MAX_STEPS):
        image_lon, image_lat = wgs84_to_gcj02(lon, lat)
        error_lon, error_lat = image_lon - longitude, image_lat - latitude
        if abs(error_lon) < INVERSE_TOLERANCE and abs(error_lat) < INVERSE_TOLERANCE:
            break
        lon, lat = lon - error_lon, lat - error_lat
    return lon, lat


def _number(cell: str) -> float | None:
    return float(cell) if cell else None


@cache
def _table() -> tuple[_Row, ...]:
    """The rows of cpca's resources/adcodes.csv (read once per process)."""
    text = files("cpca").joinpath("resources", "adcodes.csv").read_text(encoding="utf-8")
    return tuple(
        _Row(row["adcode"], row["name"], _number(row["longitude"]), _number(row["latitude"]))
        for row in csv.DictReader(text.splitlines())
    )


@cache
def _by_code() -> dict[str, _Row]:
    return {row.code: row for row in _table()}


@cache
def _by_name() -> dict[str, tuple[_Row, ...]]:
    index: dict[str, list[_Row]] = {}
    for row in _table():
        index.setdefault(row.name, []).append(row)
    return {name: tuple(rows) for name, rows in index.items()}


def _parents(row: _Row) -> list[_Row]:
    """The prefecture and province above a row, as far as the table has them."""
    prefixes = (row.code[:4] + "00000000", row.code[:2] + "0000000000")
    return [_by_code()[code] for code in prefixes if code != row.code and code in _by_code()]


def source_note() -> str:
    """The coordinateSource string for places resolved here."""
    return f"cpca {version('cpca')} resources/adcodes.csv (AMap centre, GCJ-02) converted to WGS84"


def resolve(name: str, parent: str | None = None) -> GeoFacts:
    """The code and WGS84 centre of the unit the table calls `name` (below `parent` if given)."""
    candidates = _by_name().get(name, ())
    if parent is not None:
        candidates = tuple(
            row for row in candidates if any(up.name == parent for up in _parents(row))
        )
    if not candidates:
        under = f" under {parent!r}" if parent is not None else ""
        raise GeoError(f"{name!r}{under} is not in cpca's adcode table")
    if len(candidates) > 1:
        where = "; ".join(
            "/".join(up.name for up in reversed(_parents(row))) or row.code for row in candidates
        )
        raise GeoError(f"{name!r} is ambiguous (in {where}): give adcodeParent")
    row = candidates[0]
    if row.longitude is None or row.latitude is None:
        raise GeoError(f"{name!r} ({row.code[:6]}) has no coordinates in cpca's adcode table")
    longitude, latitude = gcj02_to_wgs84(row.longitude, row.latitude)
    return GeoFacts(
        adcode=row.code[:6],
        longitude=round(longitude, DECIMALS),
        latitude=round(latitude, DECIMALS),
        source=source_note(),
    )
