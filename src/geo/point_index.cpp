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
    build_buckets();
}

void PointIndex::build_buckets() {
    entry_rings_.push_back(0);
    ring_points_.push_back(0);
    for (const auto& e : entries_) {
        auto add = [&](const Ring& ring) {
            points_.insert(points_.end(), ring.begin(), ring.end());
            ring_points_.push_back(static_cast<std::uint32_t>(points_.size()));
        };
        for (const auto& polygon : e.shape) {
            add(polygon.outer);
            for (const auto& hole : polygon.holes) add(hole);
        }
        entry_rings_.push_back(static_cast<std::uint32_t>(ring_points_.size() - 1));
    }
    if (entries_.empty()) return;
    extent_ = boxes_.front();
    double box_area = 0;
    for (const auto& b : boxes_) {
        extent_ = {std::min(extent_.min_lon, b.min_lon), std::min(extent_.min_lat, b.min_lat),
                   std::max(extent_.max_lon, b.max_lon), std::max(extent_.max_lat, b.max_lat)};
        box_area += (b.max_lon - b.min_lon) * (b.max_lat - b.min_lat);
    }
    const double width = std::max(extent_.max_lon - extent_.min_lon, 1e-9);
    const double height = std::max(extent_.max_lat - extent_.min_lat, 1e-9);
    // buckets of about the mean box's size, at most 4 million of them
    const double cell =
        std::sqrt(std::max(box_area / static_cast<double>(entries_.size()), width * height / 4e6));
    columns_ = static_cast<std::uint32_t>(std::clamp(std::ceil(width / cell), 1.0, 4096.0));
    rows_ = static_cast<std::uint32_t>(std::clamp(std::ceil(height / cell), 1.0, 4096.0));
    column_scale_ = columns_ / width;
    row_scale_ = rows_ / height;
    auto column = [&](double lon) {
        return std::min<std::uint32_t>(
            columns_ - 1,
            static_cast<std::uint32_t>(std::max(0.0, (lon - extent_.min_lon) * column_scale_)));
    };
    auto row = [&](double lat) {
        return std::min<std::uint32_t>(rows_ - 1, static_cast<std::uint32_t>(std::max(
                                                      0.0, (lat - extent_.min_lat) * row_scale_)));
    };
    const std::size_t buckets = static_cast<std::size_t>(columns_) * rows_;
    std::vector<std::uint32_t> counts(buckets + 1, 0);
    for (const auto& b : boxes_) {
        for (auto r = row(b.min_lat); r <= row(b.max_lat); ++r) {
            for (auto c = column(b.min_lon); c <= column(b.max_lon); ++c)
                ++counts[static_cast<std::size_t>(r) * columns_ + c + 1];
        }
    }
    for (std::size_t i = 1; i <= buckets; ++i) counts[i] += counts[i - 1];
    bucket_start_ = counts;
    bucket_items_.assign(counts.back(), 0);
    for (std::uint32_t i = 0; i < boxes_.size(); ++i) {
        const auto& b = boxes_[i];
        for (auto r = row(b.min_lat); r <= row(b.max_lat); ++r) {
            for (auto c = column(b.min_lon); c <= column(b.max_lon); ++c) {
                bucket_items_[counts[static_cast<std::size_t>(r) * columns_ + c]++] = i;
            }
        }
    }
}

PointIndex::~PointIndex() = default;

// The crossing test of geometry.cpp (same edge rule) over all rings of the entry at once: for
// valid shapes an odd count of crossings means inside an outer ring and outside its holes.
bool PointIndex::holds(std::uint32_t entry, LonLat p) const {
    bool inside = false;
    for (std::uint32_t k = entry_rings_[entry]; k < entry_rings_[entry + 1]; ++k) {
        const LonLat* ring = points_.data() + ring_points_[k];
        const std::uint32_t n = ring_points_[k + 1] - ring_points_[k];
        for (std::uint32_t i = 0, j = n - 1; i < n; j = i++) {
            if (ray_crosses(ring[i], ring[j], p)) inside = !inside;
        }
    }
    return inside;
}

std::optional<std::uint32_t> PointIndex::find_position(LonLat p) const {
    if (entries_.empty() || !extent_.contains(p)) return std::nullopt;
    const auto c = std::min<std::uint32_t>(
        columns_ - 1, static_cast<std::uint32_t>((p.lon - extent_.min_lon) * column_scale_));
    const auto r = std::min<std::uint32_t>(
        rows_ - 1, static_cast<std::uint32_t>((p.lat - extent_.min_lat) * row_scale_));
    const std::size_t bucket = static_cast<std::size_t>(r) * columns_ + c;
    // entries are sorted by id, so the first one that holds the point has the lowest id
    for (std::uint32_t k = bucket_start_[bucket]; k < bucket_start_[bucket + 1]; ++k) {
        const std::uint32_t i = bucket_items_[k];
        if (boxes_[i].contains(p) && holds(i, p)) return i;
    }
    return std::nullopt;
}

std::optional<std::int64_t> PointIndex::find(LonLat p) const {
    const auto position = find_position(p);
    if (!position) return std::nullopt;
    return entries_[*position].id;
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
    // R-tree nodes: about one value and a fraction of a node per entry; the buckets
    bytes += entries_.size() * (sizeof(Value) + sizeof(BBox));
    bytes += (bucket_start_.capacity() + bucket_items_.capacity() + ring_points_.capacity() +
              entry_rings_.capacity()) *
                 sizeof(std::uint32_t) +
             points_.capacity() * sizeof(LonLat);
    return bytes;
}

}  // namespace gridgov::geo
