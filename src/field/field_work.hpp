// A grid worker's day in the field (巡查走访): patrols started and ended from the phone with the
// track it recorded (points may come late and out of order when the phone was offline; the
// distance follows the points in time order), check-ins at places and visits to households,
// places and people with notes and findings (a finding may be reported as an event at once),
// and each worker's last known position for the command centre's map and for finding the nearest
// worker to a spot. Everything a phone sends keeps the time it happened and may carry the phone's
// key, so that a resend is the same record. Grid workers and grid heads record; everyone sees
// within their scope. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "accounts/scope.hpp"
#include "core/clock.hpp"
#include "events/event_service.hpp"
#include "geo/geometry.hpp"
#include "grid/grid_service.hpp"
#include "store/database.hpp"

namespace gridgov::field {

struct TrackPoint {
    Millis at = 0;
    geo::LonLat where;
    std::optional<double> accuracy_m;
};

struct Patrol {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string user_name;
    std::optional<std::int64_t> node_id;
    Millis started_at = 0;
    std::optional<Millis> ended_at;
    int points = 0;
    double distance_m = 0;
    std::optional<Millis> last_at;
    std::optional<geo::LonLat> last;
};

// What the finding of a visit reports (the event's category, title and description).
struct FindingReport {
    std::optional<std::string> category_code;
    std::string title;
    std::string description;
};

struct NewVisit {
    std::string kind;  // check_in, household, place, person
    std::optional<std::int64_t> target_id;
    std::optional<geo::LonLat> where;
    std::optional<Millis> at;  // when it happened; now when absent
    std::string notes;
    std::string findings;
    std::optional<std::int64_t> patrol_id;
    std::optional<FindingReport> report;
    std::optional<std::string> client_key;
};

struct Visit {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string user_name;
    std::optional<std::int64_t> patrol_id;
    std::string kind;
    std::optional<std::int64_t> target_id;
    std::optional<geo::LonLat> where;
    std::optional<std::int64_t> node_id;
    Millis at = 0;
    std::string notes;
    std::string findings;
    std::optional<std::int64_t> event_id;
    Millis recorded_at = 0;
};

struct WorkerPosition {
    std::int64_t user_id = 0;
    std::string login;
    std::string name;
    std::string role;
    geo::LonLat where;
    Millis at = 0;
    std::optional<std::int64_t> node_id;
    double distance_m = 0;  // from the spot asked about, for nearest()
};

struct VisitQuery {
    std::optional<std::int64_t> user_id, node_id, patrol_id;
    std::optional<std::string> kind;
    std::optional<Millis> since;
};

class FieldWork {
  public:
    FieldWork(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
              events::EventService& events, const Clock& clock);

    Patrol start_patrol(std::optional<geo::LonLat> where, std::optional<Millis> at,
                        const std::optional<std::string>& client_key,
                        const accounts::Principal& worker);
    // Points already recorded (same time) are kept as they were.
    Patrol add_points(std::int64_t patrol_id, const std::vector<TrackPoint>& points,
                      const accounts::Principal& worker);
    Patrol end_patrol(std::int64_t patrol_id, std::optional<Millis> at,
                      const accounts::Principal& worker);
    Patrol patrol(std::int64_t id, const accounts::Principal& viewer);
    std::vector<TrackPoint> track(std::int64_t id, const accounts::Principal& viewer);
    std::vector<Patrol> patrols(std::optional<std::int64_t> user_id,
                                std::optional<std::int64_t> node_id, std::optional<Millis> since,
                                const accounts::Principal& viewer, int limit);

    // With a finding to report, the event is made first (channel patrol, the worker as reporter,
    // the visit's place and time) and the visit points to it.
    Visit record_visit(const NewVisit& visit, const accounts::Principal& worker,
                       const accounts::RequestOrigin& origin);
    std::vector<Visit> visits(const VisitQuery& query, const accounts::Principal& viewer,
                              int limit);

    // Workers whose position is known since `fresh_since`, under a node (the viewer's scope).
    std::vector<WorkerPosition> positions(std::optional<std::int64_t> node_id, Millis fresh_since,
                                          const accounts::Principal& viewer);
    // The nearest of them to a spot.
    std::vector<WorkerPosition> nearest(geo::LonLat spot, int limit, Millis fresh_since,
                                        const accounts::Principal& viewer);

  private:
    Millis checked_time(std::optional<Millis> at, const char* field) const;
    void require_field_worker(const accounts::Principal& p) const;
    Patrol load(store::Connection& c, std::int64_t id) const;
    Patrol own(store::Connection& c, std::int64_t id, const accounts::Principal& worker) const;
    bool sees(const std::string& node_path, const accounts::Principal& viewer) const;
    // The scope a list is limited to: the viewer's (forbidden unless they reach field work),
    // narrowed to the node asked for (forbidden outside it).
    accounts::Scope scope_for(std::optional<std::int64_t> node_id,
                              const accounts::Principal& viewer) const;
    // The viewer's user id for "my own records"; -1 for an API key.
    static std::int64_t own_id(const accounts::Principal& viewer);
    void move_worker(store::Connection& c, std::int64_t user_id, const TrackPoint& p);

    store::Database& db_;
    accounts::AuditLog& audit_;
    grid::GridService& grid_;
    events::EventService& events_;
    const Clock& clock_;
};

}  // namespace gridgov::field
