#include "analytics/figures_scope.hpp"

#include "core/error.hpp"

namespace gridgov::analytics {

std::int64_t figures_node(grid::GridService& grid, const accounts::Principal& viewer,
                          std::optional<std::int64_t> asked) {
    if (!viewer.can(accounts::Permission::view_figures))
        throw Error(ErrorCode::forbidden, "Your role does not see the figures.");
    if (asked) {
        if (!grid.path_of(*asked))
            throw Error(ErrorCode::invalid_field, "No such node.", "node_id");
        if (viewer.scope_node_id && !grid.is_within(*asked, *viewer.scope_node_id))
            throw Error(ErrorCode::forbidden, "The node is outside your scope.", "node_id");
        return *asked;
    }
    if (viewer.scope_node_id) return *viewer.scope_node_id;
    const auto top = grid.children(std::nullopt, nullptr);
    if (top.empty()) throw Error(ErrorCode::not_found, "There is no grid tree yet.");
    return top.front().id;
}

}  // namespace gridgov::analytics
