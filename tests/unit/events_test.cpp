// Tests of the working calendar (deadlines across lunch, weekends, the 2026 National Day holiday
// and its make-up working day), the event catalogue as shipped (GB/T 31000 disputes among it),
// editing a category, and the departments that serve a place, on both databases.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/working_calendar.hpp"
#include "events/attachments.hpp"
#include "events/catalogue.hpp"
#include "events/departments.hpp"
#include "events/working_time.hpp"
#include "support/grid_fixture.hpp"
#include "support/test_databases.hpp"

using namespace gridgov;
using gridgov::test_support::code_of;
using store::Dialect;

namespace {

Millis at(const char* rfc3339) {
    return *parse_rfc3339(rfc3339);
}

WorkingCalendar china_2026() {
    return WorkingCalendar(parse_work_periods("08:30-12:00,13:30-17:30", "hours"),
                           {{*parse_day("2026-10-01"), false, "国庆节"},
                            {*parse_day("2026-10-02"), false, "国庆节"},
                            {*parse_day("2026-10-05"), false, "国庆节"},
                            {*parse_day("2026-10-06"), false, "国庆节"},
                            {*parse_day("2026-10-07"), false, "国庆节"},
                            {*parse_day("2026-10-10"), true, "国庆节调休上班"}});
}

}  // namespace

TEST(WorkingCalendar, DaysAndPeriods) {
    EXPECT_EQ(weekday(*parse_day("2026-11-22")), 0);                             // a Sunday
    EXPECT_EQ(day_string(local_day(at("2026-11-21T16:30:00Z"))), "2026-11-22");  // 00:30 in China
    EXPECT_FALSE(parse_day("2026-02-30").has_value());
    EXPECT_FALSE(parse_day("26-1-1").has_value());
    const auto periods = parse_work_periods("08:30-12:00,13:30-17:30", "hours");
    ASSERT_EQ(periods.size(), 2u);
    EXPECT_EQ(periods[1].start_minute, 13 * 60 + 30);
    for (const char* bad : {"", "8:30-12:00", "08:30-12:00,11:00-17:00", "12:00-08:30",
                            "08:30-25:00", "08:30-12:00;13:30-17:30"}) {
        EXPECT_EQ(code_of([&] { parse_work_periods(bad, "hours"); }), ErrorCode::invalid_field)
            << bad;
    }
}

TEST(WorkingCalendar, DeadlinesSkipLunchWeekendsAndHolidays) {
    const auto cal = china_2026();
    EXPECT_EQ(cal.day_length(), 7 * kHour + 30 * kMinute);
    // over lunch: 11:30 + 1 h = 14:00
    EXPECT_EQ(cal.add(at("2026-11-19T11:30:00+08:00"), kHour), at("2026-11-19T14:00:00+08:00"));
    // over a weekend: Friday 17:00 + 1 h = Monday 09:00
    EXPECT_EQ(cal.add(at("2026-11-20T17:00:00+08:00"), kHour), at("2026-11-23T09:00:00+08:00"));
    // reported on Saturday evening: the clock starts on Monday morning
    EXPECT_EQ(cal.add(at("2026-11-21T20:00:00+08:00"), 2 * kHour), at("2026-11-23T10:30:00+08:00"));
    // into the National Day holiday: 30 September 16:00 + 4 h = 8 October 11:00
    EXPECT_EQ(cal.add(at("2026-09-30T16:00:00+08:00"), 4 * kHour), at("2026-10-08T11:00:00+08:00"));
    // the make-up working day: Friday 9 October 17:00 + 1 h = Saturday 10 October 09:00
    EXPECT_EQ(cal.add(at("2026-10-09T17:00:00+08:00"), kHour), at("2026-10-10T09:00:00+08:00"));
    // and back: the working time between two instants
    EXPECT_EQ(cal.between(at("2026-11-20T17:00:00+08:00"), at("2026-11-23T09:00:00+08:00")), kHour);
    EXPECT_EQ(cal.between(at("2026-09-30T00:00:00+08:00"), at("2026-10-09T00:00:00+08:00")),
              2 * cal.day_length());  // 30 September and 8 October
}

