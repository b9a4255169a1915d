// Settings of a gridgov process, and where they come from: built-in defaults, then a TOML file,
// then GRIDGOV_* environment variables, then command-line flags (later wins). Every setting is
// described once in setting_definitions(), from which the TOML keys, the variables, the flags and
// `gridgov serve --help` all follow.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>

namespace gridgov {

struct Settings {
    // http
    std::string listen_address = "127.0.0.1";
    std::uint16_t port = 8080;
    unsigned threads = 0;  // 0: one per core
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_body_bytes = 1024 * 1024;
    unsigned request_timeout_s = 30;
    unsigned idle_timeout_s = 60;
    unsigned shutdown_grace_s = 20;
    std::string web_root = "web/dist";
    bool trust_proxy = false;
    // database
    std::string database = "sqlite:gridgov.db";
    unsigned db_pool_size = 0;  // 0: threads + 2
    // how often a process checks whether another one changed shared state (the grid tree)
    unsigned refresh_ms = 1000;
    // sessions and logins
    unsigned session_idle_min = 30;
    unsigned session_absolute_h = 12;
    bool cookie_secure = false;
    unsigned login_max_failures = 5;
    unsigned login_lock_min = 15;
    // events: working hours of a working day (deadlines are counted in working time)
    std::string working_hours = "08:30-12:00,13:30-17:30";
    unsigned supervision_interval_s = 30;   // how often deadlines are checked
    unsigned public_reports_per_hour = 20;  // reports without an account, per client address
    unsigned warning_percent = 80;          // of a stage's working time: yellow, and a warning
    unsigned reopen_days = 7;               // after closing, an unsatisfied reporter may reopen
    // Open311 GeoReport v2
    std::string open311_jurisdiction_id;
    std::string open311_service_groups = "CG,AQ";
    bool open311_read_requires_key = false;
    std::string metrics_allow = "127.0.0.1,::1";
    unsigned login_failures_per_address = 20;
    bool webhooks_allow_internal = false;
    std::string public_url;
    unsigned public_uploads_per_day = 30;
    unsigned webhook_poll_ms = 1000;           // how often the outbox is checked for due deliveries
    unsigned webhook_first_retry_ms = 10'000;  // doubled after each failed attempt
    unsigned webhook_max_attempts = 15;
    // attachments of events (photos, documents)
    std::size_t attachment_max_bytes = 10 * 1024 * 1024;
    std::string attachment_directory;  // empty: kept in the database
    // map
    std::string base_tiles_url;  // raster tiles under the grid boundaries, "{z}/{x}/{y}" template
    std::string base_tiles_attribution;
    // personal data
    std::string key_file = "gridgov.key";  // 32-byte key for encrypting personal data at rest
    // logging
    std::string log_level = "info";
    std::string access_log = "-";  // "-" is standard output, "" turns it off, else a file
};

struct SettingDefinition {
    std::string key;   // TOML key, "http.port"
    std::string env;   // GRIDGOV_HTTP_PORT
    std::string flag;  // --port
    std::string help;
    std::function<void(Settings&, const std::string&)> assign;  // throws Error(invalid_field)
    std::function<std::string(const Settings&)> show;
};

std::span<const SettingDefinition> setting_definitions();

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
std::optional<std::string> process_env(const std::string& name);

// Applies, in order: the TOML file (if path is not empty), the environment, the flags (keyed by
// the definition's key). Throws Error(invalid_field, field = the key) on a bad value, an unknown
// key in the file, or a file that does not parse.
Settings load_settings(const std::string& config_file, const EnvLookup& env,
                       const std::map<std::string, std::string>& flags);

}  // namespace gridgov
