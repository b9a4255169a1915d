#include "http/handlers/registry_views.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "core/clock.hpp"

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

json::object person_json(const registry::Person& p) {
    return {{"id", p.id},
            {"name", p.name},
            {"id_type", p.id_type},
            {"id_number", or_null(p.id_number)},
            {"gender", or_null(p.gender)},
            {"birth_date", p.birth_date_shown ? or_null(p.birth_date) : nullptr},
            {"age", or_null(p.age)},
            {"ethnicity", or_null(p.ethnicity)},
            {"phone", or_null(p.phone)},
            {"household_type", p.household_type},
            {"registered_address", or_null(p.registered_address)},
            {"employer", or_null(p.employer)},
            {"household_id", or_null(p.household_id)},
            {"relation_to_head", or_null(p.relation_to_head)},
            {"node_id", p.node_id},
            {"source", p.source},
            {"state", p.state},
            {"collected_by", or_null(p.collected_by)},
            {"collected_at", format_rfc3339(p.collected_at)},
            {"verified_by", or_null(p.verified_by)},
            {"verified_at", time_or_null(p.verified_at)},
            {"updated_at", format_rfc3339(p.updated_at)},
            {"version", p.version}};
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

std::vector<std::string> query_list(const Request& r, std::string_view name) {
    std::vector<std::string> out;
    const auto text = r.query_param(name);
    if (!text || text->empty()) return out;
    std::size_t start = 0;
    while (start <= text->size()) {
        const auto comma = text->find(',', start);
        out.push_back(text->substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

registry::PersonQuery person_query(const Request& r) {
    registry::PersonQuery q;
    q.name = query_text(r, "name");
    q.id_number = query_text(r, "id_number");
    q.phone = query_text(r, "phone");
    q.node_id = query_int(r, "node_id", 1, std::numeric_limits<std::int64_t>::max());
    q.household_type = query_text(r, "household_type");
    q.tag = query_text(r, "tag");
    q.state = query_text(r, "state");
    return q;
}

}  // namespace gridgov::http
