// Tests of src/registry: identity numbers (GB 11643) checked, read and masked; the people registry
// (encryption, masks, revealing with a reason, versions and history, search, scopes).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/field_cipher.hpp"
#include "registry/credit_code.hpp"
#include "registry/csv_table.hpp"
#include "registry/identity_number.hpp"
#include "registry/people_registry.hpp"
#include "registry/registry_figures.hpp"
#include "registry/registry_generator.hpp"
#include "support/grid_fixture.hpp"
#include "support/test_databases.hpp"

using namespace gridgov::registry;
using gridgov::ErrorCode;
using gridgov::test_support::code_of;

namespace {
constexpr int kToday = 20261122;
}

TEST(IdentityNumber, ReadsBirthDateAndGenderFromAValidNumber) {
    const auto man = parse_identity_number("320115199003071230", kToday);
    ASSERT_TRUE(man.value) << man.problem;
    EXPECT_EQ(man.value->division_code, "320115");
    EXPECT_EQ(man.value->birth_year, 1990);
    EXPECT_EQ(man.value->birth_month, 3);
    EXPECT_EQ(man.value->birth_day, 7);
    EXPECT_EQ(man.value->gender, 'M');                                       // 17th digit 3: odd
    const auto woman = parse_identity_number("320115200002290023", kToday);  // a leap day
    ASSERT_TRUE(woman.value) << woman.problem;
    EXPECT_EQ(woman.value->gender, 'F');
    // the check character X, written small, and spaces as people write them
    const auto x = parse_identity_number("110105 19491231 002x", kToday);
    ASSERT_TRUE(x.value) << x.problem;
    EXPECT_EQ(x.value->number, "11010519491231002X");
}

TEST(IdentityNumber, ConvertsTheOldFifteenDigitNumbers) {
    const auto old = parse_identity_number("320115850101123", kToday);
    ASSERT_TRUE(old.value) << old.problem;
    EXPECT_EQ(old.value->number, "320115198501011236");
    EXPECT_EQ(old.value->birth_year, 1985);
}

TEST(IdentityNumber, NamesWhatIsWrong) {
    const auto problem = [](const char* text) {
        const auto r = parse_identity_number(text, kToday);
        EXPECT_FALSE(r.value) << text;
        return r.problem;
    };
    EXPECT_NE(problem("320115199003071231").find("校验码"), std::string::npos);  // one digit off
    EXPECT_NE(problem("320115199003171230").find("校验码"), std::string::npos);  // two swapped
    EXPECT_NE(problem("32011519900307123").find("18 位"), std::string::npos);
    EXPECT_NE(problem("32011519900307123A").find("X"), std::string::npos);
    EXPECT_NE(problem("320115199002301235").find("出生日期"), std::string::npos);  // 30 February
    EXPECT_NE(problem("320115190002290014").find("出生日期"), std::string::npos);  // 1900 not leap
    EXPECT_NE(problem("320115203001011232").find("出生日期"), std::string::npos);  // the future
    EXPECT_NE(problem("020115199003071230").find("行政区划"), std::string::npos);
    EXPECT_FALSE(parse_identity_number("", kToday).value);
}

TEST(IdentityNumber, CheckCharacterFollowsIso7064) {
    EXPECT_EQ(identity_check_character("11010519491231002"), 'X');
    EXPECT_EQ(identity_check_character("44030719851101561"), '8');
}

