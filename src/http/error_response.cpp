#include "http/error_response.hpp"

#include <boost/json/object.hpp>

namespace gridgov::http {

Response error_response(const Error& error, std::string_view request_id) {
    boost::json::object inner{{"code", error.name()}, {"message", error.what()}};
    if (!error.field().empty()) inner["field"] = error.field();
    if (!request_id.empty()) inner["request_id"] = request_id;
    return Response::json(error.http_status(), boost::json::object{{"error", std::move(inner)}});
}

}  // namespace gridgov::http
