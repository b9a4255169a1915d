// Tests of EventService on both databases: deadlines on intake, summoning several departments
// (吹哨报到) with one returning its part, resolution on the spot and its rework, scopes, and the
// action hash chain catching records changed or removed behind gridgov's back.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <thread>

#include <boost/json/parse.hpp>

#include "accounts/user_service.hpp"
#include "core/error.hpp"
#include "events/event_service.hpp"
#include "events/webhooks.hpp"
#include "support/event_fixture.hpp"
#include "support/test_databases.hpp"

using namespace gridgov;
using namespace gridgov::events;
using gridgov::test_support::code_of;
using store::Dialect;

class EventServiceTest : public test_support::EventFixture {};

TEST_P(EventServiceTest, DeadlinesAndRoutingOnIntake) {
    clock.set(*parse_rfc3339("2026-11-20T17:00:00+08:00"));  // a Friday, half an hour before five
    const auto e = events.report(report_at({118.805, 31.705}, "CG0101"), nullptr, origin).event;
    EXPECT_EQ(e.node_id, id_of("320115005001001"));
    EXPECT_EQ(e.owner_node_id, id_of("320115005"));  // 暴露垃圾 is handled by the street
    EXPECT_EQ(e.accept_due, *parse_rfc3339("2026-11-23T09:00:00+08:00"));  // 1 working hour
    EXPECT_EQ(e.priority, 3);
    const auto outside = events.report(report_at({117.0, 31.0}, "CG0101"), nullptr, origin).event;
    // outside every grid: the top of the tree holds it, and its centre owns it
    const auto top = grid.snapshot()->root();
    ASSERT_TRUE(top.has_value());
    EXPECT_EQ(outside.node_id, top);
    EXPECT_EQ(outside.node_path, fmt::format("/{}/", *top));
    EXPECT_EQ(outside.owner_node_id, top);
}

TEST_P(EventServiceTest, SeveralDepartmentsAreSummonedAndTheEventIsHandledWhenAllAre) {
    const auto id = events.report(report_at({118.805, 31.705}, "CG0404"), nullptr, origin).event.id;
    step(id, {.step = Step::accept}, centre);
    const auto dispatched =
        step(id, {.step = Step::dispatch, .department_ids = {cg, police}}, centre);
    ASSERT_EQ(dispatched.assignments.size(), 2u);
    const auto cg_handler = person(accounts::Role::dept_handler, std::nullopt, cg, 7);
    const auto police_handler = person(accounts::Role::dept_handler, std::nullopt, police, 8);
    const auto other_handler = person(accounts::Role::dept_handler, std::nullopt, 999, 9);
    EXPECT_EQ(code_of([&] { events.get(id, &other_handler); }), ErrorCode::not_found);
    EXPECT_EQ(step(id, {.step = Step::sign}, cg_handler).status, Status::in_progress);
    EXPECT_EQ(step(id, {.step = Step::handle, .note = "已劝离"}, cg_handler).status,
              Status::in_progress);  // the police have not finished
    EXPECT_EQ(code_of([&] { step(id, {.step = Step::give_back}, police_handler); }),
              ErrorCode::missing_field);  // a return says why
    const auto after = step(id, {.step = Step::give_back, .note = "非本部门职责"}, police_handler);
    EXPECT_EQ(after.status, Status::handled);  // what remains is done
    EXPECT_EQ(after.assignments[1].status, "returned");
    EXPECT_EQ(code_of([&] { step(id, {.step = Step::sign}, police_handler); }),
              ErrorCode::conflict);
}