// What a registry viewer without the right to reveal sees of a person: the masked number, the
// gender, the age (or, under the older rule, the birth date), and the grid, so the district. The
// attack tries every number that agrees with all of it; the masks must leave many, not one.
std::size_t numbers_matching(const std::string& masked, char gender,
                             const std::vector<std::string>& divisions,
                             const std::vector<std::string>& births) {
    static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr char kCheck[] = "10X98765432";
    std::size_t found = 0;
    for (const auto& division : divisions) {
        for (const auto& birth : births) {
            const std::string head = division + birth;  // 14 digits
            bool agrees = true;
            int sum = 0;
            for (int i = 0; i < 14; ++i) {
                if (masked[i] != '*' && masked[i] != head[i]) agrees = false;
                sum += (head[i] - '0') * kWeights[i];
            }
            if (!agrees) continue;
            for (int seq = gender == 'M' ? 1 : 0; seq < 1000; seq += 2) {
                const char digits[3] = {char('0' + seq / 100), char('0' + seq / 10 % 10),
                                        char('0' + seq % 10)};
                bool ok = true;
                int total = sum;
                for (int i = 0; i < 3; ++i) {
                    if (masked[14 + i] != '*' && masked[14 + i] != digits[i]) ok = false;
                    total += (digits[i] - '0') * kWeights[14 + i];
                }
                const char check = kCheck[total % 11];
                if (ok && (masked[17] == '*' || masked[17] == check)) ++found;
            }
        }
    }
    return found;
}

// Every birth date (YYYYMMDD) of someone `age` years old on `today` (YYYY-MM-DD).
std::vector<std::string> births_of_age(int age, const std::string& today) {
    std::vector<std::string> out;
    const int year_now = std::stoi(today.substr(0, 4));
    const std::string today_md = today.substr(5, 2) + today.substr(8, 2);
    for (int year = year_now - age - 1; year <= year_now - age; ++year)
        for (int month = 1; month <= 12; ++month)
            for (int day = 1; day <= 31; ++day) {
                const std::string birth = fmt::format("{:04}{:02}{:02}", year, month, day);
                if (year_now - year - (today_md < birth.substr(4) ? 1 : 0) == age)
                    out.push_back(birth);
            }
    return out;
}

TEST(IdentityNumber, TheMaskedViewCannotBeRebuilt) {
    // a man of 36 registered in 江宁区 (320115); Nanjing's eleven districts are all the
    // attacker needs to try
    const std::string first17 = "32011519900202123";
    const std::string number = first17 + identity_check_character(first17);
    const std::vector<std::string> nanjing{"320102", "320104", "320105", "320106",
                                           "320111", "320113", "320114", "320115",
                                           "320116", "320117", "320118"};
    const std::string masked = mask_identity_number(number);
    EXPECT_EQ(masked.size(), 18u);
    EXPECT_EQ(std::count(masked.begin(), masked.end(), '*'), 16);
    const auto candidates = numbers_matching(masked, 'M', nanjing, births_of_age(36, "2026-12-08"));
    // the real number is among them, and so are tens of thousands of others
    EXPECT_GE(candidates, 10000u) << masked;
    // the older mask (first four, last four) with the same view left a handful
    const std::string old_mask = number.substr(0, 4) + std::string(10, '*') + number.substr(14);
    EXPECT_LE(numbers_matching(old_mask, 'M', nanjing, {"19900202"}), 2u);
}

TEST(Masks, HideAtLeastHalfOfAShortNumber) {
    using gridgov::mask_phone;
    EXPECT_EQ(mask_phone("13951001234"), "139****1234");
    EXPECT_EQ(mask_phone("52345678"), "52****78");  // a landline without its area code
    EXPECT_EQ(mask_phone("5234567"), "5****67");
    EXPECT_EQ(mask_phone("025-52345678"), "025*****5678");
    EXPECT_EQ(mask_identity_number("E12345678"), "E*******8");  // a passport
    // masks stored by the older rule are masked again by this one
    EXPECT_EQ(mask_identity_number("3201**********1234"), "3****************4");
    EXPECT_EQ(mask_phone("523*5678"), "52****78");
    for (const std::string phone : {"13951001234", "0255234567", "52345678", "5234567", "12345"}) {
        const auto m = mask_phone(phone);
        const auto hidden = static_cast<std::size_t>(std::count(m.begin(), m.end(), '*'));
        EXPECT_GE(hidden, 4u) << m;
        if (phone.size() < 11) {
            EXPECT_GE(hidden * 2, phone.size()) << m;
        }
    }
}

