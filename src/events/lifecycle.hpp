// The states of an event and the steps between them (事件闭环):
//   reported → accepted (classified) → dispatched → in_progress (signed for) → handled → closed
//   (verified) → evaluated; cancelled from reported/accepted (duplicate, invalid, out of scope);
//   a department returns its assignment (退回); a failed verification sends the work back (返工);
//   a grid worker may resolve on the spot (reported straight to handled, still verified);
//   escalation, supervision flags and extensions leave the state as it is; a closed case whose
//   reporter was not satisfied reopens to accepted.
// Which role may take which step; scopes are checked by the EventService.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "accounts/roles.hpp"

namespace gridgov::events {

enum class Status {
    reported,
    accepted,
    dispatched,
    in_progress,
    handled,
    closed,
    evaluated,
    cancelled
};
std::string_view status_name(Status s);
std::string_view status_label_zh(Status s);
std::optional<Status> parse_status(std::string_view name);
std::span<const Status> all_statuses();
bool is_open(Status s);  // not yet closed, evaluated or cancelled

// The channels events arrive through.
std::optional<std::string_view> channel_label_zh(std::string_view channel);  // nullopt: unknown

enum class Step {
    report,
    accept,
    cancel,
    dispatch,
    sign,
    give_back,
    handle,
    verify,
    evaluate,
    escalate,           // the owner moves one level up (community → street → district)
    supervise,          // a leader flags the case for supervision (督办)
    request_extension,  // a department asks for more time (延期申请)
    decide_extension,   // the centre grants or refuses it
    reopen,             // a closed case opens again (the reporter was not satisfied)
};
std::string_view step_name(Step s);
std::optional<Step> parse_step(std::string_view name);

// The names of the actions an event's chain may hold: the steps, and "resolve_on_spot",
// "attach", "warning" and "overdue".
bool is_action_name(std::string_view name);

// True when the event's status allows the step (assignment states are checked separately).
bool step_allowed_from(Step step, Status from);
// True when the role may take the step at all.
bool role_may(Step step, accounts::Role role);

}  // namespace gridgov::events
