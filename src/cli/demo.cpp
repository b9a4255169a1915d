// `gridgov demo`: fills a database with the demo city (the real divisions of Nanjing with
// generated grids in 江宁区禄口街道, see grid/demo_city.hpp) and its accounts, one per role with
// a place in the tree, then prints the logins. Running it again leaves what exists as it is.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "cli/commands.hpp"
#include "cli/runtime.hpp"
#include "grid/demo_city.hpp"

namespace gridgov::cli {

namespace {

struct DemoAccount {
    const char* login;
    const char* name;
    people::Role role;
    const char* phone;
    const char* scope_code;  // empty: the whole city
};

constexpr const char* kDemoPassword = "Gridgov@2026";

constexpr DemoAccount kAccounts[] = {
    {"admin", "王强", people::Role::admin, "13851000001", ""},
    {"center", "李娜", people::Role::center, "13851000002", "320115005"},
    {"leader", "张伟", people::Role::leader, "13851000003", "320115"},
    {"worker", "刘洋", people::Role::grid_worker, "13851000004", "320115005001001"},
    {"gridhead", "陈静", people::Role::grid_head, "13851000005", "320115005001"},
    {"dept", "杨帆", people::Role::dept_handler, "13851000006", "320115"},
    {"volunteer", "赵敏", people::Role::volunteer, "13851000007", "320115005001"},
};

}  // namespace

int run_demo(const Settings& settings, const std::string& scale) {
    const auto options = grid::demo_scale(scale);
    Runtime runtime(settings);
    const people::RequestOrigin origin{"cli", "", "gridgov demo"};
    if (runtime.grid->snapshot()->node_count() == 0) {
        const auto started = std::chrono::steady_clock::now();
        const auto city = grid::build_demo_city(options);
        runtime.grid->import(city.nodes, nullptr, origin);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        fmt::print(
            "built the demo city in {} ms: 南京市, 11 districts, {}: {} communities, {} grids ({} "
            "综合, {} 专属), "
            "{} micro-grids\n",
            ms.count(), city.street_name, city.communities, city.grids, city.grids - city.dedicated,
            city.dedicated, city.micro_grids);
    }
    for (const auto& a : kAccounts) {
        if (runtime.users->find_by_login(a.login)) continue;
        people::NewUser in;
        in.login = a.login;
        in.name = a.name;
        in.role = a.role;
        in.phone = a.phone;
        in.password = kDemoPassword;
        std::optional<grid::GridNode> node;
        if (*a.scope_code) {
            node = runtime.grid->find_by_code(a.scope_code);
            if (node) in.scope_node_id = node->id;
        }
        const auto user = runtime.users->create(in, nullptr, origin);
        // the grid worker serves the grid full-time, the grid head leads the community
        if (node && (a.role == people::Role::grid_worker || a.role == people::Role::grid_head)) {
            runtime.staffing->assign(node->id, user.id,
                                     a.role == people::Role::grid_worker ? "full_time" : "head",
                                     nullptr, origin);
        }
    }
    fmt::print("\ngridgov demo city is ready in {}\n\n", runtime.db->describe());
    fmt::print("  {:<11} {:<14} {}\n", "login", "password", "role 角色");
    for (const auto& a : kAccounts) {
        fmt::print("  {:<11} {:<14} {} {}\n", a.login, kDemoPassword, people::role_label_zh(a.role),
                   people::role_name(a.role));
    }
    fmt::print("\n");
    return 0;
}

}  // namespace gridgov::cli
