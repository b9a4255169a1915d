// Tests of src/grid on both databases: the code rules, building a tree, boundary versions and
// "as of" queries, routing points through the snapshot, scopes, and all-or-nothing imports.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <map>

#include "accounts/user_service.hpp"
#include "core/error.hpp"
#include "grid/coverage.hpp"
#include "grid/demo_city.hpp"
#include "grid/grid_service.hpp"
#include "grid/staffing.hpp"
#include "grid/tree_exchange.hpp"
#include "support/grid_fixture.hpp"
#include "support/test_databases.hpp"

using namespace gridgov;
using gridgov::test_support::code_of;
using namespace gridgov::grid;
using store::Dialect;
using test_support::GridTest;
using test_support::square;

TEST(GridCodes, FollowTheLevels) {
    EXPECT_NO_THROW(validate_code("3201", city, ""));
    EXPECT_NO_THROW(validate_code("320115", district, "3201"));
    EXPECT_NO_THROW(validate_code("320115005", street, "320115"));
    EXPECT_NO_THROW(validate_code("320115005001", community, "320115005"));
    EXPECT_NO_THROW(validate_code("320115005001003", grid_level, "320115005001"));
    EXPECT_NO_THROW(validate_code("32011500500100301", micro_grid, "320115005001003"));
    EXPECT_EQ(code_of([] { validate_code("32011", district, "3201"); }), ErrorCode::invalid_field);
    EXPECT_EQ(code_of([] { validate_code("320215", district, "3201"); }), ErrorCode::invalid_field);
    EXPECT_EQ(code_of([] { validate_code("3201a5", district, "3201"); }), ErrorCode::invalid_field);
    EXPECT_EQ(code_of([] { validate_code("320100", district, "3201"); }), ErrorCode::invalid_field);
    EXPECT_EQ(level_of_code("320115005001003"), grid_level);
    EXPECT_EQ(level_label_zh(grid_level), "网格");
}

TEST(GridCodes, KindsBelongToGrids) {
    EXPECT_NO_THROW(validate_kind(community, std::nullopt, std::nullopt));
    EXPECT_NO_THROW(validate_kind(grid_level, "comprehensive", std::nullopt));
    EXPECT_NO_THROW(validate_kind(grid_level, "dedicated", "school"));
    EXPECT_THROW(validate_kind(community, "comprehensive", std::nullopt), Error);
    EXPECT_THROW(validate_kind(grid_level, std::nullopt, std::nullopt), Error);
    EXPECT_THROW(validate_kind(grid_level, "dedicated", std::nullopt), Error);
    EXPECT_THROW(validate_kind(grid_level, "dedicated", "casino"), Error);
    EXPECT_THROW(validate_kind(grid_level, "comprehensive", "school"), Error);
}

TEST_P(GridTest, BuildsATreeWithPathsAndAreas) {
    build();
    const auto snap = grid.snapshot();
    EXPECT_EQ(snap->node_count(), 13u);
    EXPECT_EQ(snap->shape_count(grid_level), 8u);
    const auto street = grid.get(id_of("320115005"), nullptr);
    EXPECT_EQ(street.level, Level::street);
    EXPECT_EQ(street.name, "禄口街道");
    ASSERT_TRUE(street.area_m2.has_value());
    EXPECT_NEAR(*street.area_m2, 16.83e6, 0.05e6);  // a 0.04° square at 31.7° N: 4.45 km × 3.78 km
    const auto children = grid.children(street.id, nullptr);
    ASSERT_EQ(children.size(), 2u);
    EXPECT_EQ(children[0].code, "320115005001");
    const auto path = grid.ancestors(id_of("320115005002008"), nullptr);
    ASSERT_EQ(path.size(), 5u);
    EXPECT_EQ(path.front().name, "南京市");
    EXPECT_EQ(path.back().name, "第8网格");
    EXPECT_EQ(grid.search("禄口", nullptr, 10).size(), 1u);
    EXPECT_EQ(grid.search("320115005001", nullptr, 20).size(),
              5u);  // the community and its 4 grids
}

