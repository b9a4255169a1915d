#include "grid/grid_snapshot.hpp"

#include <algorithm>

namespace gridgov::grid {

GridSnapshot::GridSnapshot(std::vector<Node> nodes, std::vector<Shape> shapes) {
    nodes_.reserve(nodes.size());
    for (auto& n : nodes) nodes_.emplace(n.id, std::move(n));
    for (auto& [id, n] : nodes_) {
        n.up = n.parent ? node(*n.parent) : nullptr;
        if (!n.parent && (!root_ || id < *root_)) root_ = id;
    }
    std::array<std::vector<geo::PointIndex::Entry>, kLevels + 1> entries;
    for (auto& s : shapes) {
        const Node* n = node(s.node_id);
        if (n == nullptr || n->level < 1 || n->level > kLevels) continue;
        if (n->parent) shaped_parents_.insert(*n->parent);
        entries[n->level].push_back({s.node_id, std::move(s.shape)});
    }
    for (int level = 1; level <= kLevels; ++level) {
        if (entries[level].empty()) continue;
        by_level_[level] = std::make_unique<geo::PointIndex>(std::move(entries[level]));
        auto& paths = paths_[level];
        paths.assign(by_level_[level]->size() * kLevels, 0);
        for (std::uint32_t i = 0; i < by_level_[level]->size(); ++i) {
            const auto ids = path(by_level_[level]->id_at(i));
            std::copy(ids.begin(), ids.end(),
                      paths.begin() + static_cast<std::ptrdiff_t>(i) * kLevels);
        }
    }
}

const GridSnapshot::Node* GridSnapshot::node(std::int64_t id) const {
    const auto it = nodes_.find(id);
    return it == nodes_.end() ? nullptr : &it->second;
}

bool GridSnapshot::is_within(std::int64_t id, std::int64_t ancestor) const {
    for (const Node* n = node(id); n != nullptr; n = n->up) {
        if (n->id == ancestor) return true;
    }
    return false;
}

std::vector<std::int64_t> GridSnapshot::path(std::int64_t id) const {
    std::vector<std::int64_t> out;
    out.reserve(kLevels);
    for (const Node* n = node(id); n != nullptr; n = n->up) out.push_back(n->id);
    std::reverse(out.begin(), out.end());
    return out;
}

std::optional<GridSnapshot::Located> GridSnapshot::locate(geo::LonLat p,
                                                          double max_distance_m) const {
    for (int level = kLevels; level >= 1; --level) {
        if (!by_level_[level]) continue;
        if (const auto position = by_level_[level]->find_position(p)) {
            const std::int64_t* path =
                paths_[level].data() + static_cast<std::size_t>(*position) * kLevels;
            return Located{by_level_[level]->id_at(*position), 0, path, level};
        }
    }
    if (max_distance_m <= 0) return std::nullopt;
    std::optional<Located> best;
    for (int level : {micro_grid, grid_level}) {
        if (!by_level_[level]) continue;
        if (auto near = by_level_[level]->nearest(p, max_distance_m)) {
            if (!best || near->distance_m < best->distance_m)
                best = Located{near->id, near->distance_m};
        }
        if (best) break;  // prefer micro-grids where the city has them
    }
    return best;
}

std::vector<std::pair<const GridSnapshot::Node*, const geo::MultiPolygon*>> GridSnapshot::shapes_in(
    int level, const geo::Box& box) const {
    std::vector<std::pair<const Node*, const geo::MultiPolygon*>> out;
    if (level < 1 || level > kLevels || !by_level_[level]) return out;
    for (std::int64_t id : by_level_[level]->in_box(box))
        out.emplace_back(node(id), by_level_[level]->shape(id));
    return out;
}

std::size_t GridSnapshot::shape_count(int level) const {
    return level >= 1 && level <= kLevels && by_level_[level] ? by_level_[level]->size() : 0;
}

std::size_t GridSnapshot::memory_bytes() const {
    std::size_t bytes = sizeof(*this) + nodes_.size() * (sizeof(Node) + 32);
    for (const auto& [id, n] : nodes_) bytes += n.code.capacity() + n.name.capacity();
    for (const auto& index : by_level_) {
        if (index) bytes += index->memory_bytes();
    }
    return bytes;
}

}  // namespace gridgov::grid
