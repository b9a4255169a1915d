// `gridgov demo`: fills a database with the demo city's accounts (one per role) and prints the
// logins. Running it again leaves existing accounts as they are.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/runtime.hpp"

namespace gridgov::cli {

namespace {

struct DemoAccount {
    const char* login;
    const char* name;
    people::Role role;
    const char* phone;
};

constexpr const char* kDemoPassword = "Gridgov@2026";

constexpr DemoAccount kAccounts[] = {
    {"admin", "王强", people::Role::admin, "13851000001"},
    {"center", "李娜", people::Role::center, "13851000002"},
    {"leader", "张伟", people::Role::leader, "13851000003"},
    {"worker", "刘洋", people::Role::grid_worker, "13851000004"},
    {"gridhead", "陈静", people::Role::grid_head, "13851000005"},
    {"dept", "杨帆", people::Role::dept_handler, "13851000006"},
    {"volunteer", "赵敏", people::Role::volunteer, "13851000007"},
};

}  // namespace

int run_demo(const Settings& settings) {
    Runtime runtime(settings);
    const people::RequestOrigin origin{"cli", "", "gridgov demo"};
    for (const auto& a : kAccounts) {
        if (runtime.users->find_by_login(a.login)) continue;
        people::NewUser in;
        in.login = a.login;
        in.name = a.name;
        in.role = a.role;
        in.phone = a.phone;
        in.password = kDemoPassword;
        runtime.users->create(in, nullptr, origin);
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
