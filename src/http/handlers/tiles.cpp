// Vector tiles of the grid tree for the map: at each zoom the level that reads best is drawn as
// fills ("areas", with code, name, level and kind) and its parent level as lines ("outlines").
#include <fmt/format.h>

#include <charconv>

#include "core/error.hpp"
#include "geo/vector_tile.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace {

std::uint32_t tile_number(const Request& r, const char* name, std::string_view suffix,
                          std::uint32_t limit) {
    std::string_view text = r.params.at(name);
    if (!suffix.empty()) {
        if (!text.ends_with(suffix))
            throw Error(ErrorCode::not_found, "Tiles are {z}/{x}/{y}.mvt.");
        text.remove_suffix(suffix.size());
    }
    std::uint32_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v >= limit) {
        throw Error(ErrorCode::not_found, "No such tile.");
    }
    return v;
}

// the level drawn as areas at a zoom: districts for the city view ... grids from zoom 13
int fill_level(int z) {
    if (z <= 8) return grid::district;
    if (z <= 10) return grid::street;
    if (z <= 12) return grid::community;
    if (z <= 15) return grid::grid_level;
    return grid::micro_grid;
}

}  // namespace

void add_tile_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/grid/tiles/{z}/{x}/{y}", Access::authenticated,
        [s](Request& r) {
            const auto z = static_cast<int>(tile_number(r, "z", "", 23));
            const std::uint32_t n = 1u << z;
            const geo::TileId tile{z, tile_number(r, "x", "", n), tile_number(r, "y", ".mvt", n)};
            const auto snap = s.grid.snapshot();
            geo::Box box = geo::tile_bounds(tile);
            // the buffer of the tile (64/4096) in degrees, so that shapes just outside still join
            // up
            const double pad_lon = (box.max_lon - box.min_lon) / 64,
                         pad_lat = (box.max_lat - box.min_lat) / 64;
            box = {box.min_lon - pad_lon, box.min_lat - pad_lat, box.max_lon + pad_lon,
                   box.max_lat + pad_lat};
            // a page may ask for one level whatever the zoom (the command centre's children)
            const int level = static_cast<int>(
                query_int(r, "level", grid::district, grid::micro_grid).value_or(fill_level(z)));
            // the areas are the nodes of the zoom's level, and above it the nodes drawn deepest
            // (those without children with boundaries), so that a part of the city that is not
            // divided that far still shows, the same in every tile
            auto features = [&](int l, bool leaves_only) {
                std::vector<geo::TileFeature> out;
                for (const auto& [node, shape] : snap->shapes_in(l, box)) {
                    if (leaves_only && snap->has_shaped_children(node->id)) continue;
                    geo::TileFeature f;
                    f.id = static_cast<std::uint64_t>(node->id);
                    f.shape = shape;
                    f.properties = {{"id", node->id},
                                    {"code", node->code},
                                    {"name", node->name},
                                    {"level", std::int64_t{node->level}},
                                    {"kind", node->kind},
                                    {"households", node->households},
                                    {"population", node->population}};
                    out.push_back(std::move(f));
                }
                return out;
            };
            std::vector<geo::TileFeature> areas = features(level, false);
            for (int l = level - 1; l >= grid::district; --l) {
                auto leaves = features(l, true);
                areas.insert(areas.end(), leaves.begin(), leaves.end());
            }
            geo::VectorTileBuilder builder(tile);
            builder.add_layer("areas", areas);
            if (level > grid::city) builder.add_layer("outlines", features(level - 1, false), true);
            Response res;
            res.body = builder.finish();
            res.headers.emplace_back("Content-Type", "application/vnd.mapbox-vector-tile");
            res.headers.emplace_back("Cache-Control", "private, max-age=60");
            return res;
        },
        "A vector tile (MVT) of the grid tree: {y} is the row followed by .mvt; ?level= draws that "
        "level whatever the zoom");
}

}  // namespace gridgov::http
