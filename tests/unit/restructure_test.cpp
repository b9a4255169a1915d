// Tests of the versioned restructuring of the grid tree on both databases: splitting, merging,
// renumbering and moving grids, the "as of" queries that still see the old tree, the lineage,
// workers and scopes following the successors, and a second process picking up the change.
#include <gtest/gtest.h>

#include <algorithm>

#include "accounts/user_service.hpp"
#include "core/error.hpp"
#include "grid/grid_service.hpp"
#include "grid/staffing.hpp"
#include "support/grid_fixture.hpp"
#include "support/test_databases.hpp"

using namespace gridgov;
using namespace gridgov::grid;
using gridgov::test_support::code_of;
using gridgov::test_support::square;
using store::Dialect;

namespace {

geo::MultiPolygon rectangle(double lon0, double lat0, double lon1, double lat1) {
    geo::Polygon p;
    p.outer = {{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}};
    return {p};
}

SplitPart part(std::string code, std::string name, geo::MultiPolygon shape) {
    SplitPart p;
    p.code = std::move(code);
    p.name = std::move(name);
    p.boundary = std::move(shape);
    return p;
}

std::vector<std::string> codes(const std::vector<GridNode>& nodes) {
    std::vector<std::string> out;
    for (const auto& n : nodes) out.push_back(n.code);
    return out;
}

}  // namespace

class RestructureTest : public test_support::GridTest {
  protected:
    std::int64_t make_user(const char* login, accounts::Role role,
                           std::optional<std::int64_t> scope = std::nullopt) {
        return users
            .create({login, login, std::nullopt, role, scope, std::nullopt, "Passw0rd!"}, nullptr,
                    origin)
            .id;
    }
    // grid 1 of community 001 covers 118.80–118.81 E, 31.70–31.71 N
    std::vector<SplitPart> halves_of_grid_1() {
        return {part("320115005001009", "西半", rectangle(118.80, 31.70, 118.805, 31.71)),
                part("320115005001010", "东半", rectangle(118.805, 31.70, 118.81, 31.71))};
    }

    std::array<unsigned char, FieldCipher::kKeyBytes> key{};
    FieldCipher cipher{key};
    accounts::UserService users{*db, audit, cipher, clock, {}, grid};
    GridStaffing staffing{*db, audit, clock, grid};
};

TEST_P(RestructureTest, ASplitRetiresTheGridAndKeepsTheOldTreeForAsOfQueries) {
    build();
    const auto old_id = id_of("320115005001001");
    const auto community = id_of("320115005001");
    const auto worker = make_user("liuyang", accounts::Role::grid_worker, old_id);
    staffing.assign(old_id, worker, "full_time", nullptr, origin);
    const Millis before = clock.now();
    clock.advance(kHour);

    // a dry run checks and shows, and writes nothing
    const auto preview =
        grid.split(old_id, halves_of_grid_1(), "人口增长", {}, true, nullptr, origin);
    EXPECT_EQ(codes(preview.created),
              (std::vector<std::string>{"320115005001009", "320115005001010"}));
    EXPECT_TRUE(preview.check.findings.empty());
    EXPECT_FALSE(grid.find_by_code("320115005001009").has_value());
    EXPECT_FALSE(grid.get(old_id, nullptr).valid_to.has_value());

    const auto done =
        grid.split(old_id, halves_of_grid_1(), "人口增长", {}, false, nullptr, origin);
    ASSERT_EQ(done.retired.size(), 1u);
    EXPECT_EQ(done.retired[0].valid_to, clock.now());
    const auto west = id_of("320115005001009"), east = id_of("320115005001010");
    // routing and the current tree see the parts at once
    const auto snap = grid.snapshot();
    EXPECT_EQ(snap->locate({118.8025, 31.705})->node_id, west);
    EXPECT_EQ(snap->locate({118.8075, 31.705})->node_id, east);
    EXPECT_EQ(snap->node(old_id), nullptr);
    const auto now_children = codes(grid.children(community, nullptr));
    EXPECT_EQ(std::count(now_children.begin(), now_children.end(), "320115005001001"), 0);
    EXPECT_EQ(std::count(now_children.begin(), now_children.end(), "320115005001009"), 1);
    // the tree as it was: the old grid, not the parts
    const auto then = codes(grid.children_as_of(community, before, nullptr));
    EXPECT_EQ(then, (std::vector<std::string>{"320115005001001", "320115005001002",
                                              "320115005001003", "320115005001004"}));
    const auto located_then = grid.locate_as_of({118.8075, 31.705}, before, nullptr);
    ASSERT_EQ(located_then.path.size(), 5u);
    EXPECT_EQ(located_then.path.back().code, "320115005001001");
    EXPECT_EQ(grid.locate_as_of({118.8075, 31.705}, clock.now(), nullptr).path.back().id, east);
    // the old grid is still readable, with its last boundary, and says what it became
    const auto old = grid.get(old_id, nullptr);
    ASSERT_TRUE(old.area_m2.has_value());
    EXPECT_EQ(grid.ancestors(old_id, nullptr).size(), 5u);
    EXPECT_TRUE(grid.boundary(old_id, before).has_value());
    const auto lineage = grid.lineage(old_id, nullptr);
    ASSERT_EQ(lineage.size(), 2u);
    EXPECT_EQ(lineage[0].operation, "split");
    EXPECT_EQ(lineage[0].reason, "人口增长");
    // the worker and the worker's scope follow to the first part
    EXPECT_EQ(staffing.workers(west, nullptr).at(0).login, "liuyang");
    EXPECT_EQ(users.get(worker, nullptr).scope_node_id, west);
    // the community is still tiled without gaps or overlaps
    EXPECT_TRUE(grid.coverage(community, {}, nullptr).findings.empty());
    // a retired grid takes no more changes, and its code is not given out again
    EXPECT_EQ(
        code_of([&] { grid.split(old_id, halves_of_grid_1(), "", {}, false, nullptr, origin); }),
        ErrorCode::conflict);
    EXPECT_EQ(code_of([&] { grid.update(old_id, {.name = "x"}, old.version, nullptr, origin); }),
              ErrorCode::conflict);
    EXPECT_EQ(code_of([&] {
                  grid.create({"320115005001001", "又一个", community, {}, "comprehensive"},
                              nullptr, origin);
              }),
              ErrorCode::conflict);
}

