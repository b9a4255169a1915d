#include "http/xlsx_table.hpp"

#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace gridgov::http {

std::string xlsx_table(const std::vector<std::vector<std::string>>& rows,
                       std::string_view sheet_name) {
    // libxlsxwriter writes files; write one in the temporary directory and read it back
    const auto path =
        std::filesystem::temp_directory_path() / ("gridgov-export-" + random_token(9) + ".xlsx");
    lxw_workbook* book = workbook_new(path.c_str());
    if (!book) throw Error(ErrorCode::internal, "Cannot create the workbook.");
    const std::string name(sheet_name);
    lxw_worksheet* sheet = workbook_add_worksheet(book, name.c_str());
    lxw_format* bold = workbook_add_format(book);
    format_set_bold(bold);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
            worksheet_write_string(sheet, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                                   rows[r][c].c_str(), r == 0 ? bold : nullptr);
        }
    }
    if (!rows.empty()) {
        worksheet_freeze_panes(sheet, 1, 0);
        worksheet_set_column(sheet, 0, static_cast<lxw_col_t>(rows.front().size() - 1), 16,
                             nullptr);
    }
    if (workbook_close(book) != LXW_NO_ERROR) {
        std::filesystem::remove(path);
        throw Error(ErrorCode::internal, "Cannot write the workbook.");
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::filesystem::remove(path);
    return bytes.str();
}

}  // namespace gridgov::http
