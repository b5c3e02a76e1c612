"""The adcode look-up and the GCJ-02 → WGS84 conversion of zhongyuan_kg.graph.geo."""

import math

import pytest

from zhongyuan_kg.graph import geo

# A grid over the agglomeration and its neighbours (degrees east, degrees north).
GRID = [(lon / 2, lat / 2) for lon in range(220, 241) for lat in range(60, 79)]
METRES_PER_DEGREE = 111_320.0


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("郑州市", "410100"),
        ("宿州市", "341300"),
        ("济源市", "419001"),
        ("河南省", "410000"),
        ("峰峰矿区", "130406"),
        ("定陶区", "371703"),
    ],
)
def test_codes(name, code):
    assert geo.resolve(name).adcode == code


def test_suzhou_anhui_is_not_suzhou_jiangsu():
    assert geo.resolve("宿州市").adcode.startswith("3413")
    assert geo.resolve("苏州市").adcode == "320500"


def test_ambiguous_name_lists_the_candidates_parents():
    with pytest.raises(geo.GeoError) as raised:
        geo.resolve("朝阳区")
    assert "北京市" in str(raised.value)
    assert "长春市" in str(raised.value)


def test_parent_disambiguates():
    assert geo.resolve("朝阳区", "北京市").adcode == "110105"
    assert geo.resolve("朝阳区", "长春市").adcode == "220104"
    assert geo.resolve("西安区", "辽源市").adcode == "220403"


def test_unknown_name_and_wrong_parent_raise():
    with pytest.raises(geo.GeoError, match="not in cpca"):
        geo.resolve("芜湖")  # the table writes 芜湖市
    with pytest.raises(geo.GeoError, match="under '河北省'"):
        geo.resolve("郑州市", "河北省")


def test_unit_without_coordinates_raises():
    with pytest.raises(geo.GeoError, match="no coordinates"):
        geo.resolve("邯郸县")  # merged into Handan in 2016; the table keeps the code only


def test_result_is_wgs84_with_its_source():
    facts = geo.resolve("郑州市")
    # The table's GCJ-02 centre is 113.625328, 34.746611; the WGS84 point lies 568 m north-west.
    assert facts.longitude == pytest.approx(113.619286, abs=1e-6)
    assert facts.latitude == pytest.approx(34.747798, abs=1e-6)
    assert "GCJ-02" in facts.source and "WGS84" in facts.source
    assert facts.source.startswith("cpca ")


def test_table_is_read_once():
    assert geo._table() is geo._table()
    assert len(geo._table()) == 3511


def test_inverse_is_exact_to_a_micro_degree():
    for lon, lat in GRID:
        back = geo.wgs84_to_gcj02(*geo.gcj02_to_wgs84(lon, lat))
        assert back[0] == pytest.approx(lon, abs=1e-6)
        assert back[1] == pytest.approx(lat, abs=1e-6)


def test_offset_in_the_region_is_a_few_hundred_metres():
    for lon, lat in GRID:
        wgs_lon, wgs_lat = geo.gcj02_to_wgs84(lon, lat)
        east = (lon - wgs_lon) * METRES_PER_DEGREE * math.cos(math.radians(lat))
        north = (lat - wgs_lat) * METRES_PER_DEGREE
        assert 100 < math.hypot(east, north) < 1000
