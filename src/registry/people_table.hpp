// People as a table (a CSV file, or a workbook's sheet): reading one for an import, the header row
// naming the columns in Chinese or English (姓名/name, 身份证号/id_number, 手机/phone,
// 户籍类型/household_type, 网格编码/grid …) or through an explicit column mapping, values in
// Chinese or English (户籍/registered, 男/M …), a grid by its code; what cannot be read becomes a
// problem of its line and PeopleRegistry::import does the rest. And writing one for an export, in
// the same columns, so that an exported file imports again.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "grid/grid_service.hpp"
#include "registry/people_registry.hpp"

namespace gridgov::registry {

struct PeopleTable {
    std::vector<PersonFields> rows;
    std::vector<int> lines;                    // the file line of each row
    std::vector<ImportProblem> problems;       // lines that could not be read at all
    std::vector<std::string> ignored_columns;  // headers that name no field
    // each header and the field it fills ("" for none)
    std::vector<std::pair<std::string, std::string>> columns;
};

// The fields a column can fill: name, id_type, id_number, gender, birth_date, ethnicity, phone,
// household_type, registered_address, employer, grid.
bool is_people_table_field(const std::string& field);

// `mapping` (header → field, "" to ignore a column) comes before the names the reader knows.
PeopleTable read_people_table(const std::vector<std::vector<std::string>>& table,
                              grid::GridService& grid,
                              const std::map<std::string, std::string>& mapping = {});

// The header and one row per person, values in Chinese as the import reads them.
std::vector<std::vector<std::string>> write_people_table(const std::vector<Person>& people,
                                                         const grid::GridService& grid);

}  // namespace gridgov::registry