TEST_P(GridTest, RoutesPointsToTheDeepestNode) {
    build();
    const auto snap = grid.snapshot();
    const auto inside = snap->locate({118.805, 31.705});
    ASSERT_TRUE(inside);
    EXPECT_EQ(snap->node(inside->node_id)->code, "320115005001001");
    EXPECT_EQ(snap->path(inside->node_id).size(), 5u);
    // in the street but outside every grid does not happen here; in the district but not the
    // street:
    const auto district_only = snap->locate({118.6, 31.6});
    ASSERT_TRUE(district_only);
    EXPECT_EQ(snap->node(district_only->node_id)->code, "320115");
    // outside everything: nothing, or the nearest grid within the distance asked for
    EXPECT_FALSE(snap->locate({117.0, 31.7}).has_value());
    const auto near = snap->locate({118.799, 31.705}, 0);
    ASSERT_TRUE(near);  // still inside the district
    EXPECT_EQ(snap->node(near->node_id)->level, district);
}

TEST_P(GridTest, CodesAndKindsAreChecked) {
    build();
    const auto community = id_of("320115005001");
    EXPECT_EQ(
        code_of([&] {
            grid.create({"320115005001", "重复", community, {}, "comprehensive"}, nullptr, origin);
        }),
        ErrorCode::invalid_field);  // a community's code is too short for a grid
    EXPECT_EQ(code_of([&] {
                  grid.create({"320115005001001", "重复", community, {}, "comprehensive"}, nullptr,
                              origin);
              }),
              ErrorCode::conflict);
    EXPECT_EQ(code_of([&] {
                  grid.create({"320115005001009", "没有类型", community}, nullptr, origin);
              }),
              ErrorCode::invalid_field);
    const auto made =
        grid.create({"320115005001009", "新网格", community, {}, "comprehensive"}, nullptr, origin);
    EXPECT_EQ(made.level, grid_level);
    EXPECT_EQ(made.path, grid.get(community, nullptr).path + std::to_string(made.id) + "/");
}

TEST_P(GridTest, BoundaryChangesKeepTheOldVersions) {
    build();
    const auto g = id_of("320115005001001");
    const Millis before = clock.now();
    clock.advance(kHour);
    grid.set_boundary(g, square(118.8, 31.7, 0.005), "划小网格", nullptr, origin);
    const auto history = grid.boundary_history(g, nullptr);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_FALSE(history[0].valid_to.has_value());
    EXPECT_EQ(history[1].valid_to, history[0].valid_from);
    EXPECT_EQ(history[0].reason, "划小网格");
    EXPECT_NEAR(
        geo::area_m2(*grid.boundary(g, before)) / geo::area_m2(*grid.boundary(g, std::nullopt)),
        4.0, 0.01);
    // routing follows the new boundary at once
    const auto snap = grid.snapshot();
    EXPECT_EQ(snap->node(snap->locate({118.8075, 31.7025})->node_id)->level, community);
    EXPECT_EQ(snap->locate({118.8025, 31.7025})->node_id, g);
}

TEST_P(GridTest, ScopedViewersSeeTheirSubtreeAndTheirAncestors) {
    build();
    accounts::Principal viewer{
        accounts::Principal::Kind::user, 1,           "worker", "刘洋", accounts::Role::grid_worker,
        id_of("320115005001"),           std::nullopt};
    EXPECT_NO_THROW(grid.get(id_of("320115005001003"), &viewer));
    EXPECT_NO_THROW(grid.get(id_of("320115"), &viewer));  // an ancestor, for the breadcrumbs
    EXPECT_EQ(code_of([&] { grid.get(id_of("320115005002005"), &viewer); }), ErrorCode::not_found);
    EXPECT_EQ(grid.children(id_of("320115005"), &viewer).size(), 1u);
    EXPECT_TRUE(grid.is_within(id_of("320115005001003"), id_of("320115")));
    EXPECT_FALSE(grid.is_within(id_of("320115"), id_of("320115005001003")));
    EXPECT_EQ(code_of([&] {
                  grid.create({"320115005001010", "x", id_of("320115005001"), {}, "comprehensive"},
                              &viewer, origin);
              }),
              ErrorCode::forbidden);
}

