// A table as an Excel workbook (.xlsx) of one sheet, the first row bold as its header, written
// by libxlsxwriter; for exports that people open in a spreadsheet.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gridgov::http {

// The bytes of the .xlsx file. Error(internal) when the workbook cannot be written.
std::string xlsx_table(const std::vector<std::vector<std::string>>& rows,
                       std::string_view sheet_name);

}  // namespace gridgov::http
