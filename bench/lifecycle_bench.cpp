// The whole event loop, straight through the domain (no HTTP): report → accept → dispatch → sign
// → handle → verify → evaluate, each step its own durable transaction with its action in the
// chain, from several threads at once, on a database that `gridgov demo` filled. Reports events
// through the whole loop per second and steps per second.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "accounts/audit_log.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/field_cipher.hpp"
#include "events/event_service.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

using namespace gridgov;

int main(int argc, char** argv) {
    CLI::App app("The event loop's throughput, through the domain");
    std::string url;
    int events = 2000, threads = 4;
    app.add_option("--database", url, "a database gridgov demo filled")->required();
    app.add_option("--events", events, "events to take through the loop");
    app.add_option("--threads", threads, "threads working at once");
    CLI11_PARSE(app, argc, argv);
    init_crypto();
    auto db = store::open_database(url, static_cast<std::size_t>(threads) + 2);
    store::migrate(*db);
    const Clock& clock = SystemClock::instance();
    accounts::AuditLog audit(*db, clock);
    grid::GridService grid(*db, audit, clock);
    grid.reload();
    events::Catalogue catalogue(*db, audit);
    catalogue.reload();
    events::WorkingTime time(*db, audit, parse_work_periods("08:30-12:00,13:30-17:30", "hours"));
    time.reload();
    events::Departments departments(*db, audit, catalogue, grid, clock);
    std::array<unsigned char, FieldCipher::kKeyBytes> key{};
    const FieldCipher cipher(key);
    events::EventService service(*db, audit, grid, catalogue, time, departments, cipher, clock);
    const auto cg = departments.list(std::nullopt, std::string("cgj"), nullptr);
    if (cg.empty()) {
        fmt::print(stderr, "no 城管 department: run gridgov demo on the database first\n");
        return 2;
    }
    const accounts::Principal handler{accounts::Principal::Kind::user,
                                      0,
                                      "bench",
                                      "压测",
                                      accounts::Role::dept_handler,
                                      std::nullopt,
                                      cg.front().id};
    const accounts::RequestOrigin origin{"127.0.0.1", "bench", "bench"};
    std::atomic<int> next{0}, failures{0};
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            for (int i = next++; i < events; i = next++) {
                try {
                    events::NewEvent in;
                    in.channel = "hotline_12345";
                    in.external_id =
                        fmt::format("loop-{}-{}", started.time_since_epoch().count(), i);
                    in.title = "暴露垃圾";
                    in.description = "路边垃圾桶满溢";
                    in.category_code = "CG0101";
                    const auto id = service.report(in, nullptr, origin).event.id;
                    using events::Step;
                    service.step(id, {.step = Step::accept}, nullptr, origin);
                    service.step(id, {.step = Step::dispatch, .department_ids = {cg.front().id}},
                                 nullptr, origin);
                    service.step(id, {.step = Step::sign}, &handler, origin);
                    service.step(id, {.step = Step::handle, .note = "已清运"}, &handler, origin);
                    service.step(id, {.step = Step::verify, .passed = true}, nullptr, origin);
                    service.step(id, {.step = Step::evaluate, .satisfaction = "satisfied"}, nullptr,
                                 origin);
                } catch (const std::exception& e) {
                    if (failures++ == 0) fmt::print(stderr, "failed: {}\n", e.what());
                }
            }
        });
    }
    for (auto& w : workers) w.join();
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print(
        "{}: {} events through the whole loop in {:.2f} s with {} threads: {:.0f} events/s, "
        "{:.0f} steps/s, {} failures\n",
        db->describe(), events, s, threads, events / s, events * 7 / s, failures.load());
    return failures == 0 ? 0 : 1;
}