TEST_P(EventServiceTest, OnTheSpotResolutionIsStillVerified) {
    accounts::UserService users(*db, audit, cipher, clock, {}, grid);
    const auto liu = users.create({"liuyang", "刘洋", std::nullopt, accounts::Role::grid_worker,
                                   id_of("320115005001001"), std::nullopt, "Passw0rd!"},
                                  nullptr, origin);
    const auto worker = person(accounts::Role::grid_worker, id_of("320115005001001"), {}, liu.id);
    auto in = report_at({118.805, 31.705}, "CG0101");
    in.resolved_on_spot = true;
    const auto e = events.report(in, &worker, origin).event;
    EXPECT_EQ(e.status, Status::handled);
    EXPECT_EQ(events.timeline(e.id, &worker).size(), 2u);
    EXPECT_EQ(code_of([&] { step(e.id, {.step = Step::verify, .passed = true}, worker); }),
              ErrorCode::forbidden);  // not one's own work
    const auto head = person(accounts::Role::grid_head, id_of("320115005001"), {}, 4);
    const auto back = step(e.id, {.step = Step::verify, .passed = false}, head);
    EXPECT_EQ(back.status, Status::accepted);  // not good enough: the centre dispatches it
    EXPECT_EQ(back.rework_count, 1);
    EXPECT_EQ(code_of([&] {
                  auto again = report_at({118.805, 31.705}, "CG0101");
                  again.resolved_on_spot = true;
                  events.report(again, &centre, origin);
              }),
              ErrorCode::forbidden);
}

TEST_P(EventServiceTest, CentresSeeTheirSubtreeOnly) {
    const auto id = events.report(report_at({118.805, 31.705}, "CG0101"), nullptr, origin).event.id;
    const auto next_door = person(accounts::Role::center, id_of("320115005002"));
    EXPECT_EQ(code_of([&] { events.get(id, &next_door); }), ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { step(id, {.step = Step::accept}, next_door); }), ErrorCode::not_found);
    std::int64_t total = -1;
    events.list({}, &next_door, 10, 0, &total);
    EXPECT_EQ(total, 0);
    const auto street = person(accounts::Role::center, id_of("320115005"));
    events.list({}, &street, 10, 0, &total);
    EXPECT_EQ(total, 1);
    const auto worker = person(accounts::Role::grid_worker, id_of("320115005001001"), {}, 3);
    EXPECT_EQ(code_of([&] { step(id, {.step = Step::accept}, worker); }), ErrorCode::forbidden);
}

TEST_P(EventServiceTest, TheChainShowsTampering) {
    const auto a = events.report(report_at({118.805, 31.705}, "CG0101"), nullptr, origin).event.id;
    const auto b = events.report(report_at({118.815, 31.705}, "CG0101"), nullptr, origin).event.id;
    for (auto id : {a, b}) {
        step(id, {.step = Step::accept, .note = "属实"}, centre);
        step(id, {.step = Step::dispatch}, centre);
    }
    EXPECT_TRUE(events.verify_chains().empty());
    db->transact([&](store::Connection& c) {
        c.run("UPDATE event_actions SET note = '不属实' WHERE event_id = $1 AND seq = 2", {a});
    });
    EXPECT_EQ(events.verify_chains(), std::vector<std::int64_t>{a});
    db->transact([&](store::Connection& c) {
        c.run("UPDATE event_actions SET note = '属实' WHERE event_id = $1 AND seq = 2", {a});
        c.run("DELETE FROM event_actions WHERE event_id = $1 AND seq = 2", {b});
    });
    EXPECT_EQ(events.verify_chains(), std::vector<std::int64_t>{b});
}

