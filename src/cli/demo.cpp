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
    accounts::Role role;
    const char* phone;
    const char* scope_code;  // empty: the whole city
};

constexpr const char* kDemoPassword = "Gridgov@2026";

constexpr DemoAccount kAccounts[] = {
    {"admin", "王强", accounts::Role::admin, "13851000001", ""},
    {"center", "李娜", accounts::Role::center, "13851000002", "320115005"},
    {"leader", "张伟", accounts::Role::leader, "13851000003", "320115"},
    {"worker", "刘洋", accounts::Role::grid_worker, "13851000004", "320115005001001"},
    {"gridhead", "陈静", accounts::Role::grid_head, "13851000005", "320115005001"},
    {"dept", "杨帆", accounts::Role::dept_handler, "13851000006", "320115"},
    {"volunteer", "赵敏", accounts::Role::volunteer, "13851000007", "320115005001"},
};

// The departments of 江宁区 and of 禄口街道 that events are dispatched to.
struct DemoDepartment {
    const char* node_code;
    const char* kind;
    const char* name;
};
constexpr DemoDepartment kDepartments[] = {
    {"320115005", "cgj", "禄口街道城管中队"},
    {"320115005", "ga", "禄口派出所"},
    {"320115005", "scjg", "禄口市场监督管理所"},
    {"320115005", "sf", "禄口司法所"},
    {"320115005", "mz", "禄口街道民政办"},
    {"320115005", "yjgl", "禄口街道应急管理办公室"},
    {"320115005", "zjj", "禄口街道建设管理办公室"},
    {"320115005", "wjw", "禄口街道社区卫生服务中心"},
    {"320115005", "xf", "禄口消防救援站"},
    {"320115", "cgj", "江宁区城市管理局"},
    {"320115", "ga", "江宁公安分局"},
    {"320115", "scjg", "江宁区市场监督管理局"},
    {"320115", "wjw", "江宁区卫生健康委员会"},
    {"320115", "mz", "江宁区民政局"},
    {"320115", "sf", "江宁区司法局"},
    {"320115", "yjgl", "江宁区应急管理局"},
    {"320115", "zjj", "江宁区住房和城乡建设局"},
    {"320115", "jtys", "江宁区交通运输局"},
    {"320115", "sthj", "南京市江宁生态环境局"},
    {"320115", "rsj", "江宁区人力资源和社会保障局"},
    {"320115", "xf", "江宁区消防救援大队"},
    {"320115", "sw", "江宁区水务局"},
};
constexpr const char* kDemoHandlerDepartment = "禄口街道城管中队";

}  // namespace

int run_demo(const Settings& settings, const std::string& scale, registry::RegistryScale registry,
             events::EventScale events) {
    const auto options = grid::demo_scale(scale);
    Runtime runtime(settings);
    const accounts::RequestOrigin origin{"cli", "", "gridgov demo"};
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
    std::optional<std::int64_t> handler_department;
    if (runtime.departments->list(std::nullopt, std::nullopt, nullptr).empty()) {
        for (const auto& d : kDepartments) {
            const auto node = runtime.grid->find_by_code(d.node_code);
            if (!node) continue;
            const auto made =
                runtime.departments->create({d.name, d.kind, node->id}, nullptr, origin);
            if (std::string_view(d.name) == kDemoHandlerDepartment) handler_department = made.id;
        }
    }
    for (const auto& a : kAccounts) {
        if (runtime.users->find_by_login(a.login)) continue;
        accounts::NewUser in;
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
        if (a.role == accounts::Role::dept_handler) in.department_id = handler_department;
        const auto user = runtime.users->create(in, nullptr, origin);
        // the grid worker serves the grid full-time, the grid head leads the community
        if (node &&
            (a.role == accounts::Role::grid_worker || a.role == accounts::Role::grid_head)) {
            runtime.staffing->assign(node->id, user.id,
                                     a.role == accounts::Role::grid_worker ? "full_time" : "head",
                                     nullptr, origin);
        }
    }
    bool registry_empty = true;
    runtime.db->read([&](store::Connection& c) {
        registry_empty = c.run("SELECT 1 FROM people LIMIT 1").rows.empty();
    });
    if (registry.people > 0 && !registry_empty)
        fmt::print("the registry has people already: none generated\n");
    if (registry.people > 0 && registry_empty) {
        if (registry.rooms == 0) registry.rooms = registry.people * 10 / 26;
        const auto started = std::chrono::steady_clock::now();
        const auto made = registry::generate_registry(
            *runtime.db, *runtime.cipher, registry, SystemClock::instance().now(),
            [](std::string_view step) { fmt::print("  {}\n", step); });
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        fmt::print(
            "generated the registry in {:.1f} s: {} grids, {} addresses ({} rooms), {} "
            "households, {} people, {} residences, {} group tags\n",
            ms.count() / 1000.0, made.grids, made.addresses, made.rooms, made.households,
            made.people, made.residences, made.group_tags);
    }
    if (events.events > 0) {
        bool none = true;
        runtime.db->read([&](store::Connection& c) {
            none = c.run("SELECT 1 FROM events LIMIT 1").rows.empty();
        });
        if (!none) {
            fmt::print("there are events already: none generated\n");
        } else {
            events.seed = registry.seed;
            const auto started = std::chrono::steady_clock::now();
            const auto made =
                events::generate_events(*runtime.db, *runtime.grid, *runtime.catalogue,
                                        *runtime.cipher, events, SystemClock::instance().now(),
                                        [](std::string_view step) { fmt::print("  {}\n", step); });
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started);
            fmt::print("generated {} events with {} assignments over {} grids in {:.1f} s\n",
                       made.events, made.assignments, made.grids, ms.count() / 1000.0);
        }
    }
    fmt::print("\ngridgov demo city is ready in {}\n\n", runtime.db->describe());
    fmt::print("  {:<11} {:<14} {}\n", "login", "password", "role 角色");
    for (const auto& a : kAccounts) {
        fmt::print("  {:<11} {:<14} {} {}\n", a.login, kDemoPassword,
                   accounts::role_label_zh(a.role), accounts::role_name(a.role));
    }
    fmt::print("\n");
    return 0;
}

}  // namespace gridgov::cli
