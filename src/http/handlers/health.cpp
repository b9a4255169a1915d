// /healthz (the process answers), /readyz (the database answers too), /metrics (Prometheus).
#include <algorithm>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "http/app.hpp"

namespace gridgov::http {

void add_health_routes(Router& router, const Services& services, const AppOptions& options,
                       Metrics& metrics, const std::function<std::size_t()>& connection_gauge) {
    router.add(
        "GET", "/healthz", Access::public_,
        [](Request&) {
            return Response::json(200, boost::json::object{{"status", "ok"}});
        },
        "Liveness: the process answers");

    router.add(
        "GET", "/readyz", Access::public_,
        [&db = services.db](Request&) {
            try {
                db.read([](store::Connection& c) { c.run("SELECT 1 AS one"); });
            } catch (const std::exception& e) {
                throw Error(ErrorCode::unavailable,
                            std::string("The database does not answer: ") + e.what());
            }
            return Response::json(
                200, boost::json::object{
                         {"status", "ready"},
                         {"database",
                          db.dialect() == store::Dialect::sqlite ? "sqlite" : "postgresql"}});
        },
        "Readiness: the database answers");

    router.add(
        "GET", "/metrics", Access::public_,
        [&db = services.db, &metrics, &connection_gauge,
         allow = options.metrics_allow](Request& req) {
            // the figures of the process are for the monitoring system, not for everyone
            const bool allowed = std::any_of(allow.begin(), allow.end(), [&](const auto& a) {
                return a == "*" || a == req.peer_ip;
            });
            if (!allowed) throw Error(ErrorCode::route_not_found);
            Response r;
            r.body = metrics.render(db.stats(), connection_gauge ? connection_gauge() : 0);
            r.headers.emplace_back("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            r.headers.emplace_back("Cache-Control", "no-store");
            return r;
        },
        "Request and database pool figures in the Prometheus text format");
}

}  // namespace gridgov::http
