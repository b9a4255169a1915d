// JSON shapes shared by several handlers: a user (phone masked), a page of a list, paging
// parameters read from the query.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "accounts/user_service.hpp"
#include "events/attachments.hpp"
#include "events/event_service.hpp"
#include "geo/china_coordinates.hpp"
#include "grid/coverage.hpp"
#include "grid/grid_node.hpp"
#include "http/json_body.hpp"
#include "http/request.hpp"

namespace gridgov::http {

boost::json::object user_json(const accounts::User& user);
boost::json::object principal_json(const accounts::Principal& p);
// A node of the grid tree with its level names and validity period.
boost::json::object node_json(const grid::GridNode& n);

struct Paging {
    int limit = 50;
    int offset = 0;
};
// ?limit=1..500 (default 50) &offset=0..
Paging read_paging(const Request& r);
boost::json::object page_json(boost::json::array items, std::int64_t total, const Paging& paging);

// The coordinate system named in a body or query value (absent: WGS84), else
// Error(invalid_field, field).
geo::Crs crs_of(const std::optional<std::string>& name, const char* field = "crs");
// ?lon=&lat=[&crs=] as a WGS84 point, each checked.
geo::LonLat query_point(const Request& r);

// The findings of a coverage check, each with its shape as GeoJSON.
boost::json::array findings_json(const grid::CoverageReport& report);

// A value that may be absent as JSON: the value, or null.
template <typename T>
boost::json::value or_null(const std::optional<T>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}
// A time that may be absent, as RFC 3339 or null.
boost::json::value time_or_null(const std::optional<Millis>& t);

// "lon" and "lat" of a body (both or neither, each checked), in the body's "crs", as WGS84.
std::optional<geo::LonLat> body_point(const JsonBody& body);

// The public address of the platform (http.public_url; without it, the Host the client used,
// when it is a plain host name, and https only as a trusted proxy says), for links and QR codes.
std::string public_base_url(const Request& r);

// The attachments shown on an event's tracking page, with their public URLs.
boost::json::array public_attachments_json(const std::string& tracking_code,
                                           const std::vector<events::Attachment>& attachments);

// An event's file as the answer: its stored type, shown inline when an image, never sniffed.
Response file_response(const events::EventService::AttachmentContent& content);

// ?since= / ?until= as RFC 3339, else Error(invalid_field)
std::optional<Millis> query_time(const Request& r, std::string_view name);
// A time of a body as RFC 3339 (absent: nullopt), else Error(invalid_field)
std::optional<Millis> body_time(const JsonBody& body, std::string_view name);

}  // namespace gridgov::http
