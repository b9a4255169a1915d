// A small grid tree for tests on both databases: 南京市 > 江宁区 > 禄口街道 > two communities,
// each a 2 × 2 block of 0.01° grids (grid 4 a dedicated school grid), with the services over it.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "accounts/audit_log.hpp"
#include "core/clock.hpp"
#include "grid/grid_service.hpp"
#include "support/test_databases.hpp"

namespace gridgov::test_support {

using grid::GridService;
using grid::NewNode;

inline geo::MultiPolygon square(double lon0, double lat0, double size) {
    geo::Polygon p;
    p.outer = {{lon0, lat0},
               {lon0 + size, lat0},
               {lon0 + size, lat0 + size},
               {lon0, lat0 + size},
               {lon0, lat0}};
    return {p};
}

class GridTest : public ::testing::TestWithParam<store::Dialect> {
  protected:
    GridTest()
        : db(test_support::fresh_database(GetParam())),
          audit(*db, clock),
          grid(*db, audit, clock) {}

    // 南京市 > 江宁区 > 禄口街道 > 两个社区 > 网格: a 2 × 2 block of 0.01° grids per community
    void build() {
        std::vector<NewNode> nodes;
        nodes.push_back({"3201", "南京市", {}, {}, {}, {}, {}, {}, square(118.0, 31.0, 1.0)});
        nodes.push_back({"320115", "江宁区", {}, "3201", {}, {}, {}, {}, square(118.5, 31.5, 0.3)});
        nodes.push_back(
            {"320115005", "禄口街道", {}, "320115", {}, {}, {}, {}, square(118.8, 31.7, 0.04)});
        nodes.push_back({"320115005001",
                         "永兴社区",
                         {},
                         "320115005",
                         {},
                         {},
                         {},
                         {},
                         square(118.8, 31.7, 0.02)});
        nodes.push_back({"320115005002",
                         "白云路社区",
                         {},
                         "320115005",
                         {},
                         {},
                         {},
                         {},
                         square(118.82, 31.7, 0.02)});
        int n = 1;
        for (const char* community : {"320115005001", "320115005002"}) {
            const double lon0 = community[11] == '1' ? 118.8 : 118.82;
            for (int x = 0; x < 2; ++x) {
                for (int y = 0; y < 2; ++y) {
                    const std::string code = std::string(community) + fmt::format("{:03}", n);
                    const bool school = n == 4;
                    nodes.push_back(
                        {code,
                         fmt::format("第{}网格", n),
                         {},
                         community,
                         school ? std::optional<std::string>("dedicated") : "comprehensive",
                         school ? std::optional<std::string>("school") : std::nullopt,
                         300,
                         1500,
                         square(lon0 + x * 0.01, 31.7 + y * 0.01, 0.01)});
                    ++n;
                }
            }
        }
        EXPECT_EQ(grid.import(nodes, nullptr, origin), nodes.size());
    }

    std::int64_t id_of(const std::string& code) { return grid.find_by_code(code)->id; }

    std::unique_ptr<store::Database> db;
    ManualClock clock{1'800'000'000'000};
    accounts::AuditLog audit;
    GridService grid;
    accounts::RequestOrigin origin{"127.0.0.1", "req", "test"};
};

}  // namespace gridgov::test_support
