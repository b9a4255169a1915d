// JSON shapes shared by the registry's handlers: a record's change history, and the body of a
// state change ({"state": "verified" | "flagged"}).
#pragma once

#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "http/request.hpp"
#include "registry/record_keeping.hpp"

namespace gridgov::http {

boost::json::array history_json(const std::vector<registry::RecordChange>& changes);
// The state asked for in a state change's body.
std::string state_body(const Request& r);
// ?q= trimmed of nothing, absent when empty.
std::optional<std::string> query_text(const Request& r, std::string_view name);

}  // namespace gridgov::http
