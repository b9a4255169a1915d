// About the API itself: the OpenAPI document and the server's version.
#include <boost/json/object.hpp>

#include "http/app.hpp"

namespace gridgov::http {

void add_meta_routes(Router& router, const Services& s, const AppOptions& options) {
    router.add(
        "GET", "/api/v1/openapi.json", Access::public_,
        [](Request&) {
            Response r;
            r.body = std::string(openapi_document());
            r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
            r.headers.emplace_back("Cache-Control", "no-cache");
            return r;
        },
        "This document");

    router.add(
        "GET", "/api/v1/map/config", Access::authenticated,
        [url = options.base_tiles_url, attribution = options.base_tiles_attribution](Request&) {
            return Response::json(
                200,
                boost::json::object{{"base_tiles_url", url.empty() ? boost::json::value(nullptr)
                                                                   : boost::json::value(url)},
                                    {"base_tiles_attribution", attribution}});
        },
        "The map's settings: the deployment's base tile server, if any");

    router.add(
        "GET", "/api/v1/version", Access::public_,
        [version = options.version, &db = s.db](Request&) {
            return Response::json(
                200, boost::json::object{
                         {"name", "gridgov"},
                         {"version", version},
                         {"database",
                          db.dialect() == store::Dialect::sqlite ? "sqlite" : "postgresql"}});
        },
        "Server name, version and database kind");
}

}  // namespace gridgov::http