TEST_P(EventServiceTest, TheChainCoversTheRowTheActorAndItsEndAndCannotBeForged) {
    // each tampering on a fresh pair of events; the untouched one stays intact
    const auto tampered = [&](const std::function<void(store::Connection&, std::int64_t)>& change) {
        const auto id =
            events.report(report_at({118.805, 31.705}, "CG0101"), nullptr, origin).event.id;
        step(id, {.step = Step::accept, .note = "属实"}, centre);
        step(id, {.step = Step::dispatch}, centre);
        const auto clean =
            events.report(report_at({118.815, 31.705}, "CG0101"), nullptr, origin).event.id;
        EXPECT_TRUE(events.verify_chains().empty());
        db->transact([&](store::Connection& c) { change(c, id); });
        const auto broken = events.verify_chains();
        EXPECT_EQ(broken, std::vector<std::int64_t>{id});
        // put the database back in order for the next case: these two are set aside
        db->transact([&](store::Connection& c) {
            c.run("DELETE FROM event_actions WHERE event_id IN ($1, $2)", {id, clean});
            c.run("DELETE FROM event_assignments WHERE event_id IN ($1, $2)", {id, clean});
            c.run("DELETE FROM webhook_outbox WHERE event_id IN ($1, $2)", {id, clean});
            c.run("DELETE FROM notifications WHERE event_id IN ($1, $2)", {id, clean});
            c.run("DELETE FROM events WHERE id IN ($1, $2)", {id, clean});
        });
    };
    // the actor's name and role are in the hash
    tampered([](store::Connection& c, std::int64_t id) {
        c.run("UPDATE event_actions SET actor_name = '别人' WHERE event_id = $1 AND seq = 2", {id});
    });
    // the last action removed, or all of them
    tampered([](store::Connection& c, std::int64_t id) {
        c.run("DELETE FROM event_actions WHERE event_id = $1 AND seq = 3", {id});
    });
    tampered([](store::Connection& c, std::int64_t id) {
        c.run("DELETE FROM event_actions WHERE event_id = $1", {id});
    });
    // the event's own row: status, description, satisfaction
    tampered([](store::Connection& c, std::int64_t id) {
        c.run("UPDATE events SET status = 'closed' WHERE id = $1", {id});
    });
    tampered([](store::Connection& c, std::int64_t id) {
        c.run("UPDATE events SET description = '另一回事' WHERE id = $1", {id});
    });
    tampered([](store::Connection& c, std::int64_t id) {
        c.run("UPDATE events SET satisfaction = 'satisfied' WHERE id = $1", {id});
    });
    // a chain written again with plain SHA-256 (what anyone could compute) does not verify
    tampered([&](store::Connection& c, std::int64_t id) {
        std::string prev = kChainGenesis;
        for (const auto& row :
             c.run("SELECT * FROM event_actions WHERE event_id = $1 ORDER BY seq", {id}).rows) {
            const ActionRecord a = action_from_row(row);
            const auto hash = action_hash(1, prev, id, a, cipher);
            c.run(
                "UPDATE event_actions SET prev_hash = $1, hash = $2, chain_version = 1 WHERE "
                "event_id = $3 AND seq = $4",
                {prev, hash, id, std::int64_t{a.seq}});
            prev = hash;
        }
        c.run("UPDATE events SET chain_head = $1 WHERE id = $2", {prev, id});
    });
    // and under another key, nothing verifies
    const auto id = events.report(report_at({118.805, 31.705}, "CG0101"), nullptr, origin).event.id;
    std::array<unsigned char, FieldCipher::kKeyBytes> other{};
    other.fill(7);
    EXPECT_EQ(verify_chains(*db, FieldCipher(other)).broken, std::vector<std::int64_t>{id});
    // signed again under a new key (the key's rotation), they hold under it
    EXPECT_GT(resign_chains(*db, cipher, FieldCipher(other)), 0);
    EXPECT_TRUE(verify_chains(*db, FieldCipher(other)).broken.empty());
    EXPECT_EQ(events.verify_chains(), std::vector<std::int64_t>{id});
}

TEST_P(EventServiceTest, TheColourShownFilteredAndWarnedIsOneRuleAtItsBoundaries) {
    // 暴露垃圾 is accepted within 1 working hour. Reported on Friday 17:00 before a Monday that
    // is a holiday: half an hour on Friday, the rest on Tuesday from 08:30. 80 % of the hour
    // (48 minutes) is used on Tuesday at 08:48; it is due at 09:00.
    time.set_day("2026-11-23", false, "测试假日", nullptr, origin);
    clock.set(*parse_rfc3339("2026-11-20T17:00:00+08:00"));
    const auto id = events.report(report_at({118.805, 31.705}, "CG0101"), nullptr, origin).event.id;
    const auto warn_at = *parse_rfc3339("2026-11-24T08:48:00+08:00");
    const auto due = *parse_rfc3339("2026-11-24T09:00:00+08:00");
    const auto listed = [&](const char* colour) {
        EventFilter f;
        f.colour = colour;
        std::int64_t total = 0;
        events.list(f, nullptr, 10, 0, &total);
        return total;
    };
    const auto shown = [&] {
        return std::string(events.deadline(events.get(id, nullptr))->colour);
    };
    struct Moment {
        Millis at;
        const char* colour;
        int warned, overdue;
    };
    for (const auto& [at, colour, warned, overdue] :
         {Moment{*parse_rfc3339("2026-11-23T10:00:00+08:00"), "green", 0, 0},  // the holiday
          Moment{warn_at - 1, "green", 0, 0}, Moment{warn_at, "yellow", 1, 0},
          Moment{due, "yellow", 0, 0}, Moment{due + 1, "red", 0, 1}}) {
        clock.set(at);
        SCOPED_TRACE(format_rfc3339(at));
        EXPECT_EQ(events.deadline(events.get(id, nullptr))->warn_at, warn_at);
        EXPECT_EQ(shown(), colour);
        for (const char* c : {"green", "yellow", "red"})
            EXPECT_EQ(listed(c), std::string(c) == colour ? 1 : 0) << c;
        const auto pass = events.supervise_deadlines();
        EXPECT_EQ(pass.warned, warned);
        EXPECT_EQ(pass.overdue, overdue);
    }
}

