#include <fmt/format.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <thread>

#include "cli/commands.hpp"
#include "cli/runtime.hpp"
#include "core/periodic.hpp"
#include "http/app.hpp"
#include "http/curl_sender.hpp"
#include "http/server.hpp"
#include "store/migrations.hpp"

namespace gridgov::cli {

namespace {

std::shared_ptr<spdlog::logger> make_access_log(const std::string& target) {
    if (target.empty()) return nullptr;
    std::shared_ptr<spdlog::logger> logger;
    if (target == "-") {
        logger = std::make_shared<spdlog::logger>(
            "access", std::make_shared<spdlog::sinks::stdout_sink_mt>());
    } else {
        logger = std::make_shared<spdlog::logger>(
            "access", std::make_shared<spdlog::sinks::basic_file_sink_mt>(target));
    }
    logger->set_pattern("%v");
    logger->set_level(spdlog::level::info);
    logger->flush_on(spdlog::level::info);
    return logger;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    for (const char ch : text + ",") {
        if (ch == ',') {
            if (!item.empty()) out.push_back(item);
            item.clear();
        } else if (ch != ' ') {
            item += ch;
        }
    }
    return out;
}

}  // namespace

int run_serve(const Settings& settings) {
    Runtime runtime(settings);
    http::AppOptions app_options{settings.web_root,
                                 settings.cookie_secure,
                                 settings.trust_proxy,
                                 GRIDGOV_VERSION,
                                 settings.base_tiles_url,
                                 settings.base_tiles_attribution,
                                 static_cast<int>(settings.public_reports_per_hour),
                                 settings.open311_jurisdiction_id,
                                 split_list(settings.open311_service_groups),
                                 settings.open311_read_requires_key,
                                 split_list(settings.metrics_allow),
                                 static_cast<int>(settings.login_failures_per_address),
                                 settings.public_url,
                                 static_cast<int>(settings.public_uploads_per_day)};
    http::App app(runtime.services(), app_options, make_access_log(settings.access_log));
    http::ServerOptions server_options;
    server_options.address = settings.listen_address;
    server_options.port = settings.port;
    server_options.threads = worker_threads(settings);
    server_options.max_header_bytes = settings.max_header_bytes;
    server_options.max_body_bytes = settings.max_body_bytes;
    server_options.max_upload_bytes =
        std::max(settings.max_body_bytes, settings.attachment_max_bytes + 64 * 1024);
    server_options.request_timeout = std::chrono::seconds(settings.request_timeout_s);
    server_options.idle_timeout = std::chrono::seconds(settings.idle_timeout_s);
    server_options.shutdown_grace = std::chrono::seconds(settings.shutdown_grace_s);
    http::Server server(server_options, [&app](http::Request& r) { return app.handle(r); });
    app.set_connection_gauge([&server] { return server.open_connections(); });
    if (!http::StaticFiles(settings.web_root).available()) {
        spdlog::warn("no web app at {} (build it with make web); serving the API only",
                     settings.web_root);
    }
    // other gridgov processes on the same database may change the grid tree
    Periodic refresh("grid refresh", std::chrono::milliseconds(settings.refresh_ms), [&runtime] {
        if (runtime.grid->refresh_if_changed()) spdlog::info("grid tree changed; reloaded");
    });
    // the live figures: counted once in the background (the API says 503 until then), then kept
    // up to date with what this and every other process changes
    std::jthread count_figures([&runtime] {
        try {
            const auto started = std::chrono::steady_clock::now();
            const auto events = runtime.figures->rebuild();
            spdlog::info("figures of {} events counted in {} ms ({} MiB)", events,
                         std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - started)
                             .count(),
                         runtime.figures->memory_bytes() >> 20);
        } catch (const std::exception& e) {
            spdlog::error("the figures could not be counted: {}", e.what());
        }
    });
    Periodic follow_figures("live figures", std::chrono::milliseconds(250), [&runtime] {
        if (runtime.figures->ready()) runtime.figures->follow();
    });
    // deadlines: warnings, overdue records and escalations, each once across all processes
    Periodic supervision("deadline supervision",
                         std::chrono::seconds(settings.supervision_interval_s), [&runtime] {
                             const auto done = runtime.events->supervise_deadlines();
                             if (done.warned + done.overdue > 0) {
                                 spdlog::info("deadlines: {} warned, {} overdue, {} escalated",
                                              done.warned, done.overdue, done.escalated);
                             }
                         });
    // webhook deliveries from the outbox, each claimed by one process
    Periodic webhooks(
        "webhook deliveries", std::chrono::milliseconds(settings.webhook_poll_ms),
        [&runtime, sender = std::make_shared<http::CurlSender>(settings.webhooks_allow_internal)] {
            const auto pass = runtime.webhooks->deliver_due(*sender);
            if (pass.retrying + pass.failed > 0) {
                spdlog::warn("webhooks: {} delivered, {} to retry, {} failed", pass.delivered,
                             pass.retrying, pass.failed);
            }
        });
    spdlog::info("gridgov {} listening on http://{}:{} with {} threads", GRIDGOV_VERSION,
                 settings.listen_address, server.port(), server.threads());
    server.run();
    spdlog::info("stopped");
    return 0;
}

int run_migrate(const Settings& settings) {
    auto db = store::open_database(settings.database, 1);
    const int applied = store::migrate(*db);
    fmt::print("{}: schema version {}, {} migration(s) applied\n", db->describe(),
               store::schema_version(*db), applied);
    return 0;
}

}  // namespace gridgov::cli