TEST(CreditCode, ChecksAfterGb32100) {
    EXPECT_EQ(credit_code_problem("91350100M000100Y43"), std::nullopt);  // the standard's example
    EXPECT_EQ(credit_code_check_character("91350100M000100Y4"), '3');
    EXPECT_NE(credit_code_problem("91350100M000100Y44")->find("校验码"), std::string::npos);
    EXPECT_NE(credit_code_problem("91350100M000100Y4")->find("18 位"), std::string::npos);
    EXPECT_NE(credit_code_problem("91350100I000100Y43")->find("字符"), std::string::npos);
    EXPECT_NE(credit_code_problem("9135A100M000100Y43")->find("区划"), std::string::npos);
}

TEST(CsvTable, ReadsWhatSpreadsheetsWrite) {
    const auto rows = parse_csv(
        "\xEF\xBB\xBF姓名,备注\r\n\"周,九\",\"他说\"\"你好\"\"\r\n第二行\"\r\n\r\n李四,\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"姓名", "备注"}));
    EXPECT_EQ(rows[1], (std::vector<std::string>{"周,九", "他说\"你好\"\r\n第二行"}));
    EXPECT_EQ(rows[2], (std::vector<std::string>{"李四", ""}));
    EXPECT_EQ(code_of([] { parse_csv("a,\"never closed\n"); }), ErrorCode::invalid_field);
}

TEST(IdentityNumber, MasksAllButTheFirstAndTheLastCharacter) {
    EXPECT_EQ(mask_identity_number("320115199003071230"), "3****************0");
    EXPECT_EQ(mask_identity_number("1234"), "****");
}

// The people registry on both databases, over the small grid tree of the fixture.
class PeopleRegistryTest : public gridgov::test_support::GridTest {
  protected:
    PeopleRegistryTest() : cipher(key), registry(*db, audit, grid, cipher, clock) { build(); }

    gridgov::accounts::Principal as(gridgov::accounts::Role role,
                                    std::optional<std::int64_t> scope) {
        return {gridgov::accounts::Principal::Kind::api_key, 1, "k", "某人", role, scope, {}};
    }
    PersonFields zhang() {
        PersonFields f;
        f.name = "张建国";
        f.id_number = "320115 19900307 1230";
        f.phone = "139-1234-5678";
        f.household_type = "registered";
        f.node_id = id_of("320115005001001");
        return f;
    }

    std::array<unsigned char, gridgov::FieldCipher::kKeyBytes> key{};
    gridgov::FieldCipher cipher;
    PeopleRegistry registry;
    gridgov::accounts::Principal centre = as(gridgov::accounts::Role::center, std::nullopt);
};

TEST_P(PeopleRegistryTest, AddsAPersonWithWhatTheIdentityNumberTellsMaskedAndEncrypted) {
    const auto worker = as(gridgov::accounts::Role::grid_worker, id_of("320115005001001"));
    const auto p = registry.add(zhang(), worker, origin);
    EXPECT_EQ(p.id_number, "3****************0");
    EXPECT_EQ(p.phone, "139****5678");
    EXPECT_EQ(p.gender, "M");
    EXPECT_EQ(p.birth_date, "1990-03-07");
    EXPECT_EQ(p.state, "collected");
    db->read([&](gridgov::store::Connection& c) {
        const auto row = c.run("SELECT id_number, phone FROM people").front();
        EXPECT_EQ(row.text("id_number").find("320115"), std::string::npos) << "encrypted at rest";
        EXPECT_EQ(row.text("phone").find("5678"), std::string::npos);
    });
    // the same document twice is one person
    EXPECT_EQ(code_of([&] { registry.add(zhang(), worker, origin); }), ErrorCode::conflict);
    auto bad = zhang();
    bad.id_number = "320115199003071231";
    EXPECT_EQ(code_of([&] { registry.add(bad, worker, origin); }), ErrorCode::invalid_field);
    bad = zhang();
    bad.id_number = "320115200002290023";
    bad.gender = "M";  // the number says a woman
    EXPECT_EQ(code_of([&] { registry.add(bad, worker, origin); }), ErrorCode::invalid_field);
    bad = zhang();
    bad.node_id = id_of("320115005002005");  // another community's grid
    bad.id_number = "320115200002290023";
    EXPECT_EQ(code_of([&] { registry.add(bad, worker, origin); }), ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] {
                  registry.add(zhang(), as(gridgov::accounts::Role::volunteer, std::nullopt),
                               origin);
              }),
              ErrorCode::forbidden);
}