class EventsTest : public test_support::GridTest {
  protected:
    EventsTest() : catalogue(*db, audit) { catalogue.reload(); }
    events::Catalogue catalogue;
};

TEST_P(EventsTest, TheCalendarShipsTheOfficialHolidays) {
    events::WorkingTime time(*db, audit, parse_work_periods("08:30-12:00,13:30-17:30", "hours"));
    time.reload();
    const auto cal = time.calendar();
    EXPECT_FALSE(cal->is_working_day(*parse_day("2026-10-01")));
    EXPECT_TRUE(cal->is_working_day(*parse_day("2026-10-10")));   // Saturday, 调休上班
    EXPECT_TRUE(cal->is_working_day(*parse_day("2026-02-28")));   // Saturday, 调休上班
    EXPECT_FALSE(cal->is_working_day(*parse_day("2026-02-16")));  // Monday in the Spring Festival
    EXPECT_FALSE(cal->is_working_day(*parse_day("2025-01-29")));
    EXPECT_TRUE(cal->is_working_day(*parse_day("2024-02-04")));
    const auto days_2027 = time.days(2027);
    ASSERT_FALSE(days_2027.empty());
    EXPECT_TRUE(days_2027.front().provisional);
    // an admin edits a day; the calendar follows at once
    time.set_day("2026-12-31", false, "调整放假", nullptr, origin);
    EXPECT_FALSE(time.calendar()->is_working_day(*parse_day("2026-12-31")));
    time.remove_day("2026-12-31", nullptr, origin);
    EXPECT_TRUE(time.calendar()->is_working_day(*parse_day("2026-12-31")));
    EXPECT_EQ(code_of([&] { time.set_day("2026-13-01", true, "x", nullptr, origin); }),
              ErrorCode::invalid_field);
    const auto cat = *catalogue.category("CG0101");  // 暴露垃圾: 4 working hours
    EXPECT_EQ(time.handle_deadline(at("2026-09-30T16:00:00+08:00"), cat),
              at("2026-10-08T11:00:00+08:00"));
}

TEST_P(EventsTest, TheCatalogueShipsTwoLevelsWithRoutingAndLimits) {
    const auto all = catalogue.categories();
    EXPECT_GE(all.size(), 190u);
    ASSERT_TRUE(all.front().is_major());
    const auto garbage = *catalogue.category("CG0101");
    EXPECT_EQ(garbage.name, "暴露垃圾");
    EXPECT_EQ(garbage.parent_code, "CG01");
    EXPECT_EQ(garbage.department_kind, "cgj");
    EXPECT_EQ(garbage.handling_level, 3);
    const auto marriage = *catalogue.category("MD0101");
    EXPECT_EQ(marriage.name, "恋爱及婚姻");
    EXPECT_EQ(marriage.standard, "GB/T 31000-2015 事件类型 0101");
    EXPECT_EQ(catalogue.category("MD1002")->name, "公司企业设立解散");  // the OCR slip corrected
    for (const char* major :
         {"CG02", "CG03", "CG04", "CG05", "AQ02", "GF01", "GF02", "GF03", "YQ01", "QT99"}) {
        EXPECT_TRUE(catalogue.category(major).has_value()) << major;
    }
    EXPECT_TRUE(catalogue.has_department_kind("scjg"));
    // editing a category's limits, with its version
    events::CategoryPatch patch;
    patch.handle_limit = 2;
    patch.handle_unit = "hours";
    const auto edited = catalogue.update("CG0101", patch, garbage.version, nullptr, origin);
    EXPECT_EQ(edited.handle_limit, 2);
    EXPECT_EQ(edited.version, garbage.version + 1);
    EXPECT_EQ(code_of([&] { catalogue.update("CG0101", patch, garbage.version, nullptr, origin); }),
              ErrorCode::version_conflict);
    patch = {};
    patch.priority = 7;
    EXPECT_EQ(code_of([&] { catalogue.update("CG0101", patch, edited.version, nullptr, origin); }),
              ErrorCode::invalid_field);
    patch = {};
    patch.handling_level = 3;
    EXPECT_EQ(code_of([&] { catalogue.update("CG01", patch, 1, nullptr, origin); }),
              ErrorCode::invalid_field);  // majors carry no routing
}