TEST_P(RestructureTest, ASplitMustTileTheGrid) {
    build();
    const auto g = id_of("320115005001001");
    auto parts = halves_of_grid_1();
    parts[1].boundary = rectangle(118.806, 31.70, 118.81, 31.71);  // leaves a 100 m strip
    EXPECT_EQ(code_of([&] { grid.split(g, parts, "", {}, false, nullptr, origin); }),
              ErrorCode::invalid_field);
    const auto preview = grid.split(g, parts, "", {}, true, nullptr, origin);
    ASSERT_EQ(preview.check.findings.size(), 1u);
    EXPECT_EQ(preview.check.findings[0].kind, "gap");
    parts[1].boundary = rectangle(118.804, 31.70, 118.81, 31.71);  // overlaps the west half
    EXPECT_EQ(grid.split(g, parts, "", {}, true, nullptr, origin).check.findings.at(0).kind,
              "overlap");
    parts.pop_back();
    EXPECT_EQ(code_of([&] { grid.split(g, parts, "", {}, false, nullptr, origin); }),
              ErrorCode::invalid_field);  // one part is no split
    EXPECT_EQ(code_of([&] {
                  grid.split(id_of("320115005001"), halves_of_grid_1(), "", {}, false, nullptr,
                             origin);
              }),
              ErrorCode::invalid_field);  // communities follow the national codes
    EXPECT_FALSE(grid.get(g, nullptr).valid_to.has_value());
}

TEST_P(RestructureTest, MergingJoinsNeighbouringSiblings) {
    build();
    const auto a = id_of("320115005001001"), b = id_of("320115005001002");
    SplitPart result = part("320115005001011", "合并网格", {});
    // grids 2 and 3 only touch at a corner
    EXPECT_EQ(code_of([&] {
                  grid.merge({b, id_of("320115005001003")}, result, "", false, nullptr, origin);
              }),
              ErrorCode::invalid_field);
    const auto done = grid.merge({a, b}, result, "人员调整", false, nullptr, origin);
    ASSERT_EQ(done.created.size(), 1u);
    const auto& merged = done.created[0];
    EXPECT_EQ(merged.households, 600);  // summed
    EXPECT_EQ(merged.kind, "comprehensive");
    EXPECT_NEAR(*merged.area_m2, 2 * *grid.get(id_of("320115005001003"), nullptr).area_m2, 1000);
    const auto snap = grid.snapshot();
    EXPECT_EQ(snap->locate({118.805, 31.715})->node_id, merged.id);
    EXPECT_EQ(grid.lineage(merged.id, nullptr).size(), 2u);
    EXPECT_TRUE(grid.coverage(id_of("320115005001"), {}, nullptr).findings.empty());
    // grids of different communities are not merged
    result.code = "320115005001012";
    EXPECT_EQ(code_of([&] {
                  grid.merge({id_of("320115005001003"), id_of("320115005002005")}, result, "",
                             false, nullptr, origin);
              }),
              ErrorCode::invalid_field);
    EXPECT_EQ(code_of([&] {
                  grid.merge({a, id_of("320115005001003")}, result, "", false, nullptr, origin);
              }),
              ErrorCode::conflict);  // a is retired
}

