#include "grid/tree_exchange.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <set>

#include "core/error.hpp"
#include "geo/geojson.hpp"

namespace gridgov::grid {

namespace json = boost::json;

namespace {

std::optional<std::string> string_property(const json::object& p, const char* key,
                                           const std::string& at,
                                           std::vector<ImportProblem>& problems,
                                           std::size_t index) {
    const auto* v = p.if_contains(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (v->is_string()) return std::string(v->as_string());
    if (v->is_int64() || v->is_uint64())
        return std::to_string(v->is_int64() ? v->as_int64()
                                            : static_cast<std::int64_t>(v->as_uint64()));
    problems.push_back({index, at + "." + key, fmt::format("'{}' must be text.", key)});
    return std::nullopt;
}

std::optional<std::int64_t> count_property(const json::object& p, const char* key,
                                           const std::string& at,
                                           std::vector<ImportProblem>& problems,
                                           std::size_t index) {
    const auto* v = p.if_contains(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (v->is_int64() && v->as_int64() >= 0) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    problems.push_back(
        {index, at + "." + key, fmt::format("'{}' must be a whole number of at least 0.", key)});
    return std::nullopt;
}

}  // namespace

void check_property_mapping(const PropertyMapping& mapping) {
    for (const auto& [field, property] : mapping) {
        const bool known = std::any_of(std::begin(kTreeFields), std::end(kTreeFields),
                                       [&](const char* f) { return field == f; });
        if (!known || property.empty() || property.size() > 100)
            throw Error(ErrorCode::invalid_field,
                        fmt::format("“{}”不是可映射的字段（code、name、kind、subtype、parent_code、"
                                    "households、population）。 '{}' is not a field to map.",
                                    field, field),
                        "map");
    }
}

PropertyMapping parse_property_mapping(const std::vector<std::string>& pairs) {
    PropertyMapping out;
    for (const auto& pair : pairs) {
        const auto colon = pair.rfind(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size())
            throw Error(ErrorCode::invalid_field,
                        "映射写作 属性:字段，如 WGBM:code。 Map a property as property:field, e.g. "
                        "WGBM:code.",
                        "map");
        out[pair.substr(colon + 1)] = pair.substr(0, colon);
    }
    check_property_mapping(out);
    return out;
}

ParsedImport parse_tree_geojson(const json::value& collection, geo::Crs crs,
                                const std::function<bool(const std::string&)>& code_exists,
                                const PropertyMapping& mapping) {
    check_property_mapping(mapping);
    // the property a field is read from
    const auto key = [&](const char* field) -> const char* {
        const auto it = mapping.find(field);
        return it == mapping.end() ? field : it->second.c_str();
    };
    ParsedImport out;
    if (!collection.is_object() || !collection.as_object().contains("features") ||
        collection.at("type") != "FeatureCollection" || !collection.at("features").is_array()) {
        throw Error(ErrorCode::invalid_field, "The file must be a GeoJSON FeatureCollection.",
                    "type");
    }
    const auto& features = collection.at("features").as_array();
    if (features.empty())
        throw Error(ErrorCode::invalid_field, "The collection has no features.", "features");
    std::set<std::string> in_file;
    struct Item {
        std::size_t index;
        NewNode node;
    };
    std::vector<Item> items;
    for (std::size_t i = 0; i < features.size(); ++i) {
        const std::string at = fmt::format("features[{}]", i);
        const auto* f = features[i].if_object();
        if (f == nullptr || !f->contains("properties") || !f->at("properties").is_object()) {
            out.problems.push_back(
                {i, at + ".properties", "A feature needs its properties (code, name ...)."});
            continue;
        }
        const auto& p = f->at("properties").as_object();
        const std::string props = at + ".properties";
        NewNode n;
        const auto code = string_property(p, key("code"), props, out.problems, i);
        const auto name = string_property(p, key("name"), props, out.problems, i);
        if (!code) {
            out.problems.push_back(
                {i, fmt::format("{}.{}", props, key("code")),
                 fmt::format(
                     "每个节点都需要编码（属性 {0}；可用映射指定，如 code:WGBM）。 Every node "
                     "needs its code (property '{0}'; map another, e.g. code:WGBM).",
                     key("code"))});
            continue;
        }
        n.code = *code;
        if (!name || name->empty())
            out.problems.push_back(
                {i, fmt::format("{}.{}", props, key("name")),
                 fmt::format("每个节点都需要名称（属性 {0}）。 Every node needs a name (property "
                             "'{0}').",
                             key("name"))});
        n.name = name.value_or("");
        const int level = level_of_code(n.code);
        if (level == 0) {
            out.problems.push_back(
                {i, props + ".code",
                 fmt::format("A code has 4, 6, 9, 12, 15 or 17 digits, not {}.", n.code.size())});
            continue;
        }
        n.parent_code = string_property(p, key("parent_code"), props, out.problems, i);
        if (!n.parent_code && level > city)
            n.parent_code = n.code.substr(0, code_length(level - 1));
        if (n.parent_code && n.parent_code->empty()) n.parent_code.reset();
        n.kind = string_property(p, key("kind"), props, out.problems, i);
        n.subtype = string_property(p, key("subtype"), props, out.problems, i);
        n.households = count_property(p, key("households"), props, out.problems, i);
        n.population = count_property(p, key("population"), props, out.problems, i);
        try {
            validate_code(n.code, level, n.parent_code.value_or(""));
            validate_kind(level, n.kind, n.subtype);
        } catch (const Error& e) {
            out.problems.push_back({i, props + "." + e.field(), e.what()});
        }
        if (!in_file.insert(n.code).second) {
            out.problems.push_back({i, props + ".code",
                                    fmt::format("The code {} appears twice in the file.", n.code)});
        } else if (code_exists(n.code)) {
            out.problems.push_back(
                {i, props + ".code", fmt::format("The code {} exists already.", n.code)});
        }
        if (const auto* g = f->if_contains("geometry"); g && !g->is_null()) {
            try {
                geo::MultiPolygon shape = geo::parse_geometry(*g, at + ".geometry");
                geo::to_wgs84(shape, crs);
                geo::normalize(shape);
                if (shape.empty())
                    throw Error(ErrorCode::invalid_field, "The boundary has no area.",
                                at + ".geometry");
                n.boundary = std::move(shape);
            } catch (const Error& e) {
                out.problems.push_back({i, e.field(), e.what()});
            }
        }
        items.push_back({i, std::move(n)});
    }
    for (const auto& item : items) {
        const auto& parent = item.node.parent_code;
        if (parent && !in_file.contains(*parent) && !code_exists(*parent)) {
            out.problems.push_back(
                {item.index, fmt::format("features[{}].properties.parent_code", item.index),
                 fmt::format("No node with code {} here or in the file.", *parent)});
        }
    }
    // parents before children: codes grow with the level
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
        return a.node.code.size() < b.node.code.size();
    });
    for (auto& item : items) out.nodes.push_back(std::move(item.node));
    std::sort(out.problems.begin(), out.problems.end(),
              [](const ImportProblem& a, const ImportProblem& b) { return a.feature < b.feature; });
    return out;
}

json::object tree_geojson(const std::vector<ExportNode>& nodes) {
    json::array features;
    for (const auto& e : nodes) {
        const auto& n = e.node;
        auto opt = [](const auto& v) { return v ? json::value(*v) : json::value(nullptr); };
        features.push_back(json::object{
            {"type", "Feature"},
            {"id", n.id},
            {"properties",
             json::object{{"code", n.code},
                          {"name", n.name},
                          {"parent_code", e.parent_code.empty() ? json::value(nullptr)
                                                                : json::value(e.parent_code)},
                          {"level", n.level},
                          {"kind", opt(n.kind)},
                          {"subtype", opt(n.subtype)},
                          {"households", opt(n.households)},
                          {"population", opt(n.population)}}},
            {"geometry", e.boundary ? geo::geometry_json(*e.boundary, -1) : json::value(nullptr)}});
    }
    return {{"type", "FeatureCollection"}, {"features", std::move(features)}};
}

}  // namespace gridgov::grid
