// Events from intake to evaluation: one intake for every channel (a resend with the same external
// id or Idempotency-Key is the same event), routing on intake (the place gives the grid path and
// the owning centre, the category the department, level and deadlines), the steps of the
// lifecycle (lifecycle.hpp) with their permissions and scopes, and every step recorded as an
// append-only action in a hash chain per event. Thread-safe; each step is one transaction.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "accounts/scope.hpp"
#include "core/clock.hpp"
#include "core/field_cipher.hpp"
#include "events/action_chain.hpp"
#include "events/attachments.hpp"
#include "events/catalogue.hpp"
#include "events/deadline.hpp"
#include "events/departments.hpp"
#include "events/lifecycle.hpp"
#include "events/new_event.hpp"
#include "events/working_time.hpp"
#include "geo/geometry.hpp"
#include "grid/grid_service.hpp"
#include "store/database.hpp"
#include "store/group_commit.hpp"

namespace gridgov::events {

struct Assignment {
    std::int64_t id = 0;
    std::int64_t department_id = 0;
    std::string department_name;
    std::string status;  // dispatched, in_progress, handled, returned
    Millis due = 0;
    Millis dispatched_at = 0;
    std::optional<Millis> signed_at;
    std::optional<Millis> handled_at;
    std::optional<double> extension_hours;  // asked for, waiting for the centre
    std::optional<std::string> extension_reason;
    int extensions = 0;  // granted
};

struct Event {
    std::int64_t id = 0;
    std::string tracking_code;
    std::string channel;
    std::optional<std::string> external_id;
    std::string title;
    std::string description;
    std::optional<std::string> category_code;
    Status status = Status::reported;
    std::optional<int> priority;
    std::optional<geo::LonLat> location;
    std::optional<std::string> address;
    std::optional<std::int64_t> node_id;
    std::string node_path;
    std::optional<std::int64_t> owner_node_id;
    std::optional<std::int64_t> reporter_user_id;
    std::optional<std::string> reporter_name;
    std::optional<std::string> reporter_phone;  // decrypted; callers mask it
    bool resolved_on_spot = false;
    std::optional<std::int64_t> duplicate_of;
    std::optional<std::string> cancel_reason;
    int rework_count = 0;
    std::optional<std::string> satisfaction;
    Millis reported_at = 0;
    std::optional<Millis> accept_due, dispatch_due, handle_due;
    std::optional<Millis> accepted_at, dispatched_at, handled_at, closed_at, evaluated_at;
    Millis updated_at = 0;
    int version = 1;
    int escalations = 0;
    bool supervised = false;
    int reopened = 0;
    std::vector<Assignment> assignments;
};

struct ActionRecord {
    int seq = 0;
    std::string action;
    std::string actor_kind;  // user, api_key, public, system
    std::optional<std::int64_t> actor_id;
    std::optional<std::string> actor_role;
    std::optional<std::string> actor_name;
    Millis at = 0;
    std::optional<std::string> from_status;
    std::string to_status;
    std::optional<std::int64_t> assignment_id;
    std::string note;
    std::string data;  // JSON object
    std::string hash;
    int chain_version = 2;  // events/action_chain.hpp
};

// What a step carries; each step reads the fields it needs.
struct StepRequest {
    Step step = Step::accept;
    std::string note;
    std::optional<std::string> category_code;  // accept
    std::optional<std::string> cancel_reason;  // cancel: duplicate, invalid, out_of_scope
    std::optional<std::int64_t> duplicate_of;  // cancel as duplicate
    std::vector<std::int64_t> department_ids;  // dispatch (several: 吹哨报到)
    std::optional<bool> passed;                // verify
    std::optional<std::string> satisfaction;   // evaluate
    std::optional<double> hours;               // request_extension: working hours asked for
    std::optional<bool> approved;              // decide_extension
    std::optional<int> expected_version;       // If-Match, when the client sends one
};

struct EventFilter {
    std::optional<Status> status;
    bool open_only = false;
    bool finished_only = false;  // closed, evaluated or cancelled
    std::vector<std::int64_t> ids;
    std::vector<std::string> category_prefixes;  // any of these (a minor, or a major's prefix)
    std::optional<std::string> category_code;    // a minor, or a major's prefix
    std::optional<std::int64_t> node_id;         // the subtree of this node
    std::optional<std::int64_t> department_id;
    std::optional<std::string> channel;
    std::optional<Millis> since, until;  // reported_at
    bool overdue_only = false;           // the deadline of the stage it is in has passed
    bool rows_only = false;              // without the assignments (a map's layer): one query
    std::optional<std::string> colour;   // green, yellow (warned, not yet overdue), red
    bool published_only = false;         // the reports that are published (publication.hpp)
};

class EventService {
  public:
    EventService(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                 const Catalogue& catalogue, const WorkingTime& working_time,
                 Departments& departments, const FieldCipher& cipher, const Clock& clock);

