#include "http/json_body.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <charconv>

#include "core/error.hpp"

namespace gridgov::http {

namespace json = boost::json;

JsonBody::JsonBody(const Request& request, std::initializer_list<std::string_view> allowed) {
    const std::string_view type = request.header("content-type");
    if (!type.starts_with("application/json")) throw Error(ErrorCode::unsupported_media_type);
    json::parse_options options;
    options.max_depth = 16;
    std::error_code ec;
    json::value v = json::parse(request.body, ec, {}, options);
    if (ec)
        throw Error(ErrorCode::malformed_json,
                    fmt::format("The body is not valid JSON: {}.", ec.message()));
    if (!v.is_object()) throw Error(ErrorCode::malformed_json, "The body must be a JSON object.");
    object_ = std::move(v.as_object());
    check_fields(allowed);
}

JsonBody::JsonBody(const json::value& nested, std::string prefix,
                   std::initializer_list<std::string_view> allowed)
    : prefix_(std::move(prefix)) {
    if (!nested.is_object()) {
        throw Error(ErrorCode::invalid_field,
                    fmt::format("'{}' must be an object.", prefix_.substr(0, prefix_.size() - 1)),
                    prefix_.substr(0, prefix_.size() - 1));
    }
    object_ = nested.as_object();
    check_fields(allowed);
}

std::string JsonBody::name(std::string_view key) const {
    return prefix_ + std::string(key);
}

void JsonBody::check_fields(std::initializer_list<std::string_view> allowed) const {
    for (const auto& kv : object_) {
        bool known = false;
        for (std::string_view a : allowed) known = known || a == kv.key();
        if (!known) {
            throw Error(ErrorCode::unknown_field,
                        fmt::format("Unknown field '{}'.", name(kv.key())), name(kv.key()));
        }
    }
}

const json::value* JsonBody::find(std::string_view key) const {
    return object_.if_contains(key);
}

std::string JsonBody::checked_string(std::string_view key, const json::value& v,
                                     std::size_t max_bytes) const {
    if (!v.is_string())
        throw Error(ErrorCode::invalid_field, fmt::format("'{}' must be a string.", name(key)),
                    name(key));
    const auto& s = v.as_string();
    if (s.size() > max_bytes) {
        throw Error(ErrorCode::invalid_field,
                    fmt::format("'{}' is longer than {} bytes.", name(key), max_bytes), name(key));
    }
    if (std::string_view(s).find('\0') != std::string_view::npos) {
        throw Error(ErrorCode::invalid_field,
                    fmt::format("'{}' must not contain NUL characters.", name(key)), name(key));
    }
    return std::string(s);
}

std::string JsonBody::string(std::string_view key, std::size_t max_bytes) const {
    const auto* v = find(key);
    if (!v || v->is_null()) {
        throw Error(ErrorCode::missing_field, fmt::format("'{}' is required.", name(key)),
                    name(key));
    }
    return checked_string(key, *v, max_bytes);
}

std::optional<std::string> JsonBody::opt_string(std::string_view key, std::size_t max_bytes) const {
    const auto* v = find(key);
    if (!v || v->is_null()) return std::nullopt;
    return checked_string(key, *v, max_bytes);
}

std::optional<std::optional<std::string>> JsonBody::nullable_string(std::string_view key,
                                                                    std::size_t max_bytes) const {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (v->is_null()) return std::optional<std::string>{};
    return std::optional<std::string>{checked_string(key, *v, max_bytes)};
}

std::optional<std::optional<std::int64_t>> JsonBody::nullable_int(std::string_view key) const {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (v->is_null()) return std::optional<std::int64_t>{};
    if (v->is_int64()) return std::optional<std::int64_t>{v->as_int64()};
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return std::optional<std::int64_t>{static_cast<std::int64_t>(v->as_uint64())};
    }
    throw Error(ErrorCode::invalid_field, fmt::format("'{}' must be a whole number.", name(key)),
                name(key));
}

std::optional<bool> JsonBody::opt_bool(std::string_view key) const {
    const auto* v = find(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_bool())
        throw Error(ErrorCode::invalid_field, fmt::format("'{}' must be true or false.", name(key)),
                    name(key));
    return v->as_bool();
}

std::optional<std::vector<std::string>> JsonBody::opt_string_array(std::string_view key,
                                                                   std::size_t max_items,
                                                                   std::size_t max_bytes) const {
    const auto* v = find(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_array() || v->as_array().size() > max_items)
        throw Error(ErrorCode::invalid_field,
                    fmt::format("'{}' is a list of at most {} texts.", name(key), max_items),
                    name(key));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v->as_array().size(); ++i) {
        const auto item = fmt::format("{}[{}]", key, i);
        const auto& e = v->as_array()[i];
        if (!e.is_string())
            throw Error(ErrorCode::invalid_field, fmt::format("'{}' must be text.", name(item)),
                        name(item));
        out.push_back(checked_string(item, e, max_bytes));
    }
    return out;
}

std::optional<std::int64_t> query_int(const Request& r, std::string_view name, std::int64_t lo,
                                      std::int64_t hi) {
    const auto text = r.query_param(name);
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size() || value < lo || value > hi) {
        throw Error(ErrorCode::invalid_field,
                    fmt::format("'{}' must be a whole number from {} to {}.", name, lo, hi),
                    std::string(name));
    }
    return value;
}

double query_double(const Request& r, std::string_view name, double lo, double hi,
                    std::optional<double> fallback) {
    const auto text = r.query_param(name);
    if (!text) {
        if (fallback) return *fallback;
        throw Error(ErrorCode::missing_field, fmt::format("'{}' is required.", name),
                    std::string(name));
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc{} || end != text->data() + text->size() || !(v >= lo && v <= hi)) {
        throw Error(ErrorCode::invalid_field,
                    fmt::format("'{}' must be a number from {} to {}.", name, lo, hi),
                    std::string(name));
    }
    return v;
}

int if_match_version(const Request& r) {
    std::string_view v = r.header("if-match");
    if (v.empty()) throw Error(ErrorCode::precondition_required);
    if (v.starts_with("W/")) v.remove_prefix(2);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    if (!v.empty() && v.front() == 'v') v.remove_prefix(1);
    int version = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
    if (ec != std::errc{} || end != v.data() + v.size() || version <= 0) {
        throw Error(ErrorCode::invalid_field, "If-Match must be the ETag of the record.",
                    "If-Match");
    }
    return version;
}

std::int64_t path_id(const Request& r, std::string_view name) {
    const auto it = r.params.find(name);
    std::int64_t value = 0;
    if (it == r.params.end()) throw Error(ErrorCode::not_found);
    const auto& text = it->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value <= 0)
        throw Error(ErrorCode::not_found);
    return value;
}

}  // namespace gridgov::http
