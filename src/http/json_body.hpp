// Reading a JSON request body strictly: it must be sent as application/json, parse, be an object,
// and hold only the fields the endpoint takes; each getter checks the type and bounds and throws
// Error(missing_field / invalid_field, field) naming the field at fault.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"

namespace gridgov::http {

class JsonBody {
  public:
    JsonBody(const Request& request, std::initializer_list<std::string_view> allowed_fields);
    // An object nested in a body, e.g. parts[2]: errors name its fields "parts[2].code".
    JsonBody(const boost::json::value& nested, std::string prefix,
             std::initializer_list<std::string_view> allowed_fields);

    bool has(std::string_view key) const { return object_.contains(key); }
    // The value as sent (for nested documents such as GeoJSON); has(key) must be true.
    const boost::json::value& raw(std::string_view key) const { return object_.at(key); }
    std::string string(std::string_view key, std::size_t max_bytes = 1024) const;
    std::optional<std::string> opt_string(std::string_view key, std::size_t max_bytes = 1024) const;
    // absent: nullopt; null: inner nullopt
    std::optional<std::optional<std::string>> nullable_string(std::string_view key,
                                                              std::size_t max_bytes = 1024) const;
    std::optional<std::optional<std::int64_t>> nullable_int(std::string_view key) const;
    std::optional<bool> opt_bool(std::string_view key) const;
    // An array of strings (null or absent: nullopt); errors name the item, "categories[2]".
    std::optional<std::vector<std::string>> opt_string_array(std::string_view key,
                                                             std::size_t max_items = 100,
                                                             std::size_t max_bytes = 64) const;

    // The field's name as errors report it.
    std::string name(std::string_view key) const;

  private:
    void check_fields(std::initializer_list<std::string_view> allowed) const;
    const boost::json::value* find(std::string_view key) const;
    std::string checked_string(std::string_view key, const boost::json::value& v,
                               std::size_t max_bytes) const;

    boost::json::object object_;
    std::string prefix_;  // "parts[2]." for a nested object
};

// A number in the query within bounds; `fallback` when absent, or Error(missing_field) without one.
double query_double(const Request& r, std::string_view name, double lo, double hi,
                    std::optional<double> fallback);
// Query parameters: whole numbers within bounds, else Error(invalid_field, name).
std::optional<std::int64_t> query_int(const Request& r, std::string_view name, std::int64_t lo,
                                      std::int64_t hi);
// If-Match: "v3" (or a bare 3): the version the client edits, else Error(precondition_required
// / invalid_field).
int if_match_version(const Request& r);
// The id in a route parameter, else Error(not_found).
std::int64_t path_id(const Request& r, std::string_view name);

}  // namespace gridgov::http
