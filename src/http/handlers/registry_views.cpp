#include "http/handlers/registry_views.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

json::array history_json(const std::vector<registry::RecordChange>& changes) {
    json::array items;
    for (const auto& c : changes) {
        items.push_back(json::object{{"version", c.version},
                                     {"changed_by", or_null(c.changed_by)},
                                     {"changed_at", format_rfc3339(c.changed_at)},
                                     {"changes", json::parse(c.changes)}});
    }
    return items;
}

std::string state_body(const Request& r) {
    const JsonBody body(r, {"state"});
    return body.string("state", 16);
}

std::optional<std::string> query_text(const Request& r, std::string_view name) {
    auto v = r.query_param(name);
    if (v && v->empty()) v.reset();
    return v;
}

}  // namespace gridgov::http
