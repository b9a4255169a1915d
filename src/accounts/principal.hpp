// Who is acting: a logged-in user or another system through an API key, with the role, scope and
// department that bound what they may do; and where the request came from, for the audit log.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "accounts/roles.hpp"

namespace gridgov::accounts {

struct Principal {
    enum class Kind { user, api_key };
    Kind kind = Kind::user;
    std::int64_t id = 0;  // user id or API key id
    std::string login;    // user login or API key prefix
    std::string name;
    Role role = Role::volunteer;
    std::optional<std::int64_t> scope_node_id;  // nullopt: the whole tree
    std::optional<std::int64_t> department_id;

    bool can(Permission p) const { return has_permission(role, p); }
};

struct RequestOrigin {
    std::string ip;
    std::string request_id;
    std::string user_agent;
};

}  // namespace gridgov::accounts