TEST_P(PeopleRegistryTest, RevealingIsForRolesThatMayWithAReasonAndAudited) {
    const auto p = registry.add(zhang(), centre, origin);
    const auto worker = as(gridgov::accounts::Role::grid_worker, id_of("320115005001001"));
    EXPECT_EQ(code_of([&] { registry.get(p.id, worker, {"id_number"}, "核实身份", origin); }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { registry.get(p.id, centre, {"id_number"}, "", origin); }),
              ErrorCode::missing_field);
    // spaces are no reason, ASCII or the ideographic space of a Chinese keyboard
    for (const std::string blank : {"   ", "\t\n ", "\xE3\x80\x80\xE3\x80\x80\xE3\x80\x80"}) {
        EXPECT_EQ(code_of([&] { registry.get(p.id, centre, {"id_number"}, blank, origin); }),
                  ErrorCode::missing_field);
    }
    const auto shown =
        registry.get(p.id, centre, {"id_number", "phone"}, "核实走访对象身份", origin);
    EXPECT_EQ(shown.id_number, "320115199003071230");
    EXPECT_EQ(shown.phone, "13912345678");
    gridgov::accounts::AuditFilter filter;
    filter.action = "personal_data_viewed";
    std::int64_t total = 0;
    const auto records = audit.list(filter, gridgov::accounts::Scope::system(), 10, 0, &total);
    ASSERT_EQ(total, 1);
    EXPECT_EQ(records[0].target, fmt::format("person:{}", p.id));
    EXPECT_NE(records[0].detail.find("核实走访对象身份"), std::string::npos);
    // out of scope: not there at all
    const auto elsewhere = as(gridgov::accounts::Role::grid_worker, id_of("320115005002005"));
    EXPECT_EQ(code_of([&] { registry.get(p.id, elsewhere, {}, "", origin); }),
              ErrorCode::not_found);
}

TEST_P(PeopleRegistryTest, EditsCarryTheirVersionAndEveryChangeIsKept) {
    const auto p = registry.add(zhang(), centre, origin);
    const auto head = as(gridgov::accounts::Role::grid_head, id_of("320115005"));
    const auto verified = registry.set_state(p.id, "verified", 1, head, origin);
    EXPECT_EQ(verified.state, "verified");
    PersonFields change;
    change.employer = "南京禄口国际机场";
    change.phone = "13800001111";
    EXPECT_EQ(code_of([&] { registry.update(p.id, change, 1, centre, origin); }),
              ErrorCode::version_conflict);  // stale
    const auto after = registry.update(p.id, change, verified.version, centre, origin);
    EXPECT_EQ(after.version, 3);
    EXPECT_EQ(after.state, "collected");  // changed after verification: to be verified again
    EXPECT_EQ(after.phone, "138****1111");
    const auto history = registry.history(p.id, centre);
    ASSERT_EQ(history.size(), 3u);
    EXPECT_NE(history[2].changes.find("南京禄口国际机场"), std::string::npos);
    EXPECT_NE(history[2].changes.find("139****5678"), std::string::npos);  // masked both ways
    EXPECT_EQ(history[2].changes.find("13800001111"), std::string::npos);
}

