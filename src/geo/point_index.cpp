#include "geo/point_index.hpp"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <numbers>

namespace gridgov::geo {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;
using Value = std::pair<BBox, std::uint32_t>;

struct PointIndex::Tree {
    bgi::rtree<Value, bgi::rstar<16>> rtree;
};

PointIndex::PointIndex(std::vector<Entry> entries)
    : entries_(std::move(entries)), tree_(std::make_unique<Tree>()) {
    std::sort(entries_.begin(), entries_.end(),
              [](const Entry& a, const Entry& b) { return a.id < b.id; });
    std::vector<Value> values;
    values.reserve(entries_.size());
    boxes_.reserve(entries_.size());
    for (std::uint32_t i = 0; i < entries_.size(); ++i) {
        const Box b = bounding_box(entries_[i].shape);
        boxes_.push_back(b);
        values.emplace_back(BBox{{b.min_lon, b.min_lat}, {b.max_lon, b.max_lat}}, i);
    }
    tree_->rtree = decltype(tree_->rtree)(values.begin(), values.end());  // packed bulk load
}

PointIndex::~PointIndex() = default;

std::optional<std::int64_t> PointIndex::find(LonLat p) const {
    std::optional<std::uint32_t> best;
    const BPoint q{p.lon, p.lat};
    for (auto it = tree_->rtree.qbegin(bgi::intersects(q)); it != tree_->rtree.qend(); ++it) {
        const std::uint32_t i = it->second;
        if ((!best || i < *best) && contains(entries_[i].shape, p)) best = i;
    }
    if (!best) return std::nullopt;
    return entries_[*best].id;
}

std::optional<PointIndex::Nearest> PointIndex::nearest(LonLat p, double max_m) const {
    if (auto inside = find(p)) return Nearest{*inside, 0};
    // boxes within max_m: a degree of latitude is at least 110.5 km
    const double dlat = max_m / 110'574.0;
    const double dlon =
        max_m / (111'320.0 * std::max(0.01, std::cos(p.lat * std::numbers::pi / 180)));
    std::optional<Nearest> best;
    for (auto it = tree_->rtree.qbegin(
             bgi::intersects(BBox{{p.lon - dlon, p.lat - dlat}, {p.lon + dlon, p.lat + dlat}}));
         it != tree_->rtree.qend(); ++it) {
        const auto& e = entries_[it->second];
        const double d = distance_m(p, e.shape);
        if (d <= max_m &&
            (!best || d < best->distance_m || (d == best->distance_m && e.id < best->id))) {
            best = Nearest{e.id, d};
        }
    }
    return best;
}

std::vector<std::int64_t> PointIndex::in_box(const Box& b) const {
    std::vector<std::int64_t> out;
    for (auto it = tree_->rtree.qbegin(
             bgi::intersects(BBox{{b.min_lon, b.min_lat}, {b.max_lon, b.max_lat}}));
         it != tree_->rtree.qend(); ++it) {
        out.push_back(entries_[it->second].id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

const MultiPolygon* PointIndex::shape(std::int64_t id) const {
    const auto it = std::lower_bound(entries_.begin(), entries_.end(), id,
                                     [](const Entry& e, std::int64_t v) { return e.id < v; });
    return it != entries_.end() && it->id == id ? &it->shape : nullptr;
}

std::size_t PointIndex::memory_bytes() const {
    std::size_t bytes =
        sizeof(*this) + boxes_.capacity() * sizeof(Box) + entries_.capacity() * sizeof(Entry);
    for (const auto& e : entries_) {
        for (const auto& polygon : e.shape) {
            bytes += sizeof(Polygon) + polygon.outer.capacity() * sizeof(LonLat);
            for (const auto& hole : polygon.holes)
                bytes += sizeof(Ring) + hole.capacity() * sizeof(LonLat);
        }
    }
    // R-tree nodes: about one value and a fraction of a node per entry
    bytes += entries_.size() * (sizeof(Value) + sizeof(BBox));
    return bytes;
}

}  // namespace gridgov::geo