    struct Intake {
        Event event;
        bool created = true;  // false: the same external id or Idempotency-Key came before
    };
    Intake report(const NewEvent& input, const accounts::Principal* actor,
                  const accounts::RequestOrigin& origin);
    Event step(std::int64_t id, const StepRequest& request, const accounts::Principal* actor,
               const accounts::RequestOrigin& origin);

    // The reporter rates a closed event through its tracking code (no account needed).
    Event rate(const std::string& tracking_code, const std::string& satisfaction,
               const std::string& comment, const accounts::RequestOrigin& origin);
    // The reporter reopens a closed event they were not satisfied with, within
    // `Policy::reopen_window`.
    Event reopen_by_reporter(const std::string& tracking_code, const std::string& comment,
                             const accounts::RequestOrigin& origin);

    // What dispatching now would do: the department the catalogue names for the place (if any)
    // and the handling deadline the assignments would get.
    struct DispatchPlan {
        std::optional<Department> suggested;
        Millis due = 0;
    };
    DispatchPlan dispatch_plan(std::int64_t id, const accounts::Principal* viewer);

    Event get(std::int64_t id, const accounts::Principal* viewer);
    std::optional<Event> find_by_tracking_code(const std::string& code);
    std::vector<ActionRecord> timeline(std::int64_t id, const accounts::Principal* viewer);
    // Open events of the same category near the event and reported within a week of it, nearest
    // first: candidates for linking as duplicates (one case, several reporters).
    struct Duplicate {
        Event event;
        double distance_m = 0;
    };
    std::vector<Duplicate> possible_duplicates(const Event& event,
                                               const accounts::Principal* viewer,
                                               double within_m = 200, Millis window = 7 * kDay);
    std::vector<Event> list(const EventFilter& filter, const accounts::Principal* viewer, int limit,
                            int offset, std::int64_t* total);
    // Files attached to an event (event_attachments.cpp). Staff attach to the events they see;
    // the reporter attaches through the tracking code within a day of reporting, while the case
    // is not yet dispatched. The type is read from the bytes; `declared_type`, when given, must
    // agree. Each attachment is an "attach" action in the chain, carrying its SHA-256.
    void set_attachment_policy(AttachmentPolicy policy);
    const AttachmentPolicy& attachment_policy() const { return attachment_policy_; }
    Attachment attach(std::int64_t id, const std::string& file_name,
                      const std::string& declared_type, std::string_view bytes,
                      const std::string& note, bool public_visible,
                      const accounts::Principal* actor, const accounts::RequestOrigin& origin);
    Attachment attach_by_reporter(const std::string& tracking_code, const std::string& file_name,
                                  const std::string& declared_type, std::string_view bytes,
                                  const accounts::RequestOrigin& origin);
    std::vector<Attachment> attachments(std::int64_t id, const accounts::Principal* viewer);
    // The public ones only (what the reporter sent, and what staff chose to show).
    std::vector<Attachment> public_attachments(const std::string& tracking_code);
    struct AttachmentContent {
        Attachment meta;
        std::string bytes;
    };
    AttachmentContent attachment_content(std::int64_t id, std::int64_t attachment_id,
                                         const accounts::Principal* viewer);
    AttachmentContent public_attachment_content(const std::string& tracking_code,
                                                std::int64_t attachment_id);
    // The public files of a published event (publication.hpp), by the event's id: what Open311
    // links to, so that no public address carries the tracking code. not_found otherwise.
    std::vector<Attachment> published_attachments(std::int64_t event_id);
    AttachmentContent published_attachment_content(std::int64_t event_id,
                                                   std::int64_t attachment_id);

    // The notifications of a staff member (event_notifications.cpp): newest first, what happened
    // to which event; marking them read.
    struct Notification {
        std::int64_t id = 0;
        std::int64_t event_id = 0;
        std::string event_title;
        std::string action;
        std::string note;
        Millis at = 0;
        bool read = false;
    };
    std::vector<Notification> notifications(std::int64_t user_id, bool unread_only, int limit,
                                            std::int64_t* unread);
    // Marks the user's notifications read: the given ones, or all when `ids` is empty.
    int mark_read(std::int64_t user_id, const std::vector<std::int64_t>& ids);

    // Recomputes every event's action chain; the ids of the events whose chain is broken.
    // The events whose action chain or row does not hold (events/action_chain.hpp).
    std::vector<std::int64_t> verify_chains();

