// Tests of src/geo: the Chinese coordinate systems against published reference values, areas,
// GeoJSON reading and writing, point in polygon with the shared-edge rule, and the point index.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <random>

#include "core/error.hpp"
#include "geo/china_coordinates.hpp"
#include "geo/geojson.hpp"
#include "geo/point_index.hpp"

using namespace gridgov;
using namespace gridgov::geo;

namespace {

MultiPolygon square(double lon0, double lat0, double size) {
    Polygon p;
    p.outer = {{lon0, lat0},
               {lon0 + size, lat0},
               {lon0 + size, lat0 + size},
               {lon0, lat0 + size},
               {lon0, lat0}};
    return {p};
}

}  // namespace

// Reference values: the README of the coordtransform library (wandergis), the usual test vectors.
TEST(ChinaCoordinates, MatchPublishedReferenceValues) {
    const LonLat gcj = wgs84_to_gcj02({116.404, 39.915});
    EXPECT_NEAR(gcj.lon, 116.41024449916938, 1e-12);
    EXPECT_NEAR(gcj.lat, 39.91640428150164, 1e-12);
    const LonLat bd = gcj02_to_bd09({116.404, 39.915});
    EXPECT_NEAR(bd.lon, 116.41036949371029, 1e-12);
    EXPECT_NEAR(bd.lat, 39.92133699351021, 1e-12);
    const LonLat back = bd09_to_gcj02({116.404, 39.915});
    EXPECT_NEAR(back.lon, 116.39762729119315, 1e-12);
    EXPECT_NEAR(back.lat, 39.90865673957631, 1e-12);
    // the library's one-step GCJ-02 -> WGS84 is approximate; ours iterates to the exact inverse,
    // which lies within 1e-5 degrees (about a metre) of the published one-step value
    const LonLat wgs = gcj02_to_wgs84({116.404, 39.915});
    EXPECT_NEAR(wgs.lon, 116.39775550083061, 1e-5);
    EXPECT_NEAR(wgs.lat, 39.91359571849836, 1e-5);
}

TEST(ChinaCoordinates, InverseIsExactToACentimetre) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> lon(73, 135), lat(18, 53);
    for (int i = 0; i < 1000; ++i) {
        const LonLat p{lon(rng), lat(rng)};
        const LonLat back = gcj02_to_wgs84(wgs84_to_gcj02(p));
        EXPECT_LT(distance_m(p, back), 0.01) << p.lon << "," << p.lat;
        const LonLat from_bd = to_wgs84(gcj02_to_bd09(wgs84_to_gcj02(p)), Crs::bd09);
        EXPECT_LT(distance_m(p, from_bd), 0.5);  // the standard BD-09 inverse is good to ~0.2 m
    }
}

TEST(ChinaCoordinates, OutsideChinaNothingMoves) {
    const LonLat london{-0.1246, 51.5007};
    EXPECT_EQ(wgs84_to_gcj02(london), london);
    EXPECT_EQ(gcj02_to_wgs84(london), london);
    EXPECT_EQ(parse_crs("gcj02"), Crs::gcj02);
    EXPECT_FALSE(parse_crs("mercator").has_value());
}

TEST(Geometry, AreaOfAKnownSquare) {
    // areas on the authalic sphere are within 0.5% of the ellipsoid's: a 0.01° square is
    // 1113.2 m × 1105.7 m at the equator and 944.9 m × 1108.6 m at Nanjing (32° N)
    EXPECT_NEAR(area_m2(square(0, 0, 0.01)), 1113.2 * 1105.7, 0.005 * 1.2309e6);
    EXPECT_NEAR(area_m2(square(118.8, 32.0, 0.01)), 944.9 * 1108.6, 0.002 * 1.0475e6);
    MultiPolygon holed = square(118.8, 32.0, 0.02);
    holed[0].holes.push_back(square(118.805, 32.005, 0.01)[0].outer);
    EXPECT_NEAR(area_m2(holed),
                area_m2(square(118.8, 32.0, 0.02)) - area_m2(square(118.805, 32.005, 0.01)), 1);
    EXPECT_NEAR(area_m2(holed) / area_m2(square(118.8, 32.0, 0.01)), 3, 0.01);
}

TEST(Geometry, PointsOnASharedEdgeBelongToExactlyOneSide) {
    const MultiPolygon west = square(118.0, 32.0, 0.01), east = square(118.01, 32.0, 0.01);
    const MultiPolygon south = square(118.0, 31.99, 0.01);
    for (double lat : {32.0, 32.0025, 32.005, 32.0099}) {
        const LonLat on_edge{118.01, lat};
        EXPECT_NE(contains(west, on_edge), contains(east, on_edge)) << lat;
        EXPECT_TRUE(contains(east, on_edge));  // east of a north-south edge
    }
    const LonLat on_south_edge{118.005, 32.0};
    EXPECT_NE(contains(west, on_south_edge), contains(south, on_south_edge));
    EXPECT_TRUE(contains(west, on_south_edge));  // north of an east-west edge
    // the corner shared by four squares goes to exactly one of them
    const MultiPolygon south_east = square(118.01, 31.99, 0.01);
    const LonLat corner{118.01, 32.0};
    EXPECT_EQ(contains(west, corner) + contains(east, corner) + contains(south, corner) +
                  contains(south_east, corner),
              1);
}

