#include "accounts/roles.hpp"

#include <array>

namespace gridgov::accounts {
namespace {

struct RoleInfo {
    Role role;
    std::string_view name;
    std::string_view zh;
};

constexpr std::array kRoles{
    RoleInfo{Role::admin, "admin", "系统管理员"},
    RoleInfo{Role::center, "center", "指挥中心"},
    RoleInfo{Role::leader, "leader", "领导"},
    RoleInfo{Role::grid_worker, "grid_worker", "网格员"},
    RoleInfo{Role::grid_head, "grid_head", "网格长"},
    RoleInfo{Role::dept_handler, "dept_handler", "部门处置人员"},
    RoleInfo{Role::volunteer, "volunteer", "志愿者"},
};

constexpr std::array kAllRoles{Role::admin,       Role::center,    Role::leader,
                               Role::grid_worker, Role::grid_head, Role::dept_handler,
                               Role::volunteer};

}  // namespace

std::span<const Role> all_roles() {
    return kAllRoles;
}

std::string_view role_name(Role role) {
    return kRoles.at(static_cast<std::size_t>(role)).name;
}

std::string_view role_label_zh(Role role) {
    return kRoles.at(static_cast<std::size_t>(role)).zh;
}

std::optional<Role> parse_role(std::string_view name) {
    for (const auto& info : kRoles) {
        if (info.name == name) return info.role;
    }
    return std::nullopt;
}

bool has_permission(Role role, Permission permission) {
    switch (permission) {
        case Permission::manage_users:
        case Permission::manage_grid:
        case Permission::manage_catalogue:
        case Permission::manage_api_keys:
        case Permission::view_audit:
            return role == Role::admin;
        case Permission::view_users:
            return role == Role::admin || role == Role::center || role == Role::leader;
        case Permission::keep_registry:
            return role == Role::admin || role == Role::center || role == Role::grid_worker ||
                   role == Role::grid_head;
        case Permission::reveal_personal_data:
            return role == Role::admin || role == Role::center || role == Role::grid_head;
        case Permission::view_figures:
            return role != Role::volunteer;
    }
    return false;
}

}  // namespace gridgov::accounts
