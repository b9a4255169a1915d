// Mapbox Vector Tiles (MVT 2.1) of polygons for the map: Web Mercator tile bounds, clipping to
// the tile (with a buffer, so fills join seamlessly), quantizing to the tile grid and encoding
// the protobuf with protozero. The HTTP layer serves what this builds; it knows no grid.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "geo/geometry.hpp"

namespace gridgov::geo {

struct TileId {
    int z = 0;
    std::uint32_t x = 0, y = 0;
};

// The tile's extent in longitude/latitude.
Box tile_bounds(TileId tile);

struct TileFeature {
    std::uint64_t id = 0;
    std::vector<std::pair<std::string, std::variant<std::string, std::int64_t>>> properties;
    const MultiPolygon* shape = nullptr;
};

class VectorTileBuilder {
  public:
    explicit VectorTileBuilder(TileId tile, std::uint32_t extent = 4096, std::uint32_t buffer = 64);

    // Adds a layer of polygons (as fills) or of their rings (as lines, for outlines).
    void add_layer(const std::string& name, const std::vector<TileFeature>& features,
                   bool as_lines = false);
    // The encoded tile (empty when no layer had a feature inside the tile).
    std::string finish() { return std::move(data_); }

  private:
    std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> rings_of(
        const MultiPolygon& shape) const;

    TileId tile_;
    std::uint32_t extent_, buffer_;
    std::string data_;
};

}  // namespace gridgov::geo