    // One pass of deadline supervision: a warning when most of a stage's working time is used
    // (`warn_share`), an overdue record when its deadline has passed, and, for an event not yet
    // accepted or dispatched in time, escalation of its owner one level up (community → street →
    // district). Each is recorded once per stage, whichever process gets there first.
    struct Supervision {
        int warned = 0;
        int overdue = 0;
        int escalated = 0;
    };
    Supervision supervise_deadlines();

    // What the deployment decides: the share of a stage's working time after which it is
    // yellow and warned of, and how long after closing an unsatisfied reporter may reopen.
    struct Policy {
        double warn_share = 0.8;
        Millis reopen_window = 7 * kDay;
    };
    void set_policy(Policy policy) { policy_ = policy; }
    const Policy& policy() const { return policy_; }

    // The stage the event is in, its due and warning times and colour now (events/deadline.hpp).
    std::optional<StageDeadline> deadline(const Event& e) const;

  private:
    void intake_once(const NewEvent& in, const accounts::Principal* actor,
                     const accounts::RequestOrigin& origin, const std::optional<Category>& category,
                     std::optional<std::int64_t> node, const std::string& path,
                     std::optional<std::int64_t> owner, Millis reported, Millis now, Intake& out);
    bool visible(const Event& e, const accounts::Principal* viewer) const;
    // What the scope module says of events: one's own reports, the department's assignments or
    // the subtree, by the viewer's reach (accounts::Area::events).
    bool visible(const Event& e, const accounts::Scope& scope) const;
    // The same rule as SQL over `events e`, appended to `where` with its parameters.
    void restrict_to(const accounts::Scope& scope, std::string& where,
                     std::vector<store::Value>& params) const;
    Attachment store_attachment(const Event& e, const std::string& file_name,
                                const std::string& declared_type, std::string_view bytes,
                                const std::string& note, bool public_visible, bool from_reporter,
                                const accounts::Principal* actor,
                                const accounts::RequestOrigin& origin);
    std::vector<Attachment> read_attachments(std::int64_t event_id, bool public_only);
    AttachmentContent read_content(std::int64_t event_id, std::int64_t attachment_id,
                                   bool public_only);
    // An event from its row alone (no assignments).
    Event from_row(const store::Row& row) const;
    std::optional<Event> load(store::Connection& c, std::int64_t id) const;
    Event load_visible(store::Connection& c, std::int64_t id,
                       const accounts::Principal* viewer) const;
    void append_action(store::Connection& c, std::int64_t event_id, std::string_view action,
                       const accounts::Principal* actor, Millis at, std::optional<Status> from,
                       Status to, std::optional<std::int64_t> assignment_id,
                       const std::string& note, const std::string& data,
                       std::string_view kind_without_actor = "public");
    // Tells the staff who must act on the action (event_notifications.cpp has the reading side).
    void notify(store::Connection& c, std::int64_t event_id, const ActionRecord& a);
    // Writes the event's changed columns with its version check.
    void save(store::Connection& c, const Event& before, const Event& after);
    // The warning time of the stage the event is in, or NULL.
    store::Value warn_at_of(const Event& e) const;

    void do_accept(store::Connection& c, Event& e, const StepRequest& r, Millis now);
    void do_cancel(store::Connection& c, Event& e, const StepRequest& r);
    std::string do_dispatch(store::Connection& c, Event& e, const StepRequest& r, Millis now);
    std::int64_t do_assignment_step(store::Connection& c, Event& e, Step step,
                                    const accounts::Principal* actor, Millis now);
    void do_verify(store::Connection& c, Event& e, const StepRequest& r, Millis now);
    void do_evaluate(Event& e, const StepRequest& r, Millis now);
    void do_escalate(Event& e);
    std::int64_t do_extension(store::Connection& c, Event& e, const StepRequest& r,
                              const accounts::Principal* actor);
    void do_reopen(Event& e, Millis now);
    // Marks the stage in `column` (warned_stage, overdue_stage) and records the action, once:
    // false when another pass or process got there first. Escalates the owner when asked.
    bool raise(std::int64_t id, const char* column, const std::string& stage, Millis at,
               std::string_view action, const std::string& data, bool escalate);

    store::Database& db_;
    accounts::AuditLog& audit_;
    grid::GridService& grid_;
    const Catalogue& catalogue_;
    const WorkingTime& working_time_;
    Departments& departments_;
    const FieldCipher& cipher_;
    const Clock& clock_;
    std::unique_ptr<store::GroupCommit> group_commit_;  // SQLite only
    AttachmentPolicy attachment_policy_;
    Policy policy_;
};

// The cell of a place for the duplicate search: 0.002° of latitude by 0.002° of longitude, numbered
// row * kCellRow + column (migration 0013 computes the same in SQL).
constexpr double kCellDegrees = 0.002;
constexpr std::int64_t kCellRow = 200000;
std::int64_t place_cell(geo::LonLat p);

}  // namespace gridgov::events
