// The HTTP application: every request passes through it. It decodes the target, gives the
// request an id, finds the route (404 / 405 with Allow), authenticates (session cookie or API
// key), runs the handler, turns any Error into the JSON error body, adds security headers, and
// writes the access log line and the metrics. Thread-safe after construction.
#pragma once

#include <spdlog/logger.h>
#include <functional>
#include <memory>

#include "http/metrics.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "http/services.hpp"
#include "http/static_files.hpp"

namespace gridgov::http {

class App {
  public:
    App(Services services, AppOptions options, std::shared_ptr<spdlog::logger> access_log);

    // Never throws.
    Response handle(Request& request);

    const Router& router() const { return router_; }
    Metrics& metrics() { return metrics_; }
    // Supplies the open-connection gauge of /metrics once the server exists.
    void set_connection_gauge(std::function<std::size_t()> gauge) {
        connection_gauge_ = std::move(gauge);
    }

  private:
    Response dispatch(Request& request);
    void authenticate(Request& request);
    void log_access(const Request& request, const Response& response, double seconds) const;

    Services services_;
    AppOptions options_;
    std::shared_ptr<spdlog::logger> access_log_;
    Router router_;
    Metrics metrics_;
    StaticFiles static_files_;
    std::function<std::size_t()> connection_gauge_;
};

// Route registration, one function per area (handlers/*.cpp).
void add_health_routes(Router& router, const Services& services, const AppOptions& options,
                       Metrics& metrics, const std::function<std::size_t()>& connection_gauge);
void add_auth_routes(Router& router, const Services& services, const AppOptions& options);
void add_figure_routes(Router& router, const Services& services);
void add_field_work_routes(Router& router, const Services& services);
void add_user_routes(Router& router, const Services& services);
void add_api_key_routes(Router& router, const Services& services);
void add_audit_routes(Router& router, const Services& services);
void add_grid_routes(Router& router, const Services& services);
void add_tile_routes(Router& router, const Services& services);
void add_grid_exchange_routes(Router& router, const Services& services);
void add_grid_staffing_routes(Router& router, const Services& services);
void add_grid_version_routes(Router& router, const Services& services);
void add_catalogue_routes(Router& router, const Services& services);
void add_event_routes(Router& router, const Services& services);
void add_event_attachment_routes(Router& router, const Services& services,
                                 const AppOptions& options);
void add_webhook_routes(Router& router, const Services& services);
void add_notification_routes(Router& router, const Services& services);
void add_people_routes(Router& router, const Services& services);
void add_person_tag_routes(Router& router, const Services& services);
void add_address_routes(Router& router, const Services& services);
void add_key_place_routes(Router& router, const Services& services);
void add_licence_routes(Router& router, const Services& services);
void add_household_routes(Router& router, const Services& services);
void add_people_merge_routes(Router& router, const Services& services);
void add_people_exchange_routes(Router& router, const Services& services);
void add_organisation_routes(Router& router, const Services& services);
void add_open311_routes(Router& router, const Services& services, const AppOptions& options);
void add_public_event_routes(Router& router, const Services& services, const AppOptions& options);
void add_meta_routes(Router& router, const Services& services, const AppOptions& options);

// The public address links and QR codes are built on: http.public_url, else the request's Host
// when it is a plain host name (https when a trusted proxy says so).
std::string public_base_of(const Request& request, const AppOptions& options);

// The client's address as the trusted reverse proxy saw it (X-Real-IP, else the right-most
// X-Forwarded-For entry), else the peer's; used with http.trust_proxy only.
std::string address_behind_proxy(const Request& request);

// The embedded OpenAPI 3 document of the API.
std::string_view openapi_document();

}  // namespace gridgov::http