TEST_P(GridTest, ScopedAdminsManageUsersBelowThemThroughTheTree) {
    build();
    std::array<unsigned char, FieldCipher::kKeyBytes> key{};
    const FieldCipher cipher(key);
    accounts::UserService users(*db, audit, cipher, clock, {}, grid);
    const accounts::Principal street_admin{accounts::Principal::Kind::user,
                                           99,
                                           "street",
                                           "街道管理员",
                                           accounts::Role::admin,
                                           id_of("320115005"),
                                           std::nullopt};
    accounts::NewUser worker{"gridworker",
                             "网格员",
                             std::nullopt,
                             accounts::Role::grid_worker,
                             id_of("320115005002006"),
                             std::nullopt,
                             "Passw0rd!"};
    EXPECT_NO_THROW(users.create(worker, &street_admin, origin));
    accounts::NewUser outside{"outsider",      "区里的人",   std::nullopt, accounts::Role::center,
                              id_of("320115"), std::nullopt, "Passw0rd!"};
    EXPECT_THROW(users.create(outside, &street_admin, origin), Error);
    // the street's admin lists the users placed anywhere below the street, and no others
    users.create(outside, nullptr, origin);
    std::int64_t total = 0;
    const auto seen = users.list({}, &street_admin, 50, 0, &total);
    ASSERT_EQ(total, 1);
    EXPECT_EQ(seen.at(0).login, "gridworker");
}

TEST_P(GridTest, AnImportIsAllOrNothing) {
    build();
    std::vector<NewNode> nodes{{"320115005002009", "好的", {}, "320115005002", "comprehensive"},
                               {"320115005002010", "坏的", {}, "320115005002", "unknown-kind"}};
    EXPECT_THROW(grid.import(nodes, nullptr, origin), Error);
    EXPECT_FALSE(grid.find_by_code("320115005002009").has_value());
    EXPECT_EQ(grid.snapshot()->node_count(), 13u);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, GridTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return test_support::dialect_name(info.param); });

TEST(TreeImport, ReadsTheFilesOwnPropertyNamesThroughAMapping) {
    // a real file keeps its code in WGBM (as a number) and its name in NAME
    const auto doc = boost::json::parse(R"({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"WGBM": 320115005001009, "NAME": "永兴社区第9网格",
         "SJBM": "320115005001", "LX": "comprehensive"}, "geometry": null}]})");
    const auto known = [](const std::string& code) { return code == "320115005001"; };
    const auto plain = parse_tree_geojson(doc, geo::Crs::wgs84, known);
    ASSERT_FALSE(plain.problems.empty());
    EXPECT_EQ(plain.problems.front().field, "features[0].properties.code");
    EXPECT_NE(plain.problems.front().message.find("code:WGBM"), std::string::npos);
    const auto mapped = parse_tree_geojson(
        doc, geo::Crs::wgs84, known,
        parse_property_mapping({"WGBM:code", "NAME:name", "SJBM:parent_code", "LX:kind"}));
    for (const auto& p : mapped.problems) ADD_FAILURE() << p.field << ": " << p.message;
    ASSERT_EQ(mapped.nodes.size(), 1u);
    EXPECT_EQ(mapped.nodes.front().code, "320115005001009");
    EXPECT_EQ(mapped.nodes.front().name, "永兴社区第9网格");
    EXPECT_EQ(mapped.nodes.front().parent_code, "320115005001");
    // a parent it cannot find is named
    const auto orphan = parse_tree_geojson(
        doc, geo::Crs::wgs84, [](const std::string&) { return false; },
        parse_property_mapping({"WGBM:code", "NAME:name", "LX:kind"}));
    ASSERT_EQ(orphan.problems.size(), 1u);
    EXPECT_NE(orphan.problems.front().message.find("320115005001"), std::string::npos);
    EXPECT_EQ(code_of([] { parse_property_mapping({"WGBM:colour"}); }), ErrorCode::invalid_field);
    EXPECT_EQ(code_of([] { parse_property_mapping({"WGBM"}); }), ErrorCode::invalid_field);
}

