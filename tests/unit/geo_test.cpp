// Tests of src/geo: the Chinese coordinate systems against published reference values, areas,
// GeoJSON reading and writing, point in polygon with the shared-edge rule, and the point index.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <protozero/pbf_reader.hpp>
#include <random>

#include "core/error.hpp"
#include "geo/china_coordinates.hpp"
#include "geo/geojson.hpp"
#include "geo/point_index.hpp"
#include "geo/vector_tile.hpp"

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

namespace {
// A minimal reader of what VectorTileBuilder writes: layer name -> feature geometries (commands).
std::map<std::string, std::vector<std::vector<std::uint32_t>>> read_tile(const std::string& data) {
    std::map<std::string, std::vector<std::vector<std::uint32_t>>> out;
    protozero::pbf_reader tile{data};
    while (tile.next(3)) {
        protozero::pbf_reader layer = tile.get_message();
        std::string name;
        std::vector<std::vector<std::uint32_t>> features;
        while (layer.next()) {
            if (layer.tag() == 1) {
                name = layer.get_string();
            } else if (layer.tag() == 2) {
                protozero::pbf_reader feature = layer.get_message();
                while (feature.next()) {
                    if (feature.tag() == 4) {
                        auto range = feature.get_packed_uint32();
                        features.emplace_back(range.begin(), range.end());
                    } else {
                        feature.skip();
                    }
                }
            } else {
                layer.skip();
            }
        }
        out[name] = std::move(features);
    }
    return out;
}
}  // namespace

TEST(VectorTile, TileBoundsFollowWebMercator) {
    const Box world = tile_bounds({0, 0, 0});
    EXPECT_NEAR(world.min_lon, -180, 1e-9);
    EXPECT_NEAR(world.max_lat, 85.0511287798, 1e-6);
    // Nanjing at zoom 10: x = 849, y = 415 holds 118.8 E, 32.0 N
    const Box b = tile_bounds({10, 849, 415});
    EXPECT_TRUE(b.contains({118.8, 32.0}));
}

TEST(VectorTile, EncodesClippedPolygonsAndOutlines) {
    // a square much larger than one z14 tile, and a small one inside it
    const MultiPolygon big = square(118.70, 31.60, 0.2), small = square(118.815, 31.712, 0.001);
    const TileId tile{14, 13599, 6668};  // 118.809-118.831 E, about 31.70-31.72 N
    ASSERT_TRUE(tile_bounds(tile).contains({118.8155, 31.7125}));
    VectorTileBuilder builder(tile);
    builder.add_layer(
        "areas", {{1, {{"code", std::string("320115005001")}, {"level", std::int64_t{4}}}, &big},
                  {2, {}, &small}});
    builder.add_layer("outlines", {{1, {}, &big}}, true);
    builder.add_layer("empty", {{3, {}, nullptr}});
    const auto layers = read_tile(builder.finish());
    ASSERT_EQ(layers.size(), 2u);  // no empty layer
    ASSERT_EQ(layers.at("areas").size(), 2u);
    // the big square is clipped to the buffered tile: MoveTo, LineTo x3, ClosePath
    const auto& clipped = layers.at("areas")[0];
    ASSERT_EQ(clipped.size(), 3u + 1 + 6 + 1);
    EXPECT_EQ(clipped[0], (1u << 3) | 1u);
    EXPECT_EQ(clipped[3], (3u << 3) | 2u);
    EXPECT_EQ(clipped.back(), (1u << 3) | 7u);
    // decode the ring and check it lies within the buffer and runs clockwise on screen
    std::vector<std::pair<long, long>> pts;
    long x = 0, y = 0;
    auto unzig = [](std::uint32_t v) {
        return static_cast<long>(static_cast<std::int32_t>((v >> 1) ^ (0u - (v & 1))));
    };
    x += unzig(clipped[1]);
    y += unzig(clipped[2]);
    pts.emplace_back(x, y);
    for (int i = 0; i < 3; ++i) {
        x += unzig(clipped[4 + 2 * i]);
        y += unzig(clipped[5 + 2 * i]);
        pts.emplace_back(x, y);
    }
    long area2 = 0;
    for (std::size_t i = 0, j = pts.size() - 1; i < pts.size(); j = i++)
        area2 += pts[j].first * pts[i].second - pts[i].first * pts[j].second;
    EXPECT_GT(area2, 0);
    for (const auto& [px, py] : pts) {
        EXPECT_GE(px, -64);
        EXPECT_LE(px, 4096 + 64);
        EXPECT_GE(py, -64);
        EXPECT_LE(py, 4096 + 64);
    }
    // outlines are closed line strings: MoveTo, LineTo x4 (back to the start), no ClosePath
    const auto& outline = layers.at("outlines")[0];
    EXPECT_EQ(outline[3], (4u << 3) | 2u);
    EXPECT_NE(outline.back(), (1u << 3) | 7u);
}
