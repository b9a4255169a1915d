// A table (header row first) as a file to download: CSV (UTF-8 with a byte order mark, so that
// spreadsheet programs read Chinese) or an Excel workbook, named for the browser to save.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"

namespace gridgov::http {

using Table = std::vector<std::vector<std::string>>;

// The text of a CSV file (RFC 4180, CRLF line ends), BOM first.
std::string csv_text(const Table& rows);
// format "csv" or "xlsx"; the file is `file_stem`.csv / .xlsx.
Response table_response(const Table& rows, std::string_view format, std::string_view file_stem,
                        std::string_view sheet_name);

}  // namespace gridgov::http