TEST_P(RestructureTest, RenumberingCarriesTheChildrenAndMovingChangesTheParent) {
    build();
    const auto g = id_of("320115005001003");
    // two micro-grids in grid 3 (118.81–118.82, 31.70–31.71)
    grid.create({"32011500500100301",
                 "北",
                 g,
                 {},
                 "comprehensive",
                 {},
                 {},
                 {},
                 rectangle(118.81, 31.705, 118.82, 31.71)},
                nullptr, origin);
    grid.create({"32011500500100302",
                 "南",
                 g,
                 {},
                 "comprehensive",
                 {},
                 {},
                 {},
                 rectangle(118.81, 31.70, 118.82, 31.705)},
                nullptr, origin);
    const Millis before = clock.now();
    clock.advance(kMinute);
    const auto done = grid.renumber(g, "320115005001013", "统一编号", false, nullptr, origin);
    EXPECT_EQ(codes(done.created), (std::vector<std::string>{"320115005001013", "32011500500101301",
                                                             "32011500500101302"}));
    EXPECT_EQ(done.retired.size(), 3u);
    const auto renumbered = id_of("320115005001013");
    EXPECT_EQ(codes(grid.children(renumbered, nullptr)),
              (std::vector<std::string>{"32011500500101301", "32011500500101302"}));
    EXPECT_EQ(grid.snapshot()->node(grid.snapshot()->locate({118.815, 31.708})->node_id)->code,
              "32011500500101301");
    EXPECT_EQ(codes(grid.children_as_of(g, before, nullptr)),
              (std::vector<std::string>{"32011500500100301", "32011500500100302"}));
    EXPECT_EQ(grid.lineage(id_of("32011500500100301"), nullptr).at(0).operation, "move");

    // a code under another community moves the grid there
    const auto moved = grid.renumber(renumbered, "320115005002020", "", false, nullptr, origin);
    EXPECT_EQ(grid.get(moved.created[0].id, nullptr).parent_id, id_of("320115005002"));
    EXPECT_EQ(grid.lineage(moved.created[0].id, nullptr).back().operation, "move");
    // codes must fit the level and name an existing parent
    EXPECT_EQ(code_of([&] {
                  grid.renumber(id_of("320115005001002"), "3201150050010", "", false, nullptr,
                                origin);
              }),
              ErrorCode::invalid_field);
    EXPECT_EQ(code_of([&] {
                  grid.renumber(id_of("320115005001002"), "320115005009002", "", false, nullptr,
                                origin);
              }),
              ErrorCode::invalid_field);
    EXPECT_EQ(code_of([&] {
                  grid.renumber(id_of("320115005001002"), "320115005001004", "", false, nullptr,
                                origin);
              }),
              ErrorCode::conflict);
}

TEST_P(RestructureTest, AnotherProcessPicksUpTheChange) {
    build();
    // a second process on the same database has its own snapshot
    GridService other(*db, audit, clock);
    other.reload();
    EXPECT_FALSE(other.refresh_if_changed());
    grid.split(id_of("320115005001001"), halves_of_grid_1(), "", {}, false, nullptr, origin);
    const auto stale = other.snapshot();
    EXPECT_EQ(stale->node(stale->locate({118.8075, 31.705})->node_id)->code, "320115005001001");
    EXPECT_TRUE(other.refresh_if_changed());
    const auto fresh = other.snapshot();
    EXPECT_EQ(fresh->node(fresh->locate({118.8075, 31.705})->node_id)->code, "320115005001010");
    EXPECT_FALSE(other.refresh_if_changed());
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, RestructureTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return test_support::dialect_name(info.param); });
