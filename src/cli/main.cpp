// gridgov: one binary, several subcommands. Settings for every subcommand come from defaults, a
// TOML file (--config or GRIDGOV_CONFIG), GRIDGOV_* variables and flags, in that order.
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <map>

#include "cli/commands.hpp"
#include "core/config.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"

using namespace gridgov;

namespace {

struct SettingFlags {
    std::string config_file;
    std::map<std::string, std::string> values;
};

// Every setting as a flag of the subcommand, with its variable and default in the help.
void add_setting_flags(CLI::App* command, SettingFlags& flags) {
    const Settings defaults;
    command->add_option("-c,--config", flags.config_file, "TOML settings file [env GRIDGOV_CONFIG]")
        ->group("Settings");
    for (const auto& def : setting_definitions()) {
        const std::string key = def.key;
        const std::string shown = def.show(defaults);
        command
            ->add_option_function<std::string>(
                def.flag, [&flags, key](const std::string& v) { flags.values[key] = v; },
                fmt::format("{} [{} = {}, env {}]", def.help, def.key,
                            shown.empty() ? "\"\"" : shown, def.env))
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
            ->group("Settings");
    }
}

Settings load(const SettingFlags& flags) {
    std::string file = flags.config_file;
    if (file.empty()) file = process_env("GRIDGOV_CONFIG").value_or("");
    Settings s = load_settings(file, process_env, flags.values);
    spdlog::set_level(spdlog::level::from_str(s.log_level));
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    init_crypto();
    // diagnostics go to standard error; standard output is for command results and the access log
    spdlog::set_default_logger(spdlog::stderr_color_mt("gridgov"));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    CLI::App app{
        "gridgov: the information platform of grid-based community governance (网格化社会治理)",
        "gridgov"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(GRIDGOV_VERSION));

    SettingFlags serve_flags, migrate_flags, demo_flags, user_flags;

    auto* serve = app.add_subcommand("serve", "Serve the API and the web app over HTTP");
    add_setting_flags(serve, serve_flags);

    auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
    add_setting_flags(migrate, migrate_flags);

    auto* demo = app.add_subcommand(
        "demo", "Fill the database with the demo city and print the demo logins");
    add_setting_flags(demo, demo_flags);
    std::string demo_scale = "street";
    demo->add_option(
            "--scale", demo_scale,
            "street: 禄口街道 with 145 grids; city: all of Nanjing, 12,600 grids; chengdu: "
            "130,000 micro-grids")
        ->capture_default_str()
        ->check(CLI::IsMember({"street", "city", "chengdu"}));
    registry::RegistryScale demo_registry;
    demo->add_option("--people", demo_registry.people,
                     "Generate a registry of this many people across the grids (9000000: "
                     "Nanjing); only into an empty registry")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{50'000'000}));
    demo->add_option("--rooms", demo_registry.rooms,
                     "and of this many rooms (3500000: Nanjing); 0: one for every 2.6 people")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{20'000'000}));
    demo->add_option("--seed", demo_registry.seed, "The generator's seed")->capture_default_str();
    events::EventScale demo_events;
    demo->add_option("--events", demo_events.events,
                     "Generate this many events over the grids (10000000: a city's year); only "
                     "when there are none")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{100'000'000}));
    demo->add_option("--event-days", demo_events.days, "reported over this many days up to now")
        ->capture_default_str()
        ->check(CLI::Range(1, 3660));

    auto* version = app.add_subcommand("version", "Print the version");

    SettingFlags audit_flags;
    auto* audit = app.add_subcommand("audit", "Check the records kept for accountability");
    audit->require_subcommand(1);
    auto* audit_verify = audit->add_subcommand(
        "verify", "Recompute every event's action hash chain; exit 1 if any was tampered with");
    add_setting_flags(audit_verify, audit_flags);

    SettingFlags validate_flags;
    std::string validate_node;
    double validate_tolerance = 1.0;
    auto* validate = app.add_subcommand(
        "validate",
        "Check that children cover their parents without gaps or overlaps; exit 1 on findings");
    add_setting_flags(validate, validate_flags);
    validate->add_option("--node", validate_node,
                         "Code of the subtree to check (default: the whole tree)");
    validate
        ->add_option("--tolerance-m", validate_tolerance,
                     "Ignore slivers thinner than this, in metres")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1000.0));

    SettingFlags import_flags, export_flags;
    std::string import_file, import_crs = "wgs84", export_node, export_output;
    bool import_dry_run = false;
    std::vector<std::string> import_map;
    auto* import =
        app.add_subcommand("import", "Import grid tree nodes from a GeoJSON file (all or nothing)");
    add_setting_flags(import, import_flags);
    import
        ->add_option("file", import_file,
                     "GeoJSON, Shapefile (.shp), GeoPackage (.gpkg) or another GDAL format: "
                     "properties code, name, kind ...")
        ->required();
    import
        ->add_option("--crs", import_crs,
                     "Coordinates of the file: wgs84, gcj02 (AMap, Tencent) or bd09 (Baidu)")
        ->capture_default_str();
    import
        ->add_option("--map", import_map,
                     "Where the file names a field otherwise, as property:field (WGBM:code, "
                     "NAME:name); fields: code, name, kind, subtype, parent_code, households, "
                     "population")
        ->delimiter(',');
    import->add_flag("--dry-run", import_dry_run,
                     "Check the file and preview the coverage; write nothing");
    auto* export_ = app.add_subcommand("export", "Write the grid tree (or a subtree) as GeoJSON");
    add_setting_flags(export_, export_flags);
    export_->add_option("--node", export_node, "Code of the subtree (default: the whole tree)");
    export_->add_option(
        "-o,--output", export_output,
        "File to write: .geojson, or .shp, .gpkg, .kml, .csv, .fgb through GDAL (default: "
        "GeoJSON on standard output)");

    auto* user = app.add_subcommand("user", "Manage user accounts");
    user->require_subcommand(1);
    add_setting_flags(user, user_flags);
    cli::UserAddOptions add_options;
    auto* user_add =
        user->add_subcommand("add", "Create a user; the password is read from standard input");
    user_add->add_option("login", add_options.login, "Login: 3-32 of a-z 0-9 _ . -")->required();
    user_add->add_option("--name", add_options.name, "Display name (default: the login)");
    user_add
        ->add_option("--role", add_options.role,
                     "admin, center, leader, grid_worker, grid_head, dept_handler, volunteer")
        ->capture_default_str();
    user_add->add_option("--phone", add_options.phone, "Phone number (stored encrypted)");
    user_add->add_option("--scope", add_options.scope_node_id,
                         "Grid tree node the user is limited to");
    user_add->add_option("--department", add_options.department_id, "Department id");
    user_add->add_flag("--password-stdin", add_options.password_stdin,
                       "Read the password from standard input");
    std::string passwd_login;
    bool passwd_stdin = false;
    auto* user_passwd =
        user->add_subcommand("passwd", "Set a user's password; ends their sessions");
    user_passwd->add_option("login", passwd_login, "Login")->required();
    user_passwd->add_flag("--password-stdin", passwd_stdin,
                          "Read the password from standard input");
    auto* user_list = user->add_subcommand("list", "List users");

    SettingFlags simulate_flags;
    auto* simulate = app.add_subcommand(
        "simulate",
        "Drive a living city on the demo: workers and residents report, the centre dispatches, "
        "departments handle, reporters evaluate (beside gridgov serve on the same database)");
    add_setting_flags(simulate, simulate_flags);
    events::SimulationPace pace;
    double simulate_minutes = 0;
    simulate->add_option("--reports-per-minute", pace.reports_per_minute, "over the whole area")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 6000.0));
    simulate->add_option("--speed", pace.speed, "people act this many times faster than in life")
        ->capture_default_str()
        ->check(CLI::Range(0.1, 10000.0));
    simulate->add_option("--minutes", simulate_minutes, "stop after this long (0: when stopped)")
        ->check(CLI::Range(0.0, 1e6));
    simulate->add_option("--seed", pace.seed, "the reports' seed")->capture_default_str();

    SettingFlags api_key_flags;
    auto* api_key = app.add_subcommand("api-key", "Manage the API keys of other systems");
    api_key->require_subcommand(1);
    add_setting_flags(api_key, api_key_flags);
    std::string api_key_name, api_key_role = "center", api_key_scope;
    std::int64_t api_key_id = 0;
    auto* api_key_add =
        api_key->add_subcommand("add", "Issue a key; it is printed once on standard output");
    api_key_add->add_option("name", api_key_name, "What system the key is for")->required();
    api_key_add->add_option("--role", api_key_role, "center, leader, grid_worker, dept_handler ...")
        ->capture_default_str();
    api_key_add->add_option("--scope", api_key_scope,
                            "Code of the grid tree node the key is limited to (default: all)");
    auto* api_key_list = api_key->add_subcommand("list", "List the keys, active and revoked");
    auto* api_key_revoke = api_key->add_subcommand("revoke", "Revoke a key");
    api_key_revoke->add_option("id", api_key_id, "The key's id")->required();

    SettingFlags keys_flags;
    std::string new_key_file;
    auto* keys = app.add_subcommand("keys", "Manage the key that encrypts personal data");
    keys->require_subcommand(1);
    auto* keys_rotate = keys->add_subcommand(
        "rotate",
        "Encrypt every personal value again under a new key and recompute the lookup hashes "
        "(servers stopped); then serve with --key-file NEW");
    add_setting_flags(keys_rotate, keys_flags);
    keys_rotate->add_option("--new-key-file", new_key_file, "The new key (made when missing)")
        ->required();

    CLI11_PARSE(app, argc, argv);

    try {
        if (*serve) return cli::run_serve(load(serve_flags));
        if (*migrate) return cli::run_migrate(load(migrate_flags));
        if (*demo) return cli::run_demo(load(demo_flags), demo_scale, demo_registry, demo_events);
        if (*validate) {
            return cli::run_validate(load(validate_flags), validate_node, validate_tolerance);
        }
        if (*import)
            return cli::run_import(load(import_flags), import_file, import_crs, import_dry_run,
                                   import_map);
        if (*export_) return cli::run_export(load(export_flags), export_node, export_output);
        if (*audit_verify) return cli::run_audit_verify(load(audit_flags));
        if (*keys_rotate) return cli::run_rotate_key(load(keys_flags), new_key_file);
        if (*api_key_add)
            return cli::run_api_key_add(load(api_key_flags), api_key_name, api_key_role,
                                        api_key_scope);
        if (*api_key_list) return cli::run_api_key_list(load(api_key_flags));
        if (*api_key_revoke) return cli::run_api_key_revoke(load(api_key_flags), api_key_id);
        if (*simulate) return cli::run_simulate(load(simulate_flags), pace, simulate_minutes);
        if (*version) {
            fmt::print("gridgov {}\n", GRIDGOV_VERSION);
            return 0;
        }
        if (*user_add) return cli::run_user_add(load(user_flags), add_options);
        if (*user_passwd) return cli::run_user_passwd(load(user_flags), passwd_login, passwd_stdin);
        if (*user_list) return cli::run_user_list(load(user_flags));
    } catch (const Error& e) {
        fmt::print(stderr, "gridgov: {}{}\n", e.what(),
                   e.field().empty() ? "" : fmt::format(" [{}]", e.field()));
        return 2;
    } catch (const std::exception& e) {
        fmt::print(stderr, "gridgov: {}\n", e.what());
        return 1;
    }
    return 0;
}