TEST(DemoCity, BuildsLukouFromTheRealDivisions) {
    const auto city = build_demo_city({});
    EXPECT_EQ(city.street_name, "禄口街道");
    EXPECT_EQ(city.communities, 30);
    EXPECT_EQ(city.grids, 145);
    EXPECT_EQ(city.dedicated, 14);
    std::map<std::string, const NewNode*> by_code;
    for (const auto& n : city.nodes) by_code[n.code] = &n;
    EXPECT_EQ(by_code.at("3201")->name, "南京市");
    EXPECT_EQ(by_code.at("320115")->name, "江宁区");
    EXPECT_EQ(by_code.at("320115005001")->name, "永兴社区");
    EXPECT_EQ(by_code.at("320115005200")->name, "杨树湾村");
    // every grid is inside its community, and the grids of a community add up to it
    std::map<std::string, double> grid_area;
    for (const auto& n : city.nodes) {
        if (n.code.size() != 15) continue;
        ASSERT_TRUE(n.boundary.has_value()) << n.code;
        ASSERT_TRUE(n.kind.has_value());
        grid_area[n.code.substr(0, 12)] += geo::area_m2(*n.boundary);
    }
    for (const auto& [community, area] : grid_area) {
        EXPECT_NEAR(area / geo::area_m2(*by_code.at(community)->boundary), 1.0, 1e-4) << community;
    }
    // the same seed builds the same city
    const auto again = build_demo_city({});
    ASSERT_EQ(again.nodes.size(), city.nodes.size());
    EXPECT_EQ(again.nodes.back().boundary->front().outer,
              city.nodes.back().boundary->front().outer);
    // Lukou lies south of the district seat, around the airport
    const geo::Box lukou = geo::bounding_box(*by_code.at("320115005")->boundary);
    EXPECT_LT(lukou.max_lat, 31.85);
    EXPECT_GT(lukou.min_lat, 31.55);
}

TEST_P(GridTest, TheDemoCityImportsAndRoutesItsPoints) {
    const auto city = build_demo_city({});
    grid.import(city.nodes, nullptr, origin);
    const auto snap = grid.snapshot();
    EXPECT_EQ(snap->shape_count(grid_level), 145u);
    const auto street = grid.find_by_code("320115005");
    const auto shape = *grid.boundary(street->id, std::nullopt);
    const geo::Box box = geo::bounding_box(shape);
    int inside = 0, routed = 0;
    for (int i = 0; i < 400; ++i) {
        const geo::LonLat p{box.min_lon + (box.max_lon - box.min_lon) * ((i * 37) % 400) / 400.0,
                            box.min_lat + (box.max_lat - box.min_lat) * ((i * 91) % 400) / 400.0};
        if (!geo::contains(shape, p)) continue;
        ++inside;
        const auto found = snap->locate(p);
        if (found && snap->node(found->node_id)->level == grid_level) ++routed;
    }
    EXPECT_GT(inside, 100);
    EXPECT_EQ(routed, inside);  // every point of the street lies in one of its grids
}

