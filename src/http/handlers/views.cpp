#include "http/handlers/views.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "core/field_cipher.hpp"
#include "geo/geojson.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

json::value time_or_null(const std::optional<Millis>& t) {
    return t ? json::value(format_rfc3339(*t)) : json::value(nullptr);
}

std::optional<geo::LonLat> body_point(const JsonBody& body) {
    if (!body.has("lon") && !body.has("lat")) return std::nullopt;
    for (const char* key : {"lon", "lat"}) {
        if (!body.has(key) || !body.raw(key).is_number())
            throw Error(ErrorCode::invalid_field, "Give lon and lat as numbers.", key);
    }
    const geo::LonLat p{body.raw("lon").to_number<double>(), body.raw("lat").to_number<double>()};
    if (!(p.lon >= -180 && p.lon <= 180))
        throw Error(ErrorCode::invalid_field, "Longitude is within ±180.", "lon");
    if (!(p.lat >= -90 && p.lat <= 90))
        throw Error(ErrorCode::invalid_field, "Latitude is within ±90.", "lat");
    return geo::to_wgs84(p, crs_of(body.opt_string("crs", 16), "crs"));
}

json::object node_json(const grid::GridNode& n) {
    return {{"id", n.id},
            {"code", n.code},
            {"name", n.name},
            {"level", n.level},
            {"level_name", grid::level_name(n.level)},
            {"level_label", grid::level_label_zh(n.level)},
            {"parent_id", or_null(n.parent_id)},
            {"kind", or_null(n.kind)},
            {"subtype", or_null(n.subtype)},
            {"households", or_null(n.households)},
            {"population", or_null(n.population)},
            {"area_m2", n.area_m2 ? json::value(std::round(*n.area_m2)) : json::value(nullptr)},
            {"created_at", format_rfc3339(n.created_at)},
            {"updated_at", format_rfc3339(n.updated_at)},
            {"version", n.version},
            {"valid_from", format_rfc3339(n.valid_from)},
            {"valid_to", n.valid_to ? json::value(format_rfc3339(*n.valid_to)) : nullptr}};
}

json::object user_json(const accounts::User& u) {
    return {
        {"id", u.id},
        {"login", u.login},
        {"name", u.name},
        {"phone", u.phone ? json::value(mask_phone(*u.phone)) : json::value(nullptr)},
        {"role", accounts::role_name(u.role)},
        {"role_label", accounts::role_label_zh(u.role)},
        {"scope_node_id", or_null(u.scope_node_id)},
        {"department_id", or_null(u.department_id)},
        {"active", u.active},
        {"locked_until",
         u.locked_until ? json::value(format_rfc3339(*u.locked_until)) : json::value(nullptr)},
        {"created_at", format_rfc3339(u.created_at)},
        {"updated_at", format_rfc3339(u.updated_at)},
        {"version", u.version},
    };
}

json::object principal_json(const accounts::Principal& p) {
    json::array permissions;
    using accounts::Permission;
    const std::pair<Permission, const char*> all[] = {
        {Permission::manage_users, "manage_users"},
        {Permission::manage_api_keys, "manage_api_keys"},
        {Permission::view_audit, "view_audit"},
        {Permission::view_users, "view_users"},
        {Permission::manage_grid, "manage_grid"},
        {Permission::manage_catalogue, "manage_catalogue"},
        {Permission::keep_registry, "keep_registry"},
        {Permission::view_figures, "view_figures"},
        {Permission::reveal_personal_data, "reveal_personal_data"}};
    for (const auto& [perm, name] : all) {
        if (p.can(perm)) permissions.emplace_back(name);
    }
    return {
        {"kind", p.kind == accounts::Principal::Kind::user ? "user" : "api_key"},
        {"id", p.id},
        {"login", p.login},
        {"name", p.name},
        {"role", accounts::role_name(p.role)},
        {"role_label", accounts::role_label_zh(p.role)},
        {"scope_node_id", or_null(p.scope_node_id)},
        {"department_id", or_null(p.department_id)},
        {"permissions", std::move(permissions)},
    };
}

Paging read_paging(const Request& r) {
    Paging p;
    if (auto limit = query_int(r, "limit", 1, 500)) p.limit = static_cast<int>(*limit);
    if (auto offset = query_int(r, "offset", 0, 100'000'000)) p.offset = static_cast<int>(*offset);
    return p;
}

json::object page_json(json::array items, std::int64_t total, const Paging& paging) {
    return {{"items", std::move(items)},
            {"total", total},
            {"limit", paging.limit},
            {"offset", paging.offset}};
}

geo::Crs crs_of(const std::optional<std::string>& name, const char* field) {
    if (!name) return geo::Crs::wgs84;
    const auto crs = geo::parse_crs(*name);
    if (!crs)
        throw Error(ErrorCode::invalid_field, "The coordinate system is wgs84, gcj02 or bd09.",
                    field);
    return *crs;
}

geo::LonLat query_point(const Request& r) {
    const double lon = query_double(r, "lon", -180, 180, std::nullopt);
    const double lat = query_double(r, "lat", -90, 90, std::nullopt);
    return geo::to_wgs84({lon, lat}, crs_of(r.query_param("crs")));
}

json::array findings_json(const grid::CoverageReport& report) {
    json::array out;
    for (const auto& f : report.findings) {
        json::array codes;
        for (const auto& c : f.codes) codes.push_back(json::string(c));
        out.push_back(json::object{{"kind", f.kind},
                                   {"codes", std::move(codes)},
                                   {"area_m2", std::round(f.area_m2 * 10) / 10},
                                   {"point", json::array{f.point.lon, f.point.lat}},
                                   {"detail", f.detail},
                                   {"geometry", geo::geometry_json(f.shape)}});
    }
    return out;
}

std::optional<Millis> query_time(const Request& r, std::string_view name) {
    const auto text = r.query_param(name);
    if (!text) return std::nullopt;
    const auto t = parse_rfc3339(*text);
    if (!t) {
        throw Error(ErrorCode::invalid_field, fmt::format("'{}' must be an RFC 3339 time.", name),
                    std::string(name));
    }
    return t;
}

std::optional<Millis> body_time(const JsonBody& body, std::string_view name) {
    const auto text = body.opt_string(name, 64);
    if (!text) return std::nullopt;
    const auto t = parse_rfc3339(*text);
    if (!t) throw Error(ErrorCode::invalid_field, "A time is RFC 3339.", std::string(name));
    return t;
}

std::string public_base_url(const Request& r) {
    return r.public_base.empty() ? std::string("http://localhost") : r.public_base;
}

}  // namespace gridgov::http
