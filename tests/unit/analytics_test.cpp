// Tests of LiveFigures on both databases: the figures kept in memory equal a count of the rows
// after a mixed day of events; a second process built later agrees with the one that followed
// the changes; following again changes nothing; a deadline passing makes an event overdue
// without any write. Events generated in bulk follow time, and the figures built from them add
// up. And the weeks and months the figures are split by.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "analytics/live_figures.hpp"
#include "events/event_generator.hpp"
#include "support/event_fixture.hpp"

using namespace gridgov;
using namespace gridgov::analytics;
using namespace gridgov::events;

class AnalyticsTest : public test_support::EventFixture {
  protected:
    std::int64_t report(double lon, double lat, const char* category,
                        const char* channel = "grid_worker") {
        NewEvent in;
        in.channel = channel;
        in.title = "测试事件";
        in.description = "用于统计的事件";
        in.category_code = category;
        in.location = geo::LonLat{lon, lat};
        return events.report(in, nullptr, origin).event.id;
    }
    // (node id, status, category) → count, counted again by SQL over the rows
    std::map<std::tuple<std::int64_t, std::string, std::string>, std::int64_t> counted(
        const std::vector<std::int64_t>& nodes) {
        std::map<std::tuple<std::int64_t, std::string, std::string>, std::int64_t> out;
        for (const auto node : nodes) {
            const auto path = *grid.path_of(node);
            db->read([&](store::Connection& c) {
                for (const auto& row :
                     c.run("SELECT status, COALESCE(category_code, '') AS category, COUNT(*) AS n "
                           "FROM events WHERE node_path LIKE $1 GROUP BY status, category_code",
                           {path + "%"})
                         .rows)
                    out[{node, row.text("status"), row.text("category")}] = row.integer("n");
            });
        }
        return out;
    }
    static std::map<std::tuple<std::int64_t, std::string, std::string>, std::int64_t> held(
        const std::vector<StockRow>& rows, std::int64_t whole) {
        std::map<std::tuple<std::int64_t, std::string, std::string>, std::int64_t> out;
        for (const auto& r : rows) out[{r.node_id.value_or(whole), r.status, r.category}] = r.count;
        return out;
    }
};