TEST_P(EventsTest, TheDepartmentServingAPlaceIsTheStreetsElseTheDistricts) {
    build();
    events::Departments departments(*db, audit, catalogue, grid, clock);
    const auto street = id_of("320115005"), district = id_of("320115");
    const auto cg_street = departments.create({"禄口街道城管中队", "cgj", street}, nullptr, origin);
    departments.create({"江宁区城市管理局", "cgj", district}, nullptr, origin);
    const auto police = departments.create({"江宁公安分局", "ga", district}, nullptr, origin);
    EXPECT_EQ(code_of([&] {
                  departments.create({"社区城管", "cgj", id_of("320115005001")}, nullptr, origin);
              }),
              ErrorCode::invalid_field);
    EXPECT_EQ(code_of([&] {
                  departments.create({"x", "nope", street}, nullptr, origin);
              }),
              ErrorCode::invalid_field);
    EXPECT_EQ(code_of([&] {
                  departments.create({"禄口街道城管中队", "cgj", street}, nullptr, origin);
              }),
              ErrorCode::conflict);
    const auto path = grid.snapshot()->path(id_of("320115005001001"));
    EXPECT_EQ(departments.serving("cgj", 3, path)->id, cg_street.id);
    EXPECT_EQ(departments.serving("cgj", 2, path)->name, "江宁区城市管理局");
    EXPECT_EQ(departments.serving("ga", 3, path)->id,
              police.id);  // no street police: the district's
    EXPECT_EQ(departments.serving("xf", 4, path), std::nullopt);
    EXPECT_EQ(departments.list(street, std::nullopt, nullptr).size(), 1u);
    EXPECT_EQ(departments.list(std::nullopt, std::string("cgj"), nullptr).size(), 2u);
}

TEST(Attachments, TypesComeFromTheBytes) {
    using events::sniff_content_type;
    EXPECT_EQ(sniff_content_type("\xFF\xD8\xFF\xE0\x00\x10JFIF"), "image/jpeg");
    EXPECT_EQ(sniff_content_type(std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16)), "image/png");
    EXPECT_EQ(sniff_content_type(std::string("\0\0\0\x18"
                                             "ftypheic\0\0\0\0",
                                             16)),
              "image/heic");
    EXPECT_EQ(sniff_content_type(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
    EXPECT_EQ(sniff_content_type("%PDF-1.7\n"), "application/pdf");
    EXPECT_EQ(sniff_content_type("GIF89a..."), "image/gif");
    EXPECT_EQ(sniff_content_type("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), std::nullopt);
    EXPECT_EQ(sniff_content_type(std::string("RIFF\x10\0\0\0WAVEfmt ", 16)), std::nullopt);
    EXPECT_EQ(sniff_content_type("\xFF\xD8"), std::nullopt);  // too short to be a JPEG
    EXPECT_EQ(sniff_content_type(""), std::nullopt);
}

TEST(Attachments, FileNamesAreCleaned) {
    using events::clean_file_name;
    EXPECT_EQ(clean_file_name("../../etc/passwd"), "passwd");
    EXPECT_EQ(clean_file_name("C:\\Users\\王\\现场.jpg"), "现场.jpg");
    EXPECT_EQ(clean_file_name("a\"b;c\r\n.png"), "abc.png");
    EXPECT_EQ(clean_file_name(".hidden"), "hidden");
    EXPECT_EQ(clean_file_name("/"), "attachment");
    const std::string long_name = std::string(198, 'x') + "网格.png";  // cut inside 网
    const auto cut = clean_file_name(long_name);
    EXPECT_LE(cut.size(), 200u);
    EXPECT_EQ(cut, std::string(198, 'x'));
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, EventsTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return test_support::dialect_name(info.param); });