TEST(Coverage, FindsGapsOverlapsOutsidersAndInvalidShapes) {
    geo::MultiPolygon bowtie{geo::Polygon{
        {{118.03, 31.0}, {118.04, 31.01}, {118.04, 31.0}, {118.03, 31.01}, {118.03, 31.0}}, {}}};
    std::vector<CoverageNode> nodes{
        {1, "320115005001", "社区", 0, square(118.0, 31.0, 0.02)},
        {2, "320115005001001", "一", 1, square(118.0, 31.0, 0.01)},
        {3, "320115005001002", "二", 1,
         square(118.008, 31.01, 0.01)},  // overlaps nothing, leaves a gap
        {4, "320115005001003", "三", 1,
         square(118.01, 31.0, 0.0105)},  // reaches 0.0005° past the east edge
        {5, "320115005001004", "四", 1, square(118.0095, 31.0, 0.001)},  // overlaps 一 and 三
        {6, "320115005001005", "五", 1, bowtie},
    };
    const auto report = check_coverage(nodes);
    std::map<std::string, int> kinds;
    for (const auto& f : report.findings) ++kinds[f.kind];
    EXPECT_EQ(kinds["invalid"], 1);
    EXPECT_GE(kinds["outside_parent"], 1);
    EXPECT_EQ(kinds["overlap"], 3);  // 一×四, 三×四, 二×三 along their strip
    EXPECT_GE(kinds["gap"], 1);
    for (const auto& f : report.findings) {
        if (f.kind != "invalid") {  // a bow-tie's signed halves cancel: it has no area to report
            EXPECT_GT(f.area_m2, 0) << f.kind;
            EXPECT_TRUE(geo::contains(f.shape, f.point)) << f.kind;
        }
        if (f.kind == "outside_parent") {
            EXPECT_EQ(f.codes, (std::vector<std::string>{"320115005001003", "320115005001"}));
            EXPECT_NEAR(f.area_m2, 0.0005 * 0.0105 * 111195 * 111195 * 0.857, 0.1 * 5.4e3);
        }
    }
}

TEST(Coverage, SiblingsOverlapWhateverTheirParent) {
    // a community without a boundary of its own (often so in real files): its grids still may
    // not overlap, and a tree of roots is checked the same way
    std::vector<CoverageNode> nodes{
        {1, "320115005001", "社区", 0, {}},
        {2, "320115005001001", "一", 1, square(118.0, 31.0, 0.01)},
        {3, "320115005001002", "二", 1, square(118.005, 31.0, 0.01)},
        {4, "320115005001003", "三", 1, square(118.02, 31.0, 0.01)},
        {5, "320115005002", "另一社区", 0, square(118.009, 31.0, 0.01)},
        {6, "320115005003", "第三社区", 0, square(118.012, 31.0, 0.01)},
    };
    const auto report = check_coverage(nodes);
    std::vector<std::vector<std::string>> overlaps;
    for (const auto& f : report.findings) {
        EXPECT_EQ(f.kind, "overlap");
        overlaps.push_back(f.codes);
    }
    EXPECT_EQ(overlaps,
              (std::vector<std::vector<std::string>>{{"320115005002", "320115005003"},
                                                     {"320115005001001", "320115005001002"}}));
}

TEST(Coverage, TheDemoCityCoversItsParentsWithoutGapsOrOverlaps) {
    const auto city = build_demo_city({});
    std::map<std::string, std::int64_t> ids;
    std::vector<CoverageNode> nodes;
    for (const auto& n : city.nodes) {
        const std::int64_t id = static_cast<std::int64_t>(nodes.size()) + 1;
        ids[n.code] = id;
        nodes.push_back({id, n.code, n.name, n.parent_code ? ids.at(*n.parent_code) : 0,
                         n.boundary.value_or(geo::MultiPolygon{})});
    }
    const auto report = check_coverage(nodes);
    // the city, its districts, Jiangning's streets, Lukou's communities and grids: all covered
    // exactly, the source outlines' overlaps resolved
    for (const auto& f : report.findings)
        ADD_FAILURE() << f.kind << " " << f.codes.front() << " " << f.area_m2;
    EXPECT_EQ(report.parents_checked, 33u);
    EXPECT_EQ(report.nodes_checked, 197u);
}

