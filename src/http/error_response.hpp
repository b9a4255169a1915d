// Turns an Error into the response every client sees: the code's HTTP status and the body
// {"error": {"code", "message", "field", "request_id"}} of the API conventions.
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "http/request.hpp"

namespace gridgov::http {

Response error_response(const Error& error, std::string_view request_id);

}  // namespace gridgov::http
