// JSON shapes shared by the registry's handlers: a person, a record's change history, and the
// body of a state change ({"state": "verified" | "flagged"}).
#pragma once

#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "http/request.hpp"
#include "registry/people_registry.hpp"
#include "registry/record_keeping.hpp"

namespace gridgov::http {

// A person of the registry, personal data as the registry gave it (masked unless revealed).
boost::json::object person_json(const registry::Person& p);
boost::json::array history_json(const std::vector<registry::RecordChange>& changes);
// The state asked for in a state change's body.
std::string state_body(const Request& r);
// A comma-separated query value as a list (absent or empty: none).
std::vector<std::string> query_list(const Request& r, std::string_view name);
// The filter of a people search or export: ?name= &id_number= &phone= &node_id=
// &household_type= &tag= &state=
registry::PersonQuery person_query(const Request& r);
// A query value, absent when empty.
std::optional<std::string> query_text(const Request& r, std::string_view name);

}  // namespace gridgov::http
