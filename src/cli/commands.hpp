// The subcommands of the gridgov binary, each a function over loaded Settings that returns the
// process exit code. main.cpp parses the command line and calls one of them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "events/city_simulation.hpp"
#include "events/event_generator.hpp"
#include "registry/registry_generator.hpp"

namespace gridgov::cli {

int run_serve(const Settings& settings);
int run_migrate(const Settings& settings);
// Drives a living city on the demo's database until stopped or for `minutes`.
int run_simulate(const Settings& settings, events::SimulationPace pace, double minutes);
int run_demo(const Settings& settings, const std::string& scale, registry::RegistryScale registry,
             events::EventScale events);
int run_import(const Settings& settings, const std::string& file, const std::string& crs,
               bool dry_run, const std::vector<std::string>& map = {});
int run_export(const Settings& settings, const std::string& node_code, const std::string& output);
// Checks every event's action chain; 0 when all are intact, 1 when any is broken.
int run_audit_verify(const Settings& settings);
int run_rotate_key(const Settings& settings, const std::string& new_key_file);
int run_validate(const Settings& settings, const std::string& node_code, double tolerance_m);

struct UserAddOptions {
    std::string login;
    std::string name;
    std::string role = "grid_worker";
    std::optional<std::string> phone;
    std::optional<long long> scope_node_id;
    std::optional<long long> department_id;
    bool password_stdin = false;
};
int run_user_add(const Settings& settings, const UserAddOptions& options);
int run_user_passwd(const Settings& settings, const std::string& login, bool password_stdin);
int run_user_list(const Settings& settings);
int run_api_key_add(const Settings& settings, const std::string& name, const std::string& role,
                    const std::string& scope_code);
int run_api_key_list(const Settings& settings);
int run_api_key_revoke(const Settings& settings, std::int64_t id);

// Reads a password: one line from standard input, or twice at a terminal prompt without echo.
std::string read_password(bool from_stdin);

}  // namespace gridgov::cli