TEST_P(EventServiceTest, DeadlinesAreWatchedOnceEvenByTwoProcesses) {
    clock.set(*parse_rfc3339("2026-11-23T09:00:00+08:00"));  // a Monday morning
    const auto id = events.report(report_at({118.805, 31.705}, "CG0101"), nullptr, origin).event.id;
    // 暴露垃圾: accept within 1 working hour; at 09:50 most of it is used
    clock.set(*parse_rfc3339("2026-11-23T09:50:00+08:00"));
    EXPECT_EQ(events.supervise_deadlines().warned, 1);
    EXPECT_EQ(events.supervise_deadlines().warned, 0);  // once
    const auto with_colour = [&](const char* colour) {
        EventFilter f;
        f.colour = colour;
        std::int64_t total = 0;
        events.list(f, nullptr, 10, 0, &total);
        return total;
    };
    EXPECT_EQ(with_colour("yellow"), 1);
    EXPECT_EQ(with_colour("green"), 0);
    EXPECT_EQ(with_colour("red"), 0);
    // past 10:00 it is overdue, and the street's centre let it pass: the district takes it
    clock.set(*parse_rfc3339("2026-11-23T10:05:00+08:00"));
    EventService other(*db, audit, grid, catalogue, time, departments, cipher, clock);
    std::vector<EventService::Supervision> passes(2);
    std::thread a([&] { passes[0] = events.supervise_deadlines(); });
    std::thread b([&] { passes[1] = other.supervise_deadlines(); });
    a.join();
    b.join();
    EXPECT_EQ(passes[0].overdue + passes[1].overdue, 1);
    const auto e = events.get(id, nullptr);
    EXPECT_EQ(e.owner_node_id, id_of("320115"));
    EXPECT_EQ(e.escalations, 1);
    EXPECT_EQ(with_colour("red"), 1);
    EXPECT_EQ(with_colour("yellow"), 0);
    std::vector<std::string> actions;
    for (const auto& a : events.timeline(id, nullptr)) actions.push_back(a.action);
    EXPECT_EQ(actions, (std::vector<std::string>{"report", "warning", "overdue", "escalate"}));
    EXPECT_EQ(events.timeline(id, nullptr)[1].actor_kind, "system");
    // accepted late, the next stage has its own deadline and warnings
    step(id, {.step = Step::accept}, centre);
    EXPECT_EQ(events.supervise_deadlines().overdue, 0);
    EXPECT_EQ(with_colour("green"), 1);  // a new stage, a new deadline
    EXPECT_TRUE(events.verify_chains().empty());
}

