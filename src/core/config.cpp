#include "core/config.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <vector>

#include "core/error.hpp"

namespace gridgov {
namespace {

template <typename Int>
Int parse_int(const std::string& key, const std::string& text, Int lo, Int hi) {
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() ||
        value < static_cast<long long>(lo) || value > static_cast<long long>(hi)) {
        throw Error(
            ErrorCode::invalid_field,
            fmt::format("{} must be a whole number from {} to {}, not '{}'", key, lo, hi, text),
            key);
    }
    return static_cast<Int>(value);
}

bool parse_bool(const std::string& key, const std::string& text) {
    if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
    if (text == "false" || text == "0" || text == "no" || text == "off") return false;
    throw Error(ErrorCode::invalid_field,
                fmt::format("{} must be true or false, not '{}'", key, text), key);
}

template <typename Int>
SettingDefinition int_setting(std::string key, std::string env, std::string flag, std::string help,
                              Int Settings::*member, Int lo, Int hi) {
    return {key,
            std::move(env),
            std::move(flag),
            std::move(help),
            [key, member, lo, hi](Settings& s, const std::string& v) {
                s.*member = parse_int<Int>(key, v, lo, hi);
            },
            [member](const Settings& s) { return std::to_string(s.*member); }};
}

SettingDefinition string_setting(std::string key, std::string env, std::string flag,
                                 std::string help, std::string Settings::*member) {
    return {std::move(key),
            std::move(env),
            std::move(flag),
            std::move(help),
            [member](Settings& s, const std::string& v) { s.*member = v; },
            [member](const Settings& s) { return s.*member; }};
}

SettingDefinition bool_setting(std::string key, std::string env, std::string flag, std::string help,
                               bool Settings::*member) {
    return {key,
            std::move(env),
            std::move(flag),
            std::move(help),
            [key, member](Settings& s, const std::string& v) { s.*member = parse_bool(key, v); },
            [member](const Settings& s) { return std::string(s.*member ? "true" : "false"); }};
}

std::vector<SettingDefinition> make_definitions() {
    using S = Settings;
    std::vector<SettingDefinition> d;
    d.push_back(string_setting("http.listen", "GRIDGOV_HTTP_LISTEN", "--listen",
                               "Address to listen on (0.0.0.0 for all interfaces)",
                               &S::listen_address));
    d.push_back(int_setting<std::uint16_t>("http.port", "GRIDGOV_HTTP_PORT", "--port",
                                           "TCP port to listen on (0 picks a free one)", &S::port,
                                           0, 65535));
    d.push_back(int_setting<unsigned>("http.threads", "GRIDGOV_HTTP_THREADS", "--threads",
                                      "Worker threads; 0 is one per core", &S::threads, 0, 256));
    d.push_back(int_setting<std::size_t>("http.max_header_bytes", "GRIDGOV_HTTP_MAX_HEADER_BYTES",
                                         "--max-header-bytes", "Largest request head accepted",
                                         &S::max_header_bytes, 1024, 1 << 20));
    d.push_back(int_setting<std::size_t>("http.max_body_bytes", "GRIDGOV_HTTP_MAX_BODY_BYTES",
                                         "--max-body-bytes", "Largest request body accepted",
                                         &S::max_body_bytes, 1024, std::size_t{1} << 30));
    d.push_back(int_setting<unsigned>(
        "http.request_timeout", "GRIDGOV_HTTP_REQUEST_TIMEOUT", "--request-timeout",
        "Seconds a client may take to send one request", &S::request_timeout_s, 1, 3600));
    d.push_back(int_setting<unsigned>(
        "http.idle_timeout", "GRIDGOV_HTTP_IDLE_TIMEOUT", "--idle-timeout",
        "Seconds a keep-alive connection may stay idle", &S::idle_timeout_s, 1, 3600));
    d.push_back(int_setting<unsigned>(
        "http.shutdown_grace", "GRIDGOV_HTTP_SHUTDOWN_GRACE", "--shutdown-grace",
        "Seconds to finish requests in flight on SIGTERM/SIGINT", &S::shutdown_grace_s, 0, 3600));
    d.push_back(string_setting("http.web_root", "GRIDGOV_HTTP_WEB_ROOT", "--web-root",
                               "Folder of the built web app (web/dist)", &S::web_root));
    d.push_back(bool_setting("http.trust_proxy", "GRIDGOV_HTTP_TRUST_PROXY", "--trust-proxy",
                             "Take the client address from X-Forwarded-For (behind nginx)",
                             &S::trust_proxy));
    d.push_back(string_setting(
        "database.url", "GRIDGOV_DATABASE_URL", "--database",
        "sqlite:PATH for the embedded database, or postgresql://user@host:port/db", &S::database));
    d.push_back(int_setting<unsigned>("database.pool_size", "GRIDGOV_DATABASE_POOL_SIZE",
                                      "--pool-size", "Database connections; 0 is threads + 2",
                                      &S::db_pool_size, 0, 1024));
    d.push_back(int_setting<unsigned>(
        "database.refresh_ms", "GRIDGOV_DATABASE_REFRESH_MS", "--refresh-ms",
        "How often to look for changes made by other gridgov processes on the same database "
        "(milliseconds)",
        &S::refresh_ms, 50, 60'000));
    d.push_back(int_setting<unsigned>(
        "session.idle_minutes", "GRIDGOV_SESSION_IDLE_MINUTES", "--session-idle-minutes",
        "A session ends after this idle time", &S::session_idle_min, 1, 24 * 60));
    d.push_back(int_setting<unsigned>(
        "session.absolute_hours", "GRIDGOV_SESSION_ABSOLUTE_HOURS", "--session-absolute-hours",
        "A session ends this long after login, active or not", &S::session_absolute_h, 1, 24 * 30));
    d.push_back(bool_setting(
        "session.cookie_secure", "GRIDGOV_SESSION_COOKIE_SECURE", "--cookie-secure",
        "Mark the session cookie Secure (set it when served over TLS)", &S::cookie_secure));
    d.push_back(int_setting<unsigned>(
        "login.max_failures", "GRIDGOV_LOGIN_MAX_FAILURES", "--login-max-failures",
        "Failed logins before the account locks", &S::login_max_failures, 1, 100));
    d.push_back(int_setting<unsigned>(
        "login.lock_minutes", "GRIDGOV_LOGIN_LOCK_MINUTES", "--login-lock-minutes",
        "How long a locked account stays locked", &S::login_lock_min, 1, 24 * 60));
    d.push_back(string_setting(
        "events.working_hours", "GRIDGOV_EVENTS_WORKING_HOURS", "--working-hours",
        "Working periods of a working day, China time, for deadlines", &S::working_hours));
    d.push_back(int_setting<unsigned>(
        "events.supervision_interval_s", "GRIDGOV_EVENTS_SUPERVISION_INTERVAL_S",
        "--supervision-interval",
        "Seconds between checks of events' deadlines (warnings, overdue, escalation)",
        &S::supervision_interval_s, 1, 3600));
    d.push_back(
        int_setting<unsigned>("events.public_reports_per_hour",
                              "GRIDGOV_EVENTS_PUBLIC_REPORTS_PER_HOUR", "--public-reports-per-hour",
                              "Reports without an account one client address may send in an hour",
                              &S::public_reports_per_hour, 1, 100000));
    d.push_back(int_setting<unsigned>(
        "events.warning_percent", "GRIDGOV_EVENTS_WARNING_PERCENT", "--warning-percent",
        "Share of a stage's working time after which it turns yellow and a warning is raised",
        &S::warning_percent, 1, 99));
    d.push_back(int_setting<unsigned>(
        "events.reopen_days", "GRIDGOV_EVENTS_REOPEN_DAYS", "--reopen-days",
        "Days after closing in which an unsatisfied reporter may reopen a case", &S::reopen_days, 1,
        365));
    d.push_back(string_setting("open311.jurisdiction_id", "GRIDGOV_OPEN311_JURISDICTION_ID",
                               "--open311-jurisdiction",
                               "The jurisdiction_id Open311 clients may name; empty accepts any",
                               &S::open311_jurisdiction_id));
    d.push_back(string_setting(
        "open311.service_groups", "GRIDGOV_OPEN311_SERVICE_GROUPS", "--open311-service-groups",
        "Category groups (code prefixes, comma-separated) offered as Open311 services",
        &S::open311_service_groups));
    d.push_back(bool_setting(
        "open311.read_requires_key", "GRIDGOV_OPEN311_READ_REQUIRES_KEY", "--open311-read-key",
        "Open311 reads of requests need an api_key (otherwise anyone reads the published ones)",
        &S::open311_read_requires_key));
    d.push_back(string_setting(
        "http.metrics_allow", "GRIDGOV_HTTP_METRICS_ALLOW", "--metrics-allow",
        "Addresses (comma-separated) that may read /metrics; * for any. Others get 404",
        &S::metrics_allow));
    d.push_back(int_setting<unsigned>(
        "login.failures_per_address", "GRIDGOV_LOGIN_FAILURES_PER_ADDRESS",
        "--login-failures-per-address",
        "Failed logins one client address may make in 15 minutes before it must wait",
        &S::login_failures_per_address, 1, 100000));
    d.push_back(bool_setting(
        "webhooks.allow_internal", "GRIDGOV_WEBHOOKS_ALLOW_INTERNAL", "--webhooks-allow-internal",
        "Let webhooks reach loopback and link-local addresses (for a receiver on this machine)",
        &S::webhooks_allow_internal));
    d.push_back(string_setting(
        "http.public_url", "GRIDGOV_HTTP_PUBLIC_URL", "--public-url",
        "The platform's public address (https://grid.example.gov.cn) for tracking links, QR codes "
        "and Open311; without it, the Host of each request",
        &S::public_url));
    d.push_back(int_setting<unsigned>(
        "attachments.public_per_day", "GRIDGOV_ATTACHMENTS_PUBLIC_PER_DAY",
        "--public-uploads-per-day",
        "Files the public may attach to their reports from one address in a day",
        &S::public_uploads_per_day, 1, 100000));
    d.push_back(int_setting<unsigned>(
        "webhooks.poll_ms", "GRIDGOV_WEBHOOKS_POLL_MS", "--webhook-poll-ms",
        "How often to look for webhook deliveries that are due (milliseconds)", &S::webhook_poll_ms,
        50, 600'000));
    d.push_back(int_setting<unsigned>(
        "webhooks.first_retry_ms", "GRIDGOV_WEBHOOKS_FIRST_RETRY_MS", "--webhook-first-retry-ms",
        "Wait before a failed delivery is tried again; doubled after each failure, up to 6 hours",
        &S::webhook_first_retry_ms, 10, 3'600'000));
    d.push_back(int_setting<unsigned>(
        "webhooks.max_attempts", "GRIDGOV_WEBHOOKS_MAX_ATTEMPTS", "--webhook-max-attempts",
        "Attempts before a delivery is marked failed (an administrator may send it again)",
        &S::webhook_max_attempts, 1, 100));
    d.push_back(int_setting<std::size_t>("attachments.max_bytes", "GRIDGOV_ATTACHMENTS_MAX_BYTES",
                                         "--attachment-max-bytes",
                                         "Largest photo or document attached to an event",
                                         &S::attachment_max_bytes, 1024, std::size_t{1} << 30));
    d.push_back(string_setting(
        "attachments.directory", "GRIDGOV_ATTACHMENTS_DIRECTORY", "--attachment-directory",
        "Directory for the files attached to events; empty keeps them in the database",
        &S::attachment_directory));
    d.push_back(
        string_setting("map.base_tiles_url", "GRIDGOV_MAP_BASE_TILES_URL", "--base-tiles-url",
                       "Raster tiles drawn under the grid boundaries, a {z}/{x}/{y} URL of the "
                       "deployment's own tile server; empty: the boundaries are the base map",
                       &S::base_tiles_url));
    d.push_back(string_setting("map.base_tiles_attribution", "GRIDGOV_MAP_BASE_TILES_ATTRIBUTION",
                               "--base-tiles-attribution",
                               "The attribution the tile server asks for",
                               &S::base_tiles_attribution));
    d.push_back(string_setting(
        "security.key_file", "GRIDGOV_SECURITY_KEY_FILE", "--key-file",
        "Key that encrypts personal data at rest; created (mode 0600) if missing", &S::key_file));
    d.push_back(string_setting("log.level", "GRIDGOV_LOG_LEVEL", "--log-level",
                               "trace, debug, info, warn, error or off", &S::log_level));
    d.push_back(
        string_setting("log.access", "GRIDGOV_LOG_ACCESS", "--access-log",
                       "Access log as JSON lines: - for standard output, empty for none, or a file",
                       &S::access_log));
    return d;
}

std::string toml_value_text(const toml::node& node) {
    if (node.is_string()) return *node.value<std::string>();
    if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
    if (node.is_integer()) return std::to_string(*node.value<std::int64_t>());
    return "<unsupported>";
}

}  // namespace

std::span<const SettingDefinition> setting_definitions() {
    static const std::vector<SettingDefinition> defs = make_definitions();
    return defs;
}

std::optional<std::string> process_env(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
}

Settings load_settings(const std::string& config_file, const EnvLookup& env,
                       const std::map<std::string, std::string>& flags) {
    Settings s;
    const auto defs = setting_definitions();
    if (!config_file.empty()) {
        toml::table table;
        try {
            table = toml::parse_file(config_file);
        } catch (const toml::parse_error& e) {
            throw Error(ErrorCode::invalid_field,
                        fmt::format("{}: {}", config_file, std::string(e.description())), "config");
        }
        // every key in the file must be known: a typo should not be silently ignored
        for (const auto& [section, node] : table) {
            const auto* sub = node.as_table();
            if (sub == nullptr) {
                throw Error(ErrorCode::unknown_field,
                            fmt::format("{}: unknown setting '{}'", config_file, section.str()),
                            std::string(section.str()));
            }
            for (const auto& [name, value] : *sub) {
                const std::string key = std::string(section.str()) + "." + std::string(name.str());
                bool known = false;
                for (const auto& def : defs) {
                    if (def.key == key) {
                        def.assign(s, toml_value_text(value));
                        known = true;
                    }
                }
                if (!known) {
                    throw Error(ErrorCode::unknown_field,
                                fmt::format("{}: unknown setting '{}'", config_file, key), key);
                }
            }
        }
    }
    for (const auto& def : defs) {
        if (auto v = env(def.env)) def.assign(s, *v);
    }
    for (const auto& def : defs) {
        if (auto it = flags.find(def.key); it != flags.end()) def.assign(s, it->second);
    }
    return s;
}

}  // namespace gridgov
