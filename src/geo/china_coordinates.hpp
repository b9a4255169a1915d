// The coordinate systems of Chinese map services: GCJ-02 (the national "Mars" offset used by
// AMap, Tencent and most Chinese services) and BD-09 (Baidu, an offset on top of GCJ-02), to and
// from WGS84, which gridgov stores. Outside mainland China GCJ-02 equals WGS84.
#pragma once

#include <optional>
#include <string_view>

#include "geo/geometry.hpp"

namespace gridgov::geo {

enum class Crs { wgs84, gcj02, bd09 };

std::optional<Crs> parse_crs(std::string_view name);  // "wgs84", "gcj02", "bd09"
bool outside_china(LonLat p);

LonLat wgs84_to_gcj02(LonLat p);
// Exact inverse by iteration (better than 1e-9 degrees).
LonLat gcj02_to_wgs84(LonLat p);
LonLat gcj02_to_bd09(LonLat p);
// The standard closed-form inverse, good to about 0.2 m.
LonLat bd09_to_gcj02(LonLat p);

LonLat to_wgs84(LonLat p, Crs from);
void to_wgs84(MultiPolygon& shape, Crs from);

}  // namespace gridgov::geo
