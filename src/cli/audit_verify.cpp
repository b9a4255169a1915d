// `gridgov audit verify`: recomputes the hash chain of every event's actions and names the events
// whose records were changed, removed or reordered outside gridgov.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/runtime.hpp"

namespace gridgov::cli {

int run_audit_verify(const Settings& settings) {
    Runtime runtime(settings);
    const auto broken = runtime.events->verify_chains();
    std::int64_t events = 0, actions = 0;
    runtime.db->read([&](store::Connection& c) {
        events = c.run("SELECT COUNT(*) AS n FROM events").front().integer("n");
        actions = c.run("SELECT COUNT(*) AS n FROM event_actions").front().integer("n");
    });
    if (broken.empty()) {
        fmt::print("{} events, {} actions: every chain is intact\n", events, actions);
        return 0;
    }
    fmt::print("{} events, {} actions: {} event(s) with a broken chain:\n", events, actions,
               broken.size());
    for (const auto id : broken) fmt::print("  event {}\n", id);
    return 1;
}

}  // namespace gridgov::cli