TEST_P(EventServiceTest, TheDeploymentSetsTheWarningShareAndTheReopenWindow) {
    events.set_policy({.warn_share = 0.5, .reopen_window = kDay});
    clock.set(*parse_rfc3339("2026-11-23T09:00:00+08:00"));  // a Monday morning
    const auto id = events.report(report_at({118.805, 31.705}, "CG0101"), nullptr, origin).event.id;
    // 35 of the 60 working minutes to accept: past half, not yet 80%
    clock.set(*parse_rfc3339("2026-11-23T09:35:00+08:00"));
    EXPECT_EQ(events.supervise_deadlines().warned, 1);
    const auto handler = person(accounts::Role::dept_handler, std::nullopt, cg, 7);
    step(id, {.step = Step::accept}, centre);
    step(id, {.step = Step::dispatch, .department_ids = {cg}}, centre);
    step(id, {.step = Step::sign}, handler);
    step(id, {.step = Step::handle}, handler);
    step(id, {.step = Step::verify, .passed = true}, centre);
    clock.advance(2 * kDay);  // past the day this deployment allows
    EXPECT_EQ(code_of([&] { step(id, {.step = Step::reopen}, centre); }), ErrorCode::conflict);
}

// Records what would have been posted, in the order it was, into a log shared by the senders of
// several processes (the HTTP sending itself is tested against a real receiver in
// tests/integration/webhooks.test.mjs).
struct PostLog {
    std::mutex mutex;
    std::vector<std::int64_t> ids;
    std::vector<std::string> bodies;
};
class RecordingSender : public WebhookSender {
  public:
    explicit RecordingSender(PostLog& log) : log_(log) {}
    Result post(const std::string&, const std::vector<std::pair<std::string, std::string>>& headers,
                const std::string& body, std::chrono::milliseconds) override {
        std::lock_guard lock(log_.mutex);
        for (const auto& [name, value] : headers) {
            if (name == "X-Gridgov-Delivery") log_.ids.push_back(std::stoll(value));
        }
        log_.bodies.push_back(body);
        return {200, ""};
    }

  private:
    PostLog& log_;
};

TEST_P(EventServiceTest, WebhookDeliveriesAreQueuedWithTheActionAndSentOnceByTwoProcesses) {
    accounts::Principal admin = person(accounts::Role::admin, std::nullopt);
    admin.kind = accounts::Principal::Kind::api_key;  // no account in this fixture
    Webhooks hooks(*db, audit, grid, catalogue, events, cipher, clock);
    SubscriptionFields f;
    f.name = "城管案件系统";
    f.url = "http://127.0.0.1:9/hook";
    f.categories = std::vector<std::string>{"CG01"};
    f.node_id = std::optional<std::int64_t>(id_of("320115005"));
    hooks.subscribe(f, admin, origin);
    EXPECT_EQ(code_of([&] { hooks.subscribe(f, centre, origin); }), ErrorCode::forbidden);
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 20; ++i) {
        const auto id =
            events.report(report_at({118.805, 31.705}, "CG0101"), nullptr, origin).event.id;
        step(id, {.step = Step::accept}, centre);
        ids.push_back(id);
    }
    events.report(report_at({118.805, 31.705}, "CG0404"), nullptr, origin);  // not subscribed
    events.report(report_at({117.0, 31.0}, "CG0101"), nullptr, origin);      // not in the area
    // an action that fails writes no delivery either
    EXPECT_ANY_THROW(step(ids[0], {.step = Step::accept}, centre));

    Webhooks other(*db, audit, grid, catalogue, events, cipher, clock);
    PostLog log;
    RecordingSender one(log), two(log);
    std::thread a([&] { hooks.deliver_due(one, 3); });
    std::thread b([&] { other.deliver_due(two, 3); });
    a.join();
    b.join();
    // whatever one process left (a delivery waits for the one before it of the same event)
    while (hooks.deliver_due(one, 50).delivered > 0) {
    }
    std::vector<std::int64_t> all = log.ids;
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all.size(), 40u);
    EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end()) << "a delivery sent twice";
    // each event's report was sent before its accept, whichever process sent them
    std::map<std::int64_t, std::vector<std::string>> order;
    for (const auto& body : log.bodies) {
        const auto v = boost::json::parse(body).as_object();
        order[v.at("event").at("id").as_int64()].push_back(
            std::string(v.at("action").at("action").as_string()));
    }
    EXPECT_EQ(order.size(), 20u);
    for (const auto& [id, actions] : order)
        EXPECT_EQ(actions, (std::vector<std::string>{"report", "accept"})) << "event " << id;
    EXPECT_EQ(hooks.deliveries(1, std::string("delivered"), 100, admin).size(), 40u);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, EventServiceTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return test_support::dialect_name(info.param); });
