// The figures of the event closed loop kept in memory for the whole city: one compact fact per
// event and per assignment, running counts per node of what stands open now, and the events of
// each day, so that a node's figures for any period are answered without asking the database.
// Built from the database at start (in batches), then kept up to date by following the events
// changed since the last look: every gridgov process on one database converges on the same
// figures (each reads the committed rows, and applying a row twice changes nothing). Deadlines
// passing move events to overdue without any write. Thread-safe: queries share a lock, applying
// changes takes it alone for a batch.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "analytics/figures.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace gridgov::analytics {

struct LiveFiguresOptions {
    // Changes are read again for this long after they were made, for transactions that commit
    // later than they stamped their rows and for clocks of other processes that run behind.
    Millis margin = 10 * kSecond;
    std::size_t batch = 100'000;  // rows read at a time while building
};

class LiveFigures {
  public:
    LiveFigures(store::Database& db, const Clock& clock, LiveFiguresOptions options = {});
    ~LiveFigures();

    // Reads every event and assignment and replaces what is held (queries meanwhile see the
    // previous figures). Returns the number of events.
    std::size_t rebuild();
    // Applies the events changed since the last look, and the deadlines that passed. Returns
    // how many facts changed.
    std::size_t follow();
    // Moves whenever a figure may have changed: screens compare it to push updates.
    std::uint64_t version() const { return version_.load(); }
    bool ready() const { return ready_.load(); }

    // The events reported in [from_day, to_day] under `node` (its whole subtree) and what became
    // of them, split as asked (by child node, by grid, category, channel, day, week or month).
    FiguresAnswer figures(std::int64_t node, LocalDay from_day, LocalDay to_day, Split split) const;
    // The assignments dispatched in the period to each department, for events under `node`.
    std::vector<DepartmentGroup> departments(std::int64_t node, LocalDay from_day,
                                             LocalDay to_day) const;
    // What stands now under `node`: events by status (and category), whole or per node of
    // `split_level` (a grid level: 2 district … 5 grid) under it.
    std::vector<StockRow> stock(std::int64_t node, std::optional<int> split_level,
                                bool by_category) const;
    // The events open now under `node`, and how many are overdue.
    OpenNow open_now(std::int64_t node) const;
    // Reports and closures per day, week or month.
    std::vector<FlowPoint> flow(std::int64_t node, LocalDay from_day, LocalDay to_day,
                                Split bucket) const;

    std::size_t event_count() const;
    std::size_t memory_bytes() const;

  private:
    struct State;
    struct Rows;
    void apply(State& s, const Rows& rows);
    std::size_t tick_deadlines(State& s, Millis now);

    store::Database& db_;
    const Clock& clock_;
    LiveFiguresOptions options_;
    mutable std::shared_mutex mutex_;
    std::unique_ptr<State> state_;
    Millis watermark_ = 0;  // changes stamped at or after this are read again
    std::atomic<std::uint64_t> version_{0};
    std::atomic<bool> ready_{false};
};

}  // namespace gridgov::analytics
