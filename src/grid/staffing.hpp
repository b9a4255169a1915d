// The people of the grid tree's places: which grid workers (专职 full-time, 兼职 part-time) and
// grid heads (网格长) serve which nodes, the neighbours of a grid (grids sharing an edge, for
// mutual aid 互助守望), the nodes near a point, and the 一格一员 report: comprehensive grids that
// do not have exactly one full-time worker. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "grid/grid_service.hpp"

namespace gridgov::grid {

struct GridWorker {
    std::int64_t user_id = 0;
    std::string login;
    std::string name;
    std::string role;
    std::string duty;  // full_time, part_time, head
    Millis since = 0;
};

struct Neighbour {
    GridNode node;
    double shared_m = 0;  // length of the shared edge
};

struct Nearby {
    std::int64_t node_id = 0;
    std::string code;
    std::string name;
    int level = 0;
    double distance_m = 0;
};

// A grid (or other node) a person serves, and how.
struct ServedNode {
    GridNode node;
    std::string duty;
    Millis since = 0;
};

struct StaffingGap {
    GridNode node;
    int full_time = 0;
};

class GridStaffing {
  public:
    GridStaffing(store::Database& db, accounts::AuditLog& audit, const Clock& clock,
                 GridService& grid)
        : db_(db), audit_(audit), clock_(clock), grid_(grid) {}

    void assign(std::int64_t node_id, std::int64_t user_id, const std::string& duty,
                const accounts::Principal* actor, const accounts::RequestOrigin& origin);
    void remove(std::int64_t node_id, std::int64_t user_id, const accounts::Principal* actor,
                const accounts::RequestOrigin& origin);
    std::vector<GridWorker> workers(std::int64_t node_id, const accounts::Principal* viewer);
    // The current nodes a person serves, by code (a grid worker's 我的网格).
    std::vector<ServedNode> served_by(std::int64_t user_id);
    // Comprehensive grids under `root` without exactly one full-time worker.
    std::vector<StaffingGap> one_worker_per_grid(std::optional<std::int64_t> root,
                                                 const accounts::Principal* viewer);

    std::vector<Neighbour> neighbours(std::int64_t node_id, const accounts::Principal* viewer);
    std::vector<Nearby> nearby(geo::LonLat p, double radius_m, int level,
                               const accounts::Principal* viewer);

  private:
    store::Database& db_;
    accounts::AuditLog& audit_;
    const Clock& clock_;
    GridService& grid_;
};

}  // namespace gridgov::grid
