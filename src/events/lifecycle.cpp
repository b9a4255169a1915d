#include "events/lifecycle.hpp"

#include <array>

namespace gridgov::events {

namespace {

struct StatusInfo {
    Status status;
    std::string_view name;
    std::string_view zh;
};
constexpr std::array kStatuses{
    StatusInfo{Status::reported, "reported", "待受理"},
    StatusInfo{Status::accepted, "accepted", "已受理"},
    StatusInfo{Status::dispatched, "dispatched", "已派遣"},
    StatusInfo{Status::in_progress, "in_progress", "处置中"},
    StatusInfo{Status::handled, "handled", "已处置"},
    StatusInfo{Status::closed, "closed", "已结案"},
    StatusInfo{Status::evaluated, "evaluated", "已评价"},
    StatusInfo{Status::cancelled, "cancelled", "已作废"},
};
constexpr std::array kAllStatuses{Status::reported,    Status::accepted, Status::dispatched,
                                  Status::in_progress, Status::handled,  Status::closed,
                                  Status::evaluated,   Status::cancelled};

constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kChannels{{
    {"grid_worker", "网格员上报"},
    {"resident", "群众上报"},
    {"patrol", "巡查发现"},
    {"hotline_12345", "12345热线"},
    {"digital_city", "数字城管"},
    {"department", "部门移交"},
    {"open311", "Open311"},
}};

constexpr std::array<std::pair<Step, std::string_view>, 14> kSteps{{
    {Step::report, "report"},
    {Step::accept, "accept"},
    {Step::cancel, "cancel"},
    {Step::dispatch, "dispatch"},
    {Step::sign, "sign"},
    {Step::give_back, "return"},
    {Step::handle, "handle"},
    {Step::verify, "verify"},
    {Step::evaluate, "evaluate"},
    {Step::escalate, "escalate"},
    {Step::supervise, "supervise"},
    {Step::request_extension, "request_extension"},
    {Step::decide_extension, "decide_extension"},
    {Step::reopen, "reopen"},
}};

}  // namespace

std::string_view status_name(Status s) {
    return kStatuses.at(static_cast<std::size_t>(s)).name;
}

std::string_view status_label_zh(Status s) {
    return kStatuses.at(static_cast<std::size_t>(s)).zh;
}

std::optional<Status> parse_status(std::string_view name) {
    for (const auto& info : kStatuses) {
        if (info.name == name) return info.status;
    }
    return std::nullopt;
}

std::span<const Status> all_statuses() {
    return kAllStatuses;
}

bool is_open(Status s) {
    return s != Status::closed && s != Status::evaluated && s != Status::cancelled;
}

std::optional<std::string_view> channel_label_zh(std::string_view channel) {
    for (const auto& [name, zh] : kChannels) {
        if (name == channel) return zh;
    }
    return std::nullopt;
}

std::string_view step_name(Step s) {
    for (const auto& [step, name] : kSteps) {
        if (step == s) return name;
    }
    return "";
}

std::optional<Step> parse_step(std::string_view name) {
    for (const auto& [step, n] : kSteps) {
        if (n == name) return step;
    }
    return std::nullopt;
}

bool is_action_name(std::string_view name) {
    return parse_step(name).has_value() || name == "resolve_on_spot" || name == "attach" ||
           name == "warning" || name == "overdue";
}

bool step_allowed_from(Step step, Status from) {
    switch (step) {
        case Step::report:
            return false;  // only at intake
        case Step::accept:
            return from == Status::reported;
        case Step::cancel:
            return from == Status::reported || from == Status::accepted;
        case Step::dispatch:
            return from == Status::accepted;
        case Step::sign:
        case Step::give_back:
            return from == Status::dispatched || from == Status::in_progress;
        case Step::handle:
            return from == Status::in_progress;
        case Step::verify:
            return from == Status::handled;
        case Step::evaluate:
            return from == Status::closed;
        case Step::escalate:
            return from == Status::reported || from == Status::accepted ||
                   from == Status::dispatched || from == Status::in_progress;
        case Step::supervise:
            return is_open(from);
        case Step::request_extension:
        case Step::decide_extension:
            return from == Status::dispatched || from == Status::in_progress;
        case Step::reopen:
            return from == Status::closed || from == Status::evaluated;
    }
    return false;
}

bool role_may(Step step, accounts::Role role) {
    using accounts::Role;
    const bool centre = role == Role::admin || role == Role::center;
    switch (step) {
        case Step::report:
            return true;
        case Step::accept:
        case Step::cancel:
        case Step::dispatch:
            return centre;
        case Step::sign:
        case Step::give_back:
        case Step::handle:
            return role == Role::dept_handler;
        case Step::verify:  // 核查: the centre, the grid head, or the grid's worker on the spot
            return centre || role == Role::grid_head || role == Role::grid_worker;
        case Step::evaluate:
            return centre;  // staff record a rating given by phone; reporters rate by tracking code
        case Step::escalate:
        case Step::decide_extension:
        case Step::reopen:
            return centre;
        case Step::supervise:
            return role == Role::leader || role == Role::admin;
        case Step::request_extension:
            return role == Role::dept_handler;
    }
    return false;
}

}  // namespace gridgov::events
