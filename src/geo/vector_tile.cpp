#include "geo/vector_tile.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <protozero/pbf_writer.hpp>

namespace gridgov::geo {

namespace {

using TilePoint = std::pair<std::int32_t, std::int32_t>;
using FloatPoint = std::pair<double, double>;

// vector_tile.proto field numbers
constexpr int kTileLayers = 3;
constexpr int kLayerName = 1, kLayerFeatures = 2, kLayerKeys = 3, kLayerValues = 4,
              kLayerExtent = 5, kLayerVersion = 15;
constexpr int kFeatureId = 1, kFeatureTags = 2, kFeatureType = 3, kFeatureGeometry = 4;
constexpr int kValueString = 1, kValueSint = 6;
constexpr int kLineString = 2, kPolygon = 3;
constexpr std::uint32_t kMoveTo = 1, kLineTo = 2, kClosePath = 7;

double mercator_y(double lat) {
    const double s =
        std::sin(std::clamp(lat, -85.0511287798, 85.0511287798) * std::numbers::pi / 180);
    return 0.5 - std::log((1 + s) / (1 - s)) / (4 * std::numbers::pi);
}

// Sutherland–Hodgman against one edge of the clip box
template <typename Inside, typename Cross>
std::vector<FloatPoint> clip_edge(const std::vector<FloatPoint>& in, Inside inside, Cross cross) {
    std::vector<FloatPoint> out;
    if (in.empty()) return out;
    FloatPoint prev = in.back();
    bool prev_in = inside(prev);
    for (const auto& p : in) {
        const bool p_in = inside(p);
        if (p_in != prev_in) out.push_back(cross(prev, p));
        if (p_in) out.push_back(p);
        prev = p;
        prev_in = p_in;
    }
    return out;
}

std::vector<FloatPoint> clip(std::vector<FloatPoint> ring, double lo, double hi) {
    auto at_x = [](const FloatPoint& a, const FloatPoint& b, double x) {
        return FloatPoint{x,
                          a.second + (b.second - a.second) * (x - a.first) / (b.first - a.first)};
    };
    auto at_y = [](const FloatPoint& a, const FloatPoint& b, double y) {
        return FloatPoint{a.first + (b.first - a.first) * (y - a.second) / (b.second - a.second),
                          y};
    };
    ring = clip_edge(
        ring, [&](const FloatPoint& p) { return p.first >= lo; },
        [&](const FloatPoint& a, const FloatPoint& b) { return at_x(a, b, lo); });
    ring = clip_edge(
        ring, [&](const FloatPoint& p) { return p.first <= hi; },
        [&](const FloatPoint& a, const FloatPoint& b) { return at_x(a, b, hi); });
    ring = clip_edge(
        ring, [&](const FloatPoint& p) { return p.second >= lo; },
        [&](const FloatPoint& a, const FloatPoint& b) { return at_y(a, b, lo); });
    ring = clip_edge(
        ring, [&](const FloatPoint& p) { return p.second <= hi; },
        [&](const FloatPoint& a, const FloatPoint& b) { return at_y(a, b, hi); });
    return ring;
}

std::uint32_t zigzag(std::int32_t v) {
    return (static_cast<std::uint32_t>(v) << 1) ^ static_cast<std::uint32_t>(v >> 31);
}

std::int64_t twice_area(const std::vector<TilePoint>& r) {
    std::int64_t a = 0;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
        a += static_cast<std::int64_t>(r[j].first) * r[i].second -
             static_cast<std::int64_t>(r[i].first) * r[j].second;
    }
    return a;
}

}  // namespace

Box tile_bounds(TileId t) {
    const double n = std::ldexp(1.0, t.z);
    auto lon = [&](double x) { return x / n * 360.0 - 180.0; };
    auto lat = [&](double y) {
        return std::atan(std::sinh(std::numbers::pi * (1 - 2 * y / n))) * 180 / std::numbers::pi;
    };
    return {lon(t.x), lat(t.y + 1.0), lon(t.x + 1.0), lat(t.y)};
}

VectorTileBuilder::VectorTileBuilder(TileId tile, std::uint32_t extent, std::uint32_t buffer)
    : tile_(tile), extent_(extent), buffer_(buffer) {}

