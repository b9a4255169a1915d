// The in-memory index from a point to the shape that contains it: an R-tree over the shapes'
// bounding boxes (Boost.Geometry) and the exact test of geometry.hpp, whose edge rule gives a
// point on a shared edge to exactly one shape. Immutable once built, so any number of threads
// may query one index; a new index is built aside and swapped in whole.
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
    struct Tree;
    std::vector<Entry> entries_;
    std::vector<Box> boxes_;
    std::unique_ptr<Tree> tree_;
};

}  // namespace gridgov::geo
