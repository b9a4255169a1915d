// The in-memory index from a point to the shape that contains it: a uniform grid of buckets over
// the shapes' bounding boxes for point lookups (about one shape per bucket), an R-tree
// (Boost.Geometry) for box and nearest queries, and the exact test of geometry.hpp, whose edge rule
// gives a point on a shared edge to exactly one shape. Immutable once built, so any number of
// threads may query one index; a new index is built aside and swapped in whole.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "geo/geometry.hpp"

namespace gridgov::geo {

class PointIndex {
  public:
    struct Entry {
        std::int64_t id;
        MultiPolygon shape;
    };

    explicit PointIndex(std::vector<Entry> entries);
    ~PointIndex();
    PointIndex(const PointIndex&) = delete;
    PointIndex& operator=(const PointIndex&) = delete;

    // The id of the shape containing p. Where shapes overlap, the lowest id.
    std::optional<std::int64_t> find(LonLat p) const;
    // The same as a position 0 .. size() - 1 in id order (for data kept alongside the index).
    std::optional<std::uint32_t> find_position(LonLat p) const;
    std::int64_t id_at(std::uint32_t position) const { return entries_[position].id; }

    struct Nearest {
        std::int64_t id;
        double distance_m;
    };
    // The shape nearest to p within max_m metres (0 when inside one).
    std::optional<Nearest> nearest(LonLat p, double max_m) const;
    // Ids of shapes whose bounding box meets the box.
    std::vector<std::int64_t> in_box(const Box& box) const;

    // The shape with this id, or null.
    const MultiPolygon* shape(std::int64_t id) const;

    std::size_t size() const { return entries_.size(); }
    std::size_t memory_bytes() const;

  private:
    void build_buckets();
    bool holds(std::uint32_t entry, LonLat p) const;

    struct Tree;
    std::vector<Entry> entries_;
    std::vector<Box> boxes_;
    std::unique_ptr<Tree> tree_;
    // buckets: bucket b lists entries bucket_items_[bucket_start_[b] .. bucket_start_[b + 1])
    Box extent_{};
    std::uint32_t columns_ = 0, rows_ = 0;
    double column_scale_ = 0, row_scale_ = 0;
    std::vector<std::uint32_t> bucket_start_;
    std::vector<std::uint32_t> bucket_items_;
    // every ring of every entry, one after another, for a cache-friendly test: entry e's rings
    // are rings [entry_rings_[e], entry_rings_[e + 1]), ring k's points are
    // points_[ring_points_[k] .. ring_points_[k + 1])
    std::vector<LonLat> points_;
    std::vector<std::uint32_t> ring_points_;
    std::vector<std::uint32_t> entry_rings_;
};

}  // namespace gridgov::geo