TEST_P(PeopleRegistryTest, FindsPeopleByNameNumberAndPhoneWithinTheViewersScope) {
    registry.add(zhang(), centre, origin);
    auto li = zhang();
    li.name = "李秀英";
    li.id_number = "32011520000229002 3";
    li.phone = "13700002222";
    li.household_type = "floating";
    li.node_id = id_of("320115005002005");
    registry.add(li, centre, origin);
    const auto find = [&](PersonQuery q, const gridgov::accounts::Principal& who) {
        std::vector<std::string> names;
        for (const auto& p : registry.search(q, who, 50, 0, nullptr)) names.push_back(p.name);
        return names;
    };
    EXPECT_EQ(find({.name = "张"}, centre), std::vector<std::string>{"张建国"});
    EXPECT_EQ(find({.id_number = "320115200002290023"}, centre),
              std::vector<std::string>{"李秀英"});
    EXPECT_EQ(find({.phone = "137 0000 2222"}, centre), std::vector<std::string>{"李秀英"});
    EXPECT_TRUE(find({.id_number = "320115200002290024"}, centre).empty());
    const auto worker = as(gridgov::accounts::Role::grid_worker, id_of("320115005001001"));
    EXPECT_EQ(find({}, worker), std::vector<std::string>{"张建国"});  // their grid only
    EXPECT_EQ(find({.node_id = id_of("320115005002")}, centre), std::vector<std::string>{"李秀英"});
}

// The running counts the triggers keep equal a count of the records after adds, edits that move a
// person to another grid or change their state, merges and generated people.
TEST_P(PeopleRegistryTest, TheRunningCountsOfTheRegistryEqualACountOfTheRecords) {
    const auto tallies = [&] {
        std::vector<std::string> out;
        db->read([&](gridgov::store::Connection& c) {
            for (const auto& row : c.run("SELECT node_id, kind, key, n FROM registry_tallies WHERE "
                                         "n <> 0 ORDER BY node_id, kind, key")
                                       .rows)
                out.push_back(fmt::format("{} {} {} {}", row.integer("node_id"), row.text("kind"),
                                          row.text("key"), row.integer("n")));
        });
        return out;
    };
    const auto recounted = [&] {
        db->transact(
            [&](gridgov::store::Connection& c) { gridgov::registry::rebuild_registry_tallies(c); });
        return tallies();
    };
    gridgov::registry::RegistryScale scale;
    scale.people = 400;
    scale.rooms = 150;
    const auto made = gridgov::registry::generate_registry(*db, cipher, scale, clock.now(), {});
    EXPECT_GT(made.people, 380);
    EXPECT_EQ(made.rooms, 150);
    const auto generated = tallies();
    EXPECT_EQ(generated, recounted());
    EXPECT_FALSE(generated.empty());

    const auto p = registry.add(zhang(), centre, origin);
    auto other = zhang();
    other.id_number.reset();
    other.phone.reset();
    const auto q = registry.add(other, centre, origin);
    PersonFields move;
    move.node_id = id_of("320115005001002");
    move.household_type = "floating";
    registry.update(p.id, move, 1, centre, origin);
    registry.set_state(q.id, "verified", 1, centre, origin);
    const auto kept = tallies();
    EXPECT_EQ(kept, recounted());
    // the moved person counts in their new grid, as floating and collected
    const auto count_of = [&](const std::vector<std::string>& lines) {
        const auto prefix = fmt::format("{} people floating/collected ", id_of("320115005001002"));
        for (const auto& line : lines) {
            if (line.starts_with(prefix)) return std::stoll(line.substr(prefix.size()));
        }
        return 0LL;
    };
    EXPECT_EQ(count_of(kept), count_of(generated) + 1);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, PeopleRegistryTest,
                         ::testing::Values(gridgov::store::Dialect::sqlite,
                                           gridgov::store::Dialect::postgres),
                         [](const auto& info) {
                             return gridgov::test_support::dialect_name(info.param);
                         });
