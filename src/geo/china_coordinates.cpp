#include "geo/china_coordinates.hpp"

#include <cmath>
#include <numbers>

namespace gridgov::geo {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kXPi = kPi * 3000.0 / 180.0;
constexpr double kA = 6378245.0;                // Krasovsky 1940 semi-major axis
constexpr double kEe = 0.00669342162296594323;  // its first eccentricity squared

double transform_lat(double x, double y) {
    double r =
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
    r += (160.0 * std::sin(y / 12.0 * kPi) + 320 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
    return r;
}

double transform_lon(double x, double y) {
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
    r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
    return r;
}

}  // namespace

std::optional<Crs> parse_crs(std::string_view name) {
    if (name == "wgs84" || name == "WGS84" || name == "EPSG:4326") return Crs::wgs84;
    if (name == "gcj02" || name == "GCJ02" || name == "GCJ-02") return Crs::gcj02;
    if (name == "bd09" || name == "BD09" || name == "BD-09") return Crs::bd09;
    return std::nullopt;
}

bool outside_china(LonLat p) {
    return p.lon < 72.004 || p.lon > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271;
}

LonLat wgs84_to_gcj02(LonLat p) {
    if (outside_china(p)) return p;
    double dlat = transform_lat(p.lon - 105.0, p.lat - 35.0);
    double dlon = transform_lon(p.lon - 105.0, p.lat - 35.0);
    const double radlat = p.lat / 180.0 * kPi;
    double magic = std::sin(radlat);
    magic = 1 - kEe * magic * magic;
    const double sqrtmagic = std::sqrt(magic);
    dlat = (dlat * 180.0) / ((kA * (1 - kEe)) / (magic * sqrtmagic) * kPi);
    dlon = (dlon * 180.0) / (kA / sqrtmagic * std::cos(radlat) * kPi);
    return {p.lon + dlon, p.lat + dlat};
}

LonLat gcj02_to_wgs84(LonLat p) {
    if (outside_china(p)) return p;
    // fixed-point iteration: find w with wgs84_to_gcj02(w) == p
    LonLat w{p.lon, p.lat};
    for (int i = 0; i < 30; ++i) {
        const LonLat g = wgs84_to_gcj02(w);
        const double dlon = p.lon - g.lon, dlat = p.lat - g.lat;
        w.lon += dlon;
        w.lat += dlat;
        if (std::abs(dlon) < 1e-11 && std::abs(dlat) < 1e-11) break;
    }
    return w;
}

LonLat gcj02_to_bd09(LonLat p) {
    const double z = std::sqrt(p.lon * p.lon + p.lat * p.lat) + 0.00002 * std::sin(p.lat * kXPi);
    const double theta = std::atan2(p.lat, p.lon) + 0.000003 * std::cos(p.lon * kXPi);
    return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

LonLat bd09_to_gcj02(LonLat p) {
    const double x = p.lon - 0.0065, y = p.lat - 0.006;
    const double z = std::sqrt(x * x + y * y) - 0.00002 * std::sin(y * kXPi);
    const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * kXPi);
    return {z * std::cos(theta), z * std::sin(theta)};
}

LonLat to_wgs84(LonLat p, Crs from) {
    switch (from) {
        case Crs::wgs84:
            return p;
        case Crs::gcj02:
            return gcj02_to_wgs84(p);
        case Crs::bd09:
            return gcj02_to_wgs84(bd09_to_gcj02(p));
    }
    return p;
}

void to_wgs84(MultiPolygon& shape, Crs from) {
    if (from == Crs::wgs84) return;
    auto convert = [from](Ring& ring) {
        for (auto& p : ring) p = to_wgs84(p, from);
    };
    for (auto& polygon : shape) {
        convert(polygon.outer);
        for (auto& hole : polygon.holes) convert(hole);
    }
}

}  // namespace gridgov::geo