std::vector<std::vector<TilePoint>> VectorTileBuilder::rings_of(const MultiPolygon& shape) const {
    const double scale = std::ldexp(1.0, tile_.z) * extent_;
    const double lo = -static_cast<double>(buffer_), hi = static_cast<double>(extent_ + buffer_);
    std::vector<std::vector<TilePoint>> out;
    auto add = [&](const Ring& ring, bool outer) {
        std::vector<FloatPoint> projected;
        projected.reserve(ring.size());
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
            projected.emplace_back(
                (ring[i].lon + 180.0) / 360.0 * scale - static_cast<double>(tile_.x) * extent_,
                mercator_y(ring[i].lat) * scale - static_cast<double>(tile_.y) * extent_);
        }
        const auto clipped = clip(std::move(projected), lo, hi);
        std::vector<TilePoint> q;
        for (const auto& p : clipped) {
            const TilePoint t{static_cast<std::int32_t>(std::lround(p.first)),
                              static_cast<std::int32_t>(std::lround(p.second))};
            if (q.empty() || q.back() != t) q.push_back(t);
        }
        while (q.size() > 1 && q.front() == q.back()) q.pop_back();
        if (q.size() < 3) return;
        const std::int64_t area = twice_area(q);
        if (area == 0) return;
        // MVT: exterior rings clockwise on screen (positive area with y down), holes anticlockwise
        if ((area > 0) != outer) std::reverse(q.begin(), q.end());
        out.push_back(std::move(q));
    };
    for (const auto& polygon : shape) {
        const std::size_t before = out.size();
        add(polygon.outer, true);
        if (out.size() == before) continue;  // the outer ring fell outside: so do its holes
        for (const auto& hole : polygon.holes) add(hole, false);
    }
    return out;
}

void VectorTileBuilder::add_layer(const std::string& name, const std::vector<TileFeature>& features,
                                  bool as_lines) {
    std::vector<std::string> keys;
    std::vector<std::variant<std::string, std::int64_t>> values;
    std::map<std::string, std::uint32_t> key_index;
    std::map<std::variant<std::string, std::int64_t>, std::uint32_t> value_index;
    std::string layer_data;
    {
        protozero::pbf_writer layer{layer_data};
        layer.add_uint32(kLayerVersion, 2);
        layer.add_string(kLayerName, name);
        bool any = false;
        for (const auto& f : features) {
            if (f.shape == nullptr) continue;
            const auto rings = rings_of(*f.shape);
            if (rings.empty()) continue;
            std::vector<std::uint32_t> geometry;
            std::int32_t cx = 0, cy = 0;
            for (const auto& ring : rings) {
                geometry.push_back((1u << 3) | kMoveTo);
                geometry.push_back(zigzag(ring[0].first - cx));
                geometry.push_back(zigzag(ring[0].second - cy));
                cx = ring[0].first;
                cy = ring[0].second;
                const std::size_t count = ring.size() - 1 + (as_lines ? 1 : 0);
                geometry.push_back(static_cast<std::uint32_t>(count << 3) | kLineTo);
                for (std::size_t i = 1; i <= count; ++i) {
                    const auto& p = ring[i % ring.size()];
                    geometry.push_back(zigzag(p.first - cx));
                    geometry.push_back(zigzag(p.second - cy));
                    cx = p.first;
                    cy = p.second;
                }
                if (!as_lines) geometry.push_back((1u << 3) | kClosePath);
            }
            std::vector<std::uint32_t> tags;
            for (const auto& [key, value] : f.properties) {
                auto k = key_index.find(key);
                if (k == key_index.end()) {
                    k = key_index.emplace(key, static_cast<std::uint32_t>(keys.size())).first;
                    keys.push_back(key);
                }
                auto v = value_index.find(value);
                if (v == value_index.end()) {
                    v = value_index.emplace(value, static_cast<std::uint32_t>(values.size())).first;
                    values.push_back(value);
                }
                tags.push_back(k->second);
                tags.push_back(v->second);
            }
            protozero::pbf_writer feature{layer, kLayerFeatures};
            feature.add_uint64(kFeatureId, f.id);
            feature.add_packed_uint32(kFeatureTags, tags.begin(), tags.end());
            feature.add_enum(kFeatureType, as_lines ? kLineString : kPolygon);
            feature.add_packed_uint32(kFeatureGeometry, geometry.begin(), geometry.end());
            any = true;
        }
        if (!any) return;
        for (const auto& k : keys) layer.add_string(kLayerKeys, k);
        for (const auto& v : values) {
            protozero::pbf_writer value{layer, kLayerValues};
            if (const auto* s = std::get_if<std::string>(&v)) {
                value.add_string(kValueString, *s);
            } else {
                value.add_sint64(kValueSint, std::get<std::int64_t>(v));
            }
        }
        layer.add_uint32(kLayerExtent, extent_);
    }
    protozero::pbf_writer tile{data_};
    tile.add_message(kTileLayers, layer_data);
}

}  // namespace gridgov::geo
