#include "registry/registry_generator.hpp"

#include <fmt/format.h>

#include <array>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <random>
#include <vector>

#include "core/error.hpp"
#include "core/working_calendar.hpp"
#include "registry/identity_number.hpp"
#include "registry/person_tags.hpp"
#include "registry/registry_figures.hpp"
#include "store/bulk_load.hpp"

namespace gridgov::registry {

using store::Value;

namespace {

constexpr std::array<std::string_view, 40> kSurnames{
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡"};
constexpr std::array<std::string_view, 64> kGiven{
    "伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "霞", "平", "刚", "桂", "兰", "华", "玉", "萍", "红", "建", "国", "文", "辉",
    "鹏", "飞", "宇", "浩", "欣", "怡", "梓", "涵", "子", "轩", "雨", "晨", "思", "博", "佳", "琪",
    "嘉", "俊", "晓", "梅", "海", "波", "春", "燕", "志", "云", "峰", "婷", "凯", "瑞", "昊", "然"};
constexpr std::array<std::string_view, 12> kCompoundWords{
    "翠屏", "秦淮", "金陵", "紫金", "玄武", "钟山", "雨花", "栖霞", "龙湖", "凤凰", "梧桐", "长江"};
constexpr std::array<std::string_view, 4> kCompoundKinds{"花园", "新村", "苑", "小区"};
// where the floating population's documents were issued
constexpr std::array<std::string_view, 8> kOtherDivisions{"340104", "410102", "320321", "510104",
                                                          "430102", "360102", "321302", "420106"};

struct Leaf {
    std::int64_t id;
    std::string code, path;
};

// The identity numbers given out so far, by district, birth day and sequence.
class NumberBook {
  public:
    // A free 17-digit body for the division, birth date and gender, its sequence near `seq`.
    std::string take(const std::string& division, int y, int m, int d, char gender, int seq) {
        auto& used = used_[division];
        if (used.empty()) used.assign(static_cast<std::size_t>(130 * 372) * 1000, false);
        const std::size_t day = static_cast<std::size_t>((y - 1900) * 372 + (m - 1) * 31 + d - 1);
        seq = (seq / 2) * 2 + (gender == 'M' ? 1 : 0);  // odd for men
        for (int tries = 0; tries < 500; ++tries, seq = (seq + 2) % 1000) {
            const std::size_t at = day * 1000 + static_cast<std::size_t>(seq);
            if (used[at]) continue;
            used[at] = true;
            return fmt::format("{}{:04}{:02}{:02}{:03}", division, y, m, d, seq);
        }
        return {};
    }

  private:
    std::map<std::string, std::vector<bool>> used_;
};

const std::vector<std::string> kTables{"addresses", "households", "people", "residences",
                                       "person_tags"};

struct Resident {
    int age;
    char gender;
    std::string relation;  // to the head
};

}  // namespace

GeneratedRegistry generate_registry(store::Database& db, const FieldCipher& cipher,
                                    const RegistryScale& scale, Millis now,
                                    const std::function<void(std::string_view)>& progress) {
    GeneratedRegistry out;
    std::vector<Leaf> leaves;
    std::map<std::string, std::vector<std::string>> codes;  // code table → codes
    std::int64_t next_address = 1, next_household = 1, next_person = 1, next_residence = 1,
                 next_tag = 1;
    db.read([&](store::Connection& c) {
        if (c.run("SELECT 1 FROM people LIMIT 1").rows.size() +
                c.run("SELECT 1 FROM addresses LIMIT 1").rows.size() >
            0)
            throw Error(ErrorCode::conflict, "The registry has records already.");
        for (const auto& row : c.run("SELECT g.id, g.code, g.path FROM grid_nodes g WHERE g.level "
                                     ">= 5 AND NOT EXISTS (SELECT 1 FROM grid_nodes k WHERE "
                                     "k.parent_id = g.id) ORDER BY g.code")
                                   .rows)
            leaves.push_back({row.integer("id"), row.text("code"), row.text("path")});
        for (const auto& row : c.run("SELECT table_name, code FROM code_tables ORDER BY "
                                     "table_name, code")
                                   .rows)
            codes[row.text("table_name")].push_back(row.text("code"));
        const auto max_of = [&](const char* table) {
            return c.run(fmt::format("SELECT COALESCE(MAX(id), 0) AS m FROM {}", table))
                       .front()
                       .integer("m") +
                   1;
        };
        next_household = max_of("households");
        next_residence = max_of("residences");
        next_tag = max_of("person_tags");
    });
    if (leaves.empty()) throw Error(ErrorCode::conflict, "The grid tree has no grids.");
    store::IndexDefinitions indexes, triggers;
    db.transact([&](store::Connection& c) {
        indexes = store::drop_secondary_indexes(c, kTables);
        // the running counts are made once at the end, not row by row
        if (c.dialect() == store::Dialect::sqlite) {
            for (const auto& row :
                 c.run("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                       "('addresses', 'households', 'people', 'residences', 'person_tags')")
                     .rows)
                triggers.emplace_back(row.text("name"), row.text("sql"));
            for (const auto& [name, definition] : triggers)
                c.run(fmt::format("DROP TRIGGER {}", name));
        } else {
            for (const char* table : {"addresses", "households", "people", "person_tags"})
                c.run(fmt::format("ALTER TABLE {} DISABLE TRIGGER USER", table));
        }
        // a bulk load on SQLite: a large page cache for this connection
        if (c.dialect() == store::Dialect::sqlite) c.run_script("PRAGMA cache_size=-1048576");
    });
    out.grids = static_cast<std::int64_t>(leaves.size());

    std::mt19937_64 rng(scale.seed);
    const auto pick = [&](std::size_t n) {
        return static_cast<std::size_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng));
    };
    const auto chance = [&](double p) { return std::uniform_real_distribution<>(0, 1)(rng) < p; };
    const auto between = [&](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    const int this_year = std::stoi(day_string(local_day(now)).substr(0, 4));
    NumberBook numbers;

    store::BatchInsert addresses(
        "addresses",
        {"id", "parent_id", "level", "name", "full_name", "node_id", "node_path", "floor",
         "room_use", "area_m2", "source", "state", "collected_at", "updated_at"});
    store::BatchInsert households("households",
                                  {"id", "number", "kind", "room_id", "node_id", "node_path",
                                   "source", "state", "collected_at", "updated_at"},
                                  {&addresses});
    store::BatchInsert people("people",
                              {"id",
                               "name",
                               "id_type",
                               "id_number",
                               "id_number_hash",
                               "id_number_masked",
                               "gender",
                               "birth_date",
                               "ethnicity",
                               "phone",
                               "phone_hash",
                               "phone_masked",
                               "household_type",
                               "household_id",
                               "relation_to_head",
                               "node_id",
                               "node_path",
                               "source",
                               "state",
                               "collected_at",
                               "verified_at",
                               "updated_at"},
                              {&households});
    store::BatchInsert residences(
        "residences", {"id", "person_id", "room_id", "relation", "from_date", "created_at"},
        {&people});
    store::BatchInsert tags(
        "person_tags",
        {"id", "person_id", "tag", "attributes", "attention", "visit_every_days", "last_visit_at",
         "created_at", "updated_at", "node_path"},
        {&people});

    const std::int64_t grids = out.grids;
    std::int64_t grid_index = 0;
    std::vector<Value> heads;  // household, its head, …
    db.read([&](store::Connection& c) {
        next_address =
            c.run("SELECT COALESCE(MAX(id), 0) + 1 AS m FROM addresses").front().integer("m");
        next_person =
            c.run("SELECT COALESCE(MAX(id), 0) + 1 AS m FROM people").front().integer("m");
    });

    constexpr std::int64_t kGridsPerTransaction = 40;
    for (std::size_t batch = 0; batch < leaves.size(); batch += kGridsPerTransaction) {
        db.transact([&](store::Connection& c) {
            for (std::size_t g = batch; g < std::min(leaves.size(), batch + kGridsPerTransaction);
                 ++g, ++grid_index) {
                const Leaf& leaf = leaves[g];
                // this grid's share of rooms and people
                const std::int64_t rooms =
                    scale.rooms * (grid_index + 1) / grids - scale.rooms * grid_index / grids;
                std::int64_t persons =
                    scale.people * (grid_index + 1) / grids - scale.people * grid_index / grids;
                const std::string district = leaf.code.substr(0, 6);
                const Millis collected_base = now - 730 * kDay;

                const std::string compound =
                    fmt::format("{}{}{}", kCompoundWords[pick(kCompoundWords.size())],
                                kCompoundKinds[pick(kCompoundKinds.size())], g % 97 + 1);
                const std::int64_t compound_id = next_address++;
                const Millis at = collected_base + between(0, 700) * kDay;
                addresses.add(
                    c, {compound_id, nullptr, "compound", compound, compound, leaf.id, leaf.path,
                        nullptr, nullptr, nullptr, "imported", "verified", at, at});
                std::int64_t building_id = 0, unit_id = 0;
                for (std::int64_t r = 0; r < rooms; ++r) {
                    const std::int64_t building = r / 48 + 1, unit = (r % 48) / 24 + 1;
                    const int floor = static_cast<int>((r % 24) / 2 + 1);
                    const std::string building_name = fmt::format("{}栋", building);
                    const std::string unit_name = fmt::format("{}单元", unit);
                    if (r % 48 == 0) {
                        building_id = next_address++;
                        addresses.add(c, {building_id, compound_id, "building", building_name,
                                          compound + building_name, leaf.id, leaf.path, nullptr,
                                          nullptr, nullptr, "imported", "verified", at, at});
                    }
                    if (r % 24 == 0) {
                        unit_id = next_address++;
                        addresses.add(
                            c, {unit_id, building_id, "unit", unit_name,
                                compound + building_name + unit_name, leaf.id, leaf.path, nullptr,
                                nullptr, nullptr, "imported", "verified", at, at});
                    }
                    const std::string room_name = fmt::format("{}{:02}室", floor, r % 2 + 1);
                    const double u = std::uniform_real_distribution<>(0, 1)(rng);
                    const char* use = u < 0.64   ? "self_occupied"
                                      : u < 0.86 ? "rented"
                                      : u < 0.98 ? "vacant"
                                                 : "business";
                    const std::int64_t room_id = next_address++;
                    addresses.add(
                        c, {room_id, unit_id, "room", room_name,
                            compound + building_name + unit_name + room_name, leaf.id, leaf.path,
                            std::int64_t{floor}, use, static_cast<double>(between(45, 160)),
                            "imported", "verified", at, at});
                    ++out.rooms;
                    const bool lived_in = std::string_view(use) == "self_occupied" ||
                                          std::string_view(use) == "rented";
                    if (!lived_in || persons <= 0) continue;

                    // a household of one to six; the last rooms take whoever is left
                    const std::int64_t rooms_left = rooms - r;
                    static constexpr std::array<int, 6> kSizeWeights{20, 30, 25, 15, 7, 3};
                    int size = static_cast<int>(std::discrete_distribution<int>(
                                   kSizeWeights.begin(), kSizeWeights.end())(rng)) +
                               1;
                    if (persons / std::max<std::int64_t>(rooms_left * 8 / 10, 1) > 3)
                        size += static_cast<int>(persons / std::max<std::int64_t>(rooms_left, 1));
                    size = static_cast<int>(std::min<std::int64_t>(size, persons));
                    persons -= size;
                    const bool rented = std::string_view(use) == "rented";
                    const std::int64_t household_id = next_household++;
                    heads.insert(heads.end(), {household_id, next_person});
                    households.add(
                        c, {household_id, fmt::format("{}{:05}", leaf.code, household_id % 100000),
                            "family", room_id, leaf.id, leaf.path, "imported", "verified", at, at});
                    std::vector<Resident> members;
                    const int head_age = static_cast<int>(between(24, 85));
                    const char head_gender = chance(0.5) ? 'M' : 'F';
                    members.push_back({head_age, head_gender, "01"});
                    if (size >= 2)
                        members.push_back(
                            {std::clamp(head_age + static_cast<int>(between(-5, 5)), 20, 95),
                             head_gender == 'M' ? 'F' : 'M', "02"});
                    for (int k = 2; k < size; ++k) {
                        if (k == size - 1 && size >= 5 && head_age < 60)
                            members.push_back(
                                {std::min(head_age + 28, 98), chance(0.5) ? 'M' : 'F', "04"});
                        else
                            members.push_back(
                                {std::max(0, head_age - static_cast<int>(between(20, 35))),
                                 chance(0.5) ? 'M' : 'F', "03"});
                    }
                    const std::string household_type =
                        rented         ? "floating"
                        : chance(0.02) ? "unregistered"
                                       : (chance(0.004) ? "overseas" : "registered");
                    const std::string division =
                        rented ? std::string(kOtherDivisions[pick(kOtherDivisions.size())])
                               : district;
                    const Millis collected = collected_base + between(0, 720) * kDay;
                    const std::string_view head_surname = kSurnames[pick(kSurnames.size())];
                    for (const auto& m : members) {
                        const std::int64_t person_id = next_person++;
                        const int y = std::max(1900, this_year - m.age - 1);
                        const int month = static_cast<int>(between(1, 12));
                        const int day = static_cast<int>(between(1, 28));
                        // the head and the children share a surname
                        std::string name(m.relation == "01" || m.relation == "03"
                                             ? head_surname
                                             : kSurnames[pick(kSurnames.size())]);
                        name += kGiven[pick(kGiven.size())];
                        if (chance(0.7)) name += kGiven[pick(kGiven.size())];
                        std::optional<std::string> number;
                        if (household_type != "overseas") {
                            const auto body = numbers.take(division, y, month, day, m.gender,
                                                           static_cast<int>(between(0, 999)));
                            if (!body.empty()) number = body + identity_check_character(body);
                        }
                        std::optional<std::string> phone;
                        if (m.age >= 16 && chance(0.85))
                            phone =
                                fmt::format("1{}{:09}", "35789"[pick(5)], between(0, 999999999));
                        const double s = std::uniform_real_distribution<>(0, 1)(rng);
                        const char* state = s < 0.85   ? "verified"
                                            : s < 0.99 ? "collected"
                                                       : "flagged";
                        const Millis verified = collected + between(1, 20) * kDay;
                        people.add(
                            c,
                            {person_id,
                             name,
                             household_type == "overseas" ? "passport" : "resident_id",
                             number ? Value{cipher.encrypt(*number)} : Value{nullptr},
                             number ? Value{cipher.lookup_hash("resident_id:" + *number)}
                                    : Value{nullptr},
                             number ? Value{mask_identity_number(*number)} : Value{nullptr},
                             std::string(1, m.gender),
                             fmt::format("{:04}-{:02}-{:02}", y, month, day),
                             chance(0.985) ? "汉族" : (chance(0.5) ? "回族" : "满族"),
                             phone ? Value{cipher.encrypt(*phone)} : Value{nullptr},
                             phone ? Value{cipher.lookup_hash("phone:" + *phone)} : Value{nullptr},
                             phone ? Value{mask_phone(*phone)} : Value{nullptr},
                             household_type,
                             household_id,
                             m.relation,
                             leaf.id,
                             leaf.path,
                             "imported",
                             state,
                             collected,
                             std::string_view(state) == "verified" && verified < now
                                 ? Value{verified}
                                 : Value{nullptr},
                             collected});
                        residences.add(
                            c, {next_residence++, person_id, room_id,
                                rented ? "tenant" : (m.relation == "01" ? "owner" : "family"),
                                day_string(local_day(collected)), collected});
                        // the groups, at about the rates grid workers find them
                        const auto tag = [&](const char* name) {
                            const auto* def = find_tag(name);
                            boost::json::object attributes;
                            for (const auto& a : def->attributes) {
                                const auto& table = codes[std::string(a.code_table)];
                                if (a.required && !table.empty())
                                    attributes[a.name] = table[pick(table.size())];
                            }
                            const Millis last =
                                now - between(0, def->visit_every_days * 13 / 10) * kDay;
                            tags.add(
                                c, {next_tag++, person_id, name, boost::json::serialize(attributes),
                                    "02", std::int64_t{def->visit_every_days}, last, collected,
                                    collected, leaf.path});
                            ++out.group_tags;
                        };
                        if (size == 1 && m.age >= 70) tag("elderly_alone");
                        if (chance(0.012)) tag("disabled");
                        if (m.relation == "01" && chance(0.006)) tag("low_income");
                        if (m.age >= 16 && chance(0.0045)) tag("severe_mental_disorder");
                        if (m.age >= 18 && chance(0.0002)) tag("community_correction");
                        if (m.age >= 20 && chance(0.0006)) tag("released_prisoner");
                        if (m.age >= 16 && chance(0.0004)) tag("drug_user");
                        if (m.age >= 12 && m.age <= 25 && chance(0.002)) tag("key_youth");
                        if (m.age <= 16 && chance(0.004)) tag("left_behind");
                    }
                }
            }
            addresses.flush(c);
            households.flush(c);
            people.flush(c);
            residences.flush(c);
            tags.flush(c);
            // each household's head, now that its people are in, many to a statement
            for (std::size_t from = 0; from < heads.size(); from += 1000) {
                const std::size_t n = std::min<std::size_t>(1000, heads.size() - from);
                std::string values;
                for (std::size_t k = 0; k < n; k += 2)
                    values += fmt::format("{}(CAST(${} AS BIGINT), CAST(${} AS BIGINT))",
                                          k ? ", " : "", k + 1, k + 2);
                c.run(fmt::format("UPDATE households SET head_person_id = v.column2 FROM (VALUES "
                                  "{}) AS v WHERE households.id = v.column1",
                                  values),
                      std::vector<Value>(heads.begin() + static_cast<std::ptrdiff_t>(from),
                                         heads.begin() + static_cast<std::ptrdiff_t>(from + n)));
            }
            heads.clear();
        });
        if (progress && (batch / kGridsPerTransaction) % 25 == 0)
            progress(fmt::format("{} of {} grids, {} people",
                                 std::min(leaves.size(), batch + kGridsPerTransaction),
                                 leaves.size(), people.written()));
    }
    out.addresses = addresses.written();
    out.households = households.written();
    out.people = people.written();
    out.residences = residences.written();
    db.transact([&](store::Connection& c) { store::advance_id_sequences(c, kTables); });
    if (progress) progress(fmt::format("making {} indexes again", indexes.size()));
    db.transact([&](store::Connection& c) {
        store::make_indexes(c, indexes);
        rebuild_registry_tallies(c);
        for (const auto& [name, definition] : triggers) c.run(definition);
        if (c.dialect() == store::Dialect::postgres) {
            for (const char* table : {"addresses", "households", "people", "person_tags"})
                c.run(fmt::format("ALTER TABLE {} ENABLE TRIGGER USER", table));
        }
    });
    if (progress) progress("analysing the tables for the query planner");
    db.transact([&](store::Connection& c) { c.run_script("ANALYZE"); });
    return out;
}

}  // namespace gridgov::registry
