#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/runtime.hpp"
#include "core/error.hpp"

namespace gridgov::cli {

namespace {

std::string prompt_hidden(const char* prompt) {
    fmt::print(stderr, "{}", prompt);
    termios old{};
    const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old);
    fmt::print(stderr, "\n");
    return line;
}

}  // namespace

std::string read_password(bool from_stdin) {
    if (from_stdin || !isatty(STDIN_FILENO)) {
        std::string line;
        std::getline(std::cin, line);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
    }
    const std::string first = prompt_hidden("Password: ");
    const std::string second = prompt_hidden("Again: ");
    if (first != second)
        throw Error(ErrorCode::invalid_field, "The two passwords differ.", "password");
    return first;
}

int run_user_add(const Settings& settings, const UserAddOptions& o) {
    Runtime runtime(settings);
    accounts::NewUser in;
    in.login = o.login;
    in.name = o.name.empty() ? o.login : o.name;
    in.phone = o.phone;
    const auto role = accounts::parse_role(o.role);
    if (!role)
        throw Error(ErrorCode::invalid_field, fmt::format("Unknown role '{}'.", o.role), "role");
    in.role = *role;
    if (o.scope_node_id) in.scope_node_id = *o.scope_node_id;
    if (o.department_id) in.department_id = *o.department_id;
    in.password = read_password(o.password_stdin);
    const auto user = runtime.users->create(in, nullptr, {"cli", "", "gridgov user add"});
    fmt::print("created user {} ({}, {}) with id {}\n", user.login, user.name,
               accounts::role_name(user.role), user.id);
    return 0;
}

int run_user_passwd(const Settings& settings, const std::string& login, bool password_stdin) {
    Runtime runtime(settings);
    const auto user = runtime.users->find_by_login(login);
    if (!user) throw Error(ErrorCode::not_found, fmt::format("No user '{}'.", login), "login");
    runtime.users->set_password(user->id, read_password(password_stdin), nullptr,
                                {"cli", "", "gridgov user passwd"});
    fmt::print("password of {} set; their sessions have ended\n", login);
    return 0;
}

int run_user_list(const Settings& settings) {
    Runtime runtime(settings);
    std::int64_t total = 0;
    const auto users = runtime.users->list({}, nullptr, 500, 0, &total);
    fmt::print("{:<6} {:<20} {:<14} {:<8} {}\n", "id", "login", "role", "active", "name");
    for (const auto& u : users) {
        fmt::print("{:<6} {:<20} {:<14} {:<8} {}\n", u.id, u.login, accounts::role_name(u.role),
                   u.active ? "yes" : "no", u.name);
    }
    if (total > static_cast<std::int64_t>(users.size())) fmt::print("... {} users in all\n", total);
    return 0;
}

}  // namespace gridgov::cli
