// Roles and what each may do. A role says which actions a user may take; the user's scope (a node
// of the grid tree) says where. Permissions are checked in the domain services, not in HTTP.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace gridgov::accounts {

enum class Role { admin, center, leader, grid_worker, grid_head, dept_handler, volunteer };

std::span<const Role> all_roles();
std::string_view role_name(Role role);      // "grid_worker"
std::string_view role_label_zh(Role role);  // "网格员"
std::optional<Role> parse_role(std::string_view name);

enum class Permission {
    manage_users,      // create, edit, lock and unlock accounts in one's scope
    manage_api_keys,   // issue and revoke keys for other systems
    view_audit,        // read the audit log
    view_users,        // list accounts in one's scope
    manage_grid,       // create and edit nodes of the grid tree and their boundaries
    manage_catalogue,  // edit event categories, departments and the working calendar
    keep_registry,     // collect and edit the base records (people, rooms, places) in one's scope
    reveal_personal_data,  // see an identity number or phone unmasked, with a reason (audited)
    view_figures,          // the figures of the event closed loop for one's scope
};

bool has_permission(Role role, Permission permission);

}  // namespace gridgov::accounts