TEST_P(AnalyticsTest, TheFiguresKeptInMemoryEqualACountOfTheRows) {
    clock.set(*parse_rfc3339("2026-11-23T09:00:00+08:00"));  // a Monday morning
    LiveFigures live(*db, clock);
    EXPECT_EQ(live.rebuild(), 0u);
    const auto street = id_of("320115005");
    const LocalDay today = local_day(clock.now());
    const auto handler = person(accounts::Role::dept_handler, std::nullopt, cg, 7);

    // closed and evaluated satisfied
    const auto done = report(118.805, 31.705, "CG0101");
    step(done, {.step = Step::accept}, centre);
    step(done, {.step = Step::dispatch, .department_ids = {cg}}, centre);
    step(done, {.step = Step::sign}, handler);
    step(done, {.step = Step::handle, .note = "已清理"}, handler);
    step(done, {.step = Step::verify, .passed = true}, centre);
    step(done, {.step = Step::evaluate, .satisfaction = "satisfied"}, centre);
    // a duplicate, cancelled
    const auto twice = report(118.806, 31.706, "CG0101", "resident");
    step(twice, {.step = Step::cancel, .cancel_reason = "duplicate", .duplicate_of = done}, centre);
    // sent back at verification, then closed
    const auto again = report(118.815, 31.705, "CG0101");
    step(again, {.step = Step::accept}, centre);
    step(again, {.step = Step::dispatch, .department_ids = {cg}}, centre);
    step(again, {.step = Step::sign}, handler);
    step(again, {.step = Step::handle}, handler);
    step(again, {.step = Step::verify, .passed = false}, centre);
    step(again, {.step = Step::handle}, handler);
    step(again, {.step = Step::verify, .passed = true}, centre);
    // open in the other community, dispatched
    const auto open = report(118.825, 31.705, "CG0101", "hotline_12345");
    step(open, {.step = Step::accept}, centre);
    step(open, {.step = Step::dispatch, .department_ids = {cg}}, centre);
    // reported, nothing more
    report(118.826, 31.716, "CG0404", "hotline_12345");

    EXPECT_GT(live.follow(), 0u);
    const auto f = live.figures(street, today, today, Split::none).total;
    EXPECT_EQ(f.intake, 5);
    EXPECT_EQ(f.cancelled, 1);
    EXPECT_EQ(f.accepted, 4);
    EXPECT_EQ(f.closed, 2);
    EXPECT_EQ(f.closed_on_time, 2);
    EXPECT_EQ(f.reworked, 1);
    EXPECT_EQ(f.open, 2);
    EXPECT_EQ(f.overdue, 0);
    EXPECT_EQ(f.should_close, 2);
    EXPECT_EQ(f.evaluated, 1);
    EXPECT_EQ(f.satisfied, 1);
    EXPECT_DOUBLE_EQ(*f.closure_rate(), 1.0);
    EXPECT_DOUBLE_EQ(*f.rework_rate(), 0.5);

    // what stands now, per community and for the city by street, as SQL counts it
    const std::vector<std::int64_t> communities{id_of("320115005001"), id_of("320115005002")};
    EXPECT_EQ(held(live.stock(street, 4, true), street), counted(communities));
    EXPECT_EQ(held(live.stock(id_of("3201"), 3, true), 0), counted({street}));
    EXPECT_EQ(held(live.stock(street, std::nullopt, true), street), counted({street}));

    // by community, channel and category
    const auto by_child = live.figures(street, today, today, Split::child);
    ASSERT_EQ(by_child.groups.size(), 2u);
    EXPECT_EQ(by_child.groups[0].figures.intake + by_child.groups[1].figures.intake, 5);
    const auto by_channel = live.figures(street, today, today, Split::channel);
    std::map<std::string, std::int64_t> channels;
    for (const auto& g : by_channel.groups) channels[g.key] = g.figures.intake;
    EXPECT_EQ(channels, (std::map<std::string, std::int64_t>{
                            {"grid_worker", 2}, {"hotline_12345", 2}, {"resident", 1}}));
    // the day series of the street and its communities, and the events read one by one (by
    // category, by grid, and for a grid), agree
    const auto whole = live.figures(street, today, today, Split::none).total;
    EXPECT_EQ(live.figures(street, today, today, Split::category).total, whole);
    EXPECT_EQ(live.figures(street, today, today, Split::grid).total, whole);
    for (const auto& g : by_child.groups)
        EXPECT_EQ(live.figures(std::stoll(g.key), today, today, Split::none).total, g.figures);
    const auto by_grid = live.figures(communities[0], today, today, Split::grid);
    ASSERT_FALSE(by_grid.groups.empty());
    const auto& grid_figures = by_grid.groups[0];
    EXPECT_EQ(live.figures(std::stoll(grid_figures.key), today - 6, today, Split::none).total,
              grid_figures.figures);
    const auto by_week = live.figures(street, today - 6, today, Split::day);
    ASSERT_EQ(by_week.groups.size(), 1u);
    EXPECT_EQ(by_week.groups[0].key, day_string(today));
    EXPECT_EQ(by_week.groups[0].figures, whole);

    const auto departments = live.departments(street, today, today);
    ASSERT_EQ(departments.size(), 1u);
    EXPECT_EQ(departments[0].department_id, cg);
    EXPECT_EQ(departments[0].figures.dispatched, 3);
    EXPECT_EQ(departments[0].figures.handled, 2);
    EXPECT_EQ(departments[0].figures.open, 1);

    // another process, built now, agrees; following again changes nothing
    LiveFigures other(*db, clock);
    EXPECT_EQ(other.rebuild(), 5u);
    EXPECT_EQ(held(other.stock(street, 4, true), street),
              held(live.stock(street, 4, true), street));
    const auto version = live.version();
    EXPECT_EQ(live.follow(), 0u);
    EXPECT_EQ(live.version(), version);

    // the open event's deadline passes: overdue without a write
    clock.advance(3 * 24 * kHour);
    EXPECT_GT(live.follow(), 0u);
    const auto later = live.figures(street, today, today, Split::none).total;
    EXPECT_EQ(later.overdue, 1);
    EXPECT_EQ(live.open_now(street).open, 2);
    EXPECT_EQ(live.open_now(street).overdue, 1);
    EXPECT_EQ(live.open_now(communities[0]).open + live.open_now(communities[1]).open, 2);
    EXPECT_EQ(later.should_close, 3);
    EXPECT_EQ(live.departments(street, today, today)[0].figures.overdue, 1);
    const auto flow = live.flow(street, today - 1, today, Split::day);
    ASSERT_EQ(flow.size(), 2u);
    EXPECT_EQ(flow[1].key, day_string(today));
    EXPECT_EQ(flow[1].reported, 5);
    EXPECT_EQ(flow[1].closed, 2);
}