TEST_P(GridTest, NeighboursNearbyAndOneWorkerPerGrid) {
    build();
    GridStaffing staffing(*db, audit, clock, grid);
    // grid 1 (118.80-118.81, 31.70-31.71): east of it grid 3, north grid 2; grid 4 only touches a
    // corner
    const auto neighbours = staffing.neighbours(id_of("320115005001001"), nullptr);
    std::vector<std::string> codes;
    for (const auto& n : neighbours) codes.push_back(n.node.code);
    std::sort(codes.begin(), codes.end());
    EXPECT_EQ(codes, (std::vector<std::string>{"320115005001002", "320115005001003"}));
    EXPECT_NEAR(neighbours[0].shared_m, 1000, 200);
    // across the community border, grid 3 meets grid 5 of the next community
    const auto across = staffing.neighbours(id_of("320115005001003"), nullptr);
    EXPECT_TRUE(std::any_of(across.begin(), across.end(),
                            [](const Neighbour& n) { return n.node.code == "320115005002005"; }));
    const auto near = staffing.nearby({118.805, 31.705}, 1200, grid_level, nullptr);
    ASSERT_GE(near.size(), 3u);
    EXPECT_EQ(near[0].code, "320115005001001");
    EXPECT_EQ(near[0].distance_m, 0);
    EXPECT_GT(near[1].distance_m, 400);

    std::array<unsigned char, FieldCipher::kKeyBytes> key{};
    const FieldCipher cipher(key);
    accounts::UserService users(*db, audit, cipher, clock, {}, grid);
    auto make = [&](const char* login, accounts::Role role) {
        return users
            .create({login, login, std::nullopt, role,
                     role == accounts::Role::volunteer ? std::nullopt
                                                       : std::optional(id_of("320115005001")),
                     std::nullopt, "Passw0rd!"},
                    nullptr, origin)
            .id;
    };
    const auto liu = make("liuyang", accounts::Role::grid_worker),
               chen = make("chenjing", accounts::Role::grid_head),
               zhao = make("zhaomin", accounts::Role::volunteer);
    // 7 comprehensive grids, nobody assigned yet
    EXPECT_EQ(staffing.one_worker_per_grid(std::nullopt, nullptr).size(), 7u);
    staffing.assign(id_of("320115005001001"), liu, "full_time", nullptr, origin);
    staffing.assign(id_of("320115005001"), chen, "head", nullptr, origin);
    EXPECT_EQ(code_of([&] {
                  staffing.assign(id_of("320115005001002"), zhao, "full_time", nullptr, origin);
              }),
              ErrorCode::invalid_field);  // a volunteer is no grid worker
    EXPECT_EQ(
        code_of([&] { staffing.assign(id_of("320115005001"), liu, "full_time", nullptr, origin); }),
        ErrorCode::invalid_field);  // workers serve grids, not communities
    EXPECT_EQ(
        code_of([&] { staffing.assign(id_of("320115005001002"), liu, "boss", nullptr, origin); }),
        ErrorCode::invalid_field);
    const auto gaps = staffing.one_worker_per_grid(id_of("320115005001"), nullptr);
    EXPECT_EQ(gaps.size(), 2u);  // grids 2 and 3 (grid 4 is a dedicated school grid)
    EXPECT_EQ(staffing.workers(id_of("320115005001001"), nullptr).at(0).login, "liuyang");
    staffing.remove(id_of("320115005001001"), liu, nullptr, origin);
    EXPECT_TRUE(staffing.workers(id_of("320115005001001"), nullptr).empty());
    EXPECT_EQ(code_of([&] { staffing.remove(id_of("320115005001001"), liu, nullptr, origin); }),
              ErrorCode::not_found);
}