TEST(Geometry, HolesAndDistances) {
    MultiPolygon holed = square(0, 0, 0.02);
    holed[0].holes.push_back(
        {{0.005, 0.005}, {0.005, 0.015}, {0.015, 0.015}, {0.015, 0.005}, {0.005, 0.005}});
    EXPECT_FALSE(contains(holed, {0.01, 0.01}));
    EXPECT_TRUE(contains(holed, {0.002, 0.01}));
    EXPECT_EQ(distance_m({0.002, 0.01}, holed), 0);
    EXPECT_NEAR(distance_m({0.03, 0.01}, holed), 1113.2, 2);  // 0.01° east of the edge
}

TEST(GeoJson, ReadsWritesAndNormalizes) {
    const auto v = boost::json::parse(
        R"({"type":"Polygon","coordinates":[[[118,32],[118,32.01],[118.01,32.01],[118.01,32],[118.01,32],[118,32]]]})");
    MultiPolygon shape = parse_geometry(v);
    ASSERT_EQ(shape.size(), 1u);
    EXPECT_LT(signed_area_deg2(shape[0].outer), 0);  // given clockwise
    normalize(shape);
    EXPECT_GT(signed_area_deg2(shape[0].outer), 0);
    EXPECT_EQ(shape[0].outer.size(), 5u);  // the repeated position is gone
    const auto out = geometry_json(shape);
    EXPECT_EQ(out.at("type").as_string(), "Polygon");
    const MultiPolygon again = parse_geometry(out);
    EXPECT_EQ(again[0].outer, shape[0].outer);
}

TEST(GeoJson, NamesThePlaceAtFault) {
    const auto check = [](const char* text, const char* field_prefix) {
        try {
            parse_geometry(boost::json::parse(text));
            ADD_FAILURE() << text;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::invalid_field) << text;
            EXPECT_TRUE(e.field().starts_with(field_prefix)) << e.field();
        }
    };
    check(R"({"type":"Point","coordinates":[1,2]})", "geometry");
    check(R"({"type":"Polygon"})", "geometry");
    check(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]})", "geometry.coordinates[0]");
    check(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})",
          "geometry.coordinates[0]");
    check(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,"x"],[0,0]]]})",
          "geometry.coordinates[0][2]");
    check(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,91],[0,0]]]})",
          "geometry.coordinates[0][2]");
    check(R"({"type":"MultiPolygon","coordinates":[]})", "geometry");
}

TEST(PointIndex, FindsTheContainingShapeAndTheNearest) {
    std::vector<PointIndex::Entry> entries;
    std::int64_t id = 1;
    for (int x = 0; x < 10; ++x) {
        for (int y = 0; y < 10; ++y)
            entries.push_back({id++, square(118 + x * 0.01, 32 + y * 0.01, 0.01)});
    }
    const PointIndex index(std::move(entries));
    EXPECT_EQ(index.size(), 100u);
    EXPECT_EQ(index.find({118.005, 32.005}), 1);
    EXPECT_EQ(index.find({118.015, 32.005}), 11);
    EXPECT_EQ(index.find({118.01, 32.005}), 11);  // on the edge: the eastern square
    EXPECT_FALSE(index.find({117.9, 32.0}).has_value());
    const auto near = index.nearest({117.999, 32.005}, 500);
    ASSERT_TRUE(near.has_value());
    EXPECT_EQ(near->id, 1);
    EXPECT_NEAR(near->distance_m, 94.4, 1);
    EXPECT_FALSE(index.nearest({117.99, 32.005}, 500).has_value());
    // every random point inside the block is found in exactly the square the arithmetic says
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u(0, 0.1);
    for (int i = 0; i < 2000; ++i) {
        const LonLat p{118 + u(rng), 32 + u(rng)};
        const auto expected =
            1 + static_cast<int>((p.lon - 118) / 0.01) * 10 + static_cast<int>((p.lat - 32) / 0.01);
        const auto got = index.find(p);
        ASSERT_TRUE(got.has_value());
        // points within float error of a grid line may go either way; the rest must match
        const double fx = (p.lon - 118) / 0.01, fy = (p.lat - 32) / 0.01;
        if (std::abs(fx - std::round(fx)) > 1e-9 && std::abs(fy - std::round(fy)) > 1e-9) {
            EXPECT_EQ(*got, expected);
        }
    }
    EXPECT_EQ(index.in_box({118.0, 32.0, 118.005, 32.005}), std::vector<std::int64_t>{1});
}
