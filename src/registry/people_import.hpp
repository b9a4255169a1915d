// Reading people from a table (a CSV file, or a workbook's sheet as CSV): the header row names the
// columns, in Chinese or English (姓名/name, 身份证号/id_number, 手机/phone,
// 户籍类型/household_type, 网格编码/grid …), values in Chinese or English (户籍/registered, 男/M
// …); a grid is given by its code. What cannot be read becomes a problem of its line;
// PeopleRegistry::import does the rest.
#pragma once

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
};

PeopleTable read_people_table(const std::vector<std::vector<std::string>>& table,
                              grid::GridService& grid);

}  // namespace gridgov::registry
