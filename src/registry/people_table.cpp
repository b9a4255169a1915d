#include "registry/people_table.hpp"

#include <fmt/format.h>

#include <map>

namespace gridgov::registry {

namespace {

const std::map<std::string, std::string> kColumns{
    {"姓名", "name"},
    {"name", "name"},
    {"证件类型", "id_type"},
    {"id_type", "id_type"},
    {"身份证号", "id_number"},
    {"公民身份号码", "id_number"},
    {"证件号码", "id_number"},
    {"id_number", "id_number"},
    {"性别", "gender"},
    {"gender", "gender"},
    {"出生日期", "birth_date"},
    {"birth_date", "birth_date"},
    {"民族", "ethnicity"},
    {"ethnicity", "ethnicity"},
    {"手机", "phone"},
    {"联系电话", "phone"},
    {"phone", "phone"},
    {"户籍类型", "household_type"},
    {"人口类型", "household_type"},
    {"household_type", "household_type"},
    {"户籍地址", "registered_address"},
    {"registered_address", "registered_address"},
    {"工作单位", "employer"},
    {"服务处所", "employer"},
    {"employer", "employer"},
    {"网格编码", "grid"},
    {"网格", "grid"},
    {"grid", "grid"},
};

const std::map<std::string, std::string> kValues{
    {"户籍", "registered"},
    {"户籍人口", "registered"},
    {"流动", "floating"},
    {"流动人口", "floating"},
    {"境外", "overseas"},
    {"境外人员", "overseas"},
    {"未落户", "unregistered"},
    {"男", "M"},
    {"女", "F"},
    {"居民身份证", "resident_id"},
    {"身份证", "resident_id"},
    {"护照", "passport"},
    {"港澳居民来往内地通行证", "hk_macao_permit"},
    {"台湾居民来往大陆通行证", "taiwan_permit"},
    {"外国人永久居留身份证", "foreign_permanent"},
    {"其他", "other"},
};

std::string trimmed(const std::string& s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

std::string value_of(const std::string& v) {
    const auto it = kValues.find(v);
    return it == kValues.end() ? v : it->second;
}

}  // namespace

bool is_people_table_field(const std::string& field) {
    for (const auto& [header, f] : kColumns) {
        if (f == field) return true;
    }
    return false;
}

PeopleTable read_people_table(const std::vector<std::vector<std::string>>& table,
                              grid::GridService& grid,
                              const std::map<std::string, std::string>& mapping) {
    PeopleTable out;
    if (table.empty()) {
        out.problems.push_back({1, "file", "The file has no header row."});
        return out;
    }
    std::vector<std::string> fields;  // per column: the field it fills, or ""
    for (const auto& cell : table.front()) {
        const std::string header = trimmed(cell);
        std::string field;
        if (const auto mapped = mapping.find(header); mapped != mapping.end()) {
            field = mapped->second;
        } else if (const auto it = kColumns.find(header); it != kColumns.end()) {
            field = it->second;
        }
        fields.push_back(field);
        out.columns.emplace_back(header, field);
        if (field.empty() && !header.empty()) out.ignored_columns.push_back(header);
    }
    for (std::size_t r = 1; r < table.size(); ++r) {
        const int line = static_cast<int>(r) + 1;
        const auto& cells = table[r];
        PersonFields f;
        bool empty = true;
        for (std::size_t c = 0; c < cells.size() && c < fields.size(); ++c) {
            const std::string v = trimmed(cells[c]);
            if (v.empty()) continue;
            empty = false;  // a line with anything in it is read, even if no column is known
            if (fields[c].empty()) continue;
            const auto& field = fields[c];
            if (field == "name") f.name = v;
            if (field == "id_type") f.id_type = value_of(v);
            if (field == "id_number") f.id_number = v;
            if (field == "gender") f.gender = value_of(v);
            if (field == "birth_date") f.birth_date = v;
            if (field == "ethnicity") f.ethnicity = v;
            if (field == "phone") f.phone = v;
            if (field == "household_type") f.household_type = value_of(v);
            if (field == "registered_address") f.registered_address = v;
            if (field == "employer") f.employer = v;
            if (field == "grid") {
                if (const auto node = grid.find_by_code(v)) {
                    f.node_id = node->id;
                } else {
                    out.problems.push_back({line, "grid", fmt::format("No grid has code {}.", v)});
                    f.node_id = -1;
                }
            }
        }
        if (empty) continue;                          // a blank line
        if (f.node_id && *f.node_id == -1) continue;  // its grid is reported already
        if (!f.source) f.source = "imported";
        out.rows.push_back(std::move(f));
        out.lines.push_back(line);
    }
    return out;
}

std::vector<std::vector<std::string>> write_people_table(const std::vector<Person>& people,
                                                         const grid::GridService& grid) {
    // the first Chinese name of each value, as the reader takes it back
    const auto label = [](const std::string& value) {
        for (const auto& [zh, v] : kValues) {
            if (v == value && zh != "身份证" && zh != "户籍人口" && zh != "流动人口" &&
                zh != "境外人员")
                return zh;
        }
        return value;
    };
    std::vector<std::vector<std::string>> rows{
        {"姓名", "证件类型", "证件号码", "性别", "出生日期", "年龄", "民族", "联系电话", "户籍类型",
         "户籍地址", "工作单位", "网格编码", "网格名称", "状态", "编号"}};
    const auto snapshot = grid.snapshot();
    for (const auto& p : people) {
        const auto* node = snapshot->node(p.node_id);
        rows.push_back(
            {p.name, label(p.id_type), p.id_number.value_or(""), p.gender ? label(*p.gender) : "",
             p.birth_date_shown ? p.birth_date.value_or("") : "",
             p.age ? std::to_string(*p.age) : "", p.ethnicity.value_or(""), p.phone.value_or(""),
             label(p.household_type), p.registered_address.value_or(""), p.employer.value_or(""),
             node ? node->code : "", node ? node->name : "",
             p.state == "verified"  ? "已核实"
             : p.state == "flagged" ? "存疑"
                                    : "已采集",
             std::to_string(p.id)});
    }
    return rows;
}

}  // namespace gridgov::registry