TEST_P(AnalyticsTest, GeneratedEventsFollowTimeAndTheFiguresBuiltFromThemAddUp) {
    clock.set(*parse_rfc3339("2026-11-23T15:00:00+08:00"));
    const auto made = generate_events(*db, grid, catalogue, cipher,
                                      {.events = 3000, .days = 30, .seed = 7}, clock.now());
    EXPECT_EQ(made.events, 3000);
    // every generated event carries its chain, and the chains hold
    EXPECT_GE(made.actions, 3000);
    EXPECT_TRUE(events.verify_chains().empty());
    EXPECT_GT(made.assignments, 1000);
    // ids follow the days they were reported on, over the whole month
    LocalDay last = 0;
    std::set<LocalDay> days;
    db->read([&](store::Connection& c) {
        for (const auto& row : c.run("SELECT reported_at FROM events ORDER BY id").rows) {
            const auto day = local_day(row.integer("reported_at"));
            EXPECT_GE(day, last);
            last = day;
            days.insert(day);
        }
    });
    const LocalDay today = local_day(clock.now());
    EXPECT_EQ(days.size(), 30u);
    EXPECT_EQ(*days.begin(), today - 29);

    LiveFigures live(*db, clock);
    EXPECT_EQ(live.rebuild(), 3000u);
    const auto city = id_of("3201");
    const auto month = live.figures(city, today - 29, today, Split::week);
    EXPECT_EQ(month.total.intake, 3000);
    Figures weeks;
    for (const auto& g : month.groups) weeks += g.figures;
    EXPECT_EQ(weeks, month.total);
    EXPECT_EQ(live.figures(city, today - 29, today, Split::channel).total, month.total);
    EXPECT_GT(month.total.closed, month.total.open);
    EXPECT_GT(month.total.cancelled, 0);
    std::int64_t reported = 0;
    for (const auto& p : live.flow(city, today - 29, today, Split::day)) reported += p.reported;
    EXPECT_EQ(reported, 3000);
    EXPECT_EQ(held(live.stock(city, std::nullopt, true), city), counted({city}));
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, AnalyticsTest,
                         ::testing::Values(store::Dialect::sqlite, store::Dialect::postgres),
                         [](const auto& info) { return test_support::dialect_name(info.param); });

TEST(FigureBuckets, WeeksStartOnMondayAndMonthsOnTheFirstInChinaTime) {
    // 23:30 UTC on Sunday the 22nd is already Monday the 23rd in Beijing
    const auto monday = local_day(*parse_rfc3339("2026-11-22T23:30:00Z"));
    EXPECT_EQ(bucket_text(bucket_of(monday, Split::week), Split::week), "2026-11-23");
    EXPECT_EQ(bucket_text(bucket_of(*parse_day("2026-11-29"), Split::week), Split::week),
              "2026-11-23");  // the Sunday after
    EXPECT_EQ(bucket_text(bucket_of(*parse_day("2026-11-29"), Split::month), Split::month),
              "2026-11");
    EXPECT_EQ(bucket_text(bucket_of(*parse_day("1969-12-31"), Split::week), Split::week),
              "1969-12-29");
    EXPECT_EQ(parse_split("category"), Split::category);
    EXPECT_FALSE(parse_split("colour"));
}
