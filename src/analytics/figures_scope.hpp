// Which node's figures a viewer may see: their scope's subtree (a grid worker their grid, a
// community its grids …); without a node asked for, their scope node, or the top of the tree for
// the city-wide roles.
#pragma once

#include <cstdint>
#include <optional>

#include "accounts/principal.hpp"
#include "grid/grid_service.hpp"

namespace gridgov::analytics {

// The node to answer for; Error(forbidden, "node_id") outside the viewer's scope,
// Error(invalid_field, "node_id") for an unknown node.
std::int64_t figures_node(grid::GridService& grid, const accounts::Principal& viewer,
                          std::optional<std::int64_t> asked);

}  // namespace gridgov::analytics
