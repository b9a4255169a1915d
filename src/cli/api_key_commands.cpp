// `gridgov api-key add NAME --role ROLE [--scope CODE]`, `gridgov api-key list`,
// `gridgov api-key revoke ID`: API keys of other systems from the command line, for the first key
// of a deployment or a script; the key is printed once, as the API shows it once.
#include <fmt/format.h>

#include "accounts/roles.hpp"
#include "cli/commands.hpp"
#include "cli/runtime.hpp"
#include "core/error.hpp"

namespace gridgov::cli {

namespace {
const accounts::RequestOrigin kCommandLine{"127.0.0.1", "cli", "gridgov api-key"};
}

int run_api_key_add(const Settings& settings, const std::string& name, const std::string& role,
                    const std::string& scope_code) {
    Runtime runtime(settings);
    const auto parsed = accounts::parse_role(role);
    if (!parsed)
        throw Error(ErrorCode::invalid_field, fmt::format("Unknown role '{}'.", role), "role");
    std::optional<std::int64_t> scope;
    if (!scope_code.empty()) {
        const auto node = runtime.grid->find_by_code(scope_code);
        if (!node)
            throw Error(
                ErrorCode::invalid_field,
                fmt::format("没有编码为 {0} 的节点。 No node has the code {0}.", scope_code),
                "scope");
        scope = node->id;
    }
    const auto issued = runtime.api_keys->issue(name, *parsed, scope, nullptr, kCommandLine);
    fmt::print("{}\n", issued.secret);
    fmt::print(stderr, "API key {} ({}) issued: role {}, scope {}; it is shown this once\n",
               issued.key.id, issued.key.prefix, role,
               scope_code.empty() ? "the whole tree" : scope_code);
    return 0;
}

int run_api_key_list(const Settings& settings) {
    Runtime runtime(settings);
    fmt::print("{:<6} {:<10} {:<12} {:<10} {:<8} {}\n", "id", "prefix", "role", "scope", "active",
               "name");
    for (const auto& k : runtime.api_keys->list(nullptr)) {
        fmt::print("{:<6} {:<10} {:<12} {:<10} {:<8} {}\n", k.id, k.prefix,
                   accounts::role_name(k.role),
                   k.scope_node_id ? std::to_string(*k.scope_node_id) : "-",
                   k.revoked_at ? "no" : "yes", k.name);
    }
    return 0;
}

int run_api_key_revoke(const Settings& settings, std::int64_t id) {
    Runtime runtime(settings);
    runtime.api_keys->revoke(id, nullptr, kCommandLine);
    fmt::print(stderr, "API key {} revoked\n", id);
    return 0;
}

}  // namespace gridgov::cli
