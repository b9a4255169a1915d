#include "http/table_response.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "http/xlsx_table.hpp"

namespace gridgov::http {

namespace {

std::string csv_field(std::string_view text) {
    // a cell that a spreadsheet would run as a formula (OWASP's CSV injection rule: it begins
    // with = + - @, a tab or a carriage return) is written as text, behind a single quote
    const bool formula =
        !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
    if (!formula && text.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(text);
    std::string out = formula ? "\"'" : "\"";
    for (char ch : text) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

}  // namespace

std::string csv_text(const Table& rows) {
    std::string out = "\xEF\xBB\xBF";
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c) out += ',';
            out += csv_field(row[c]);
        }
        out += "\r\n";
    }
    return out;
}

Response table_response(const Table& rows, std::string_view format, std::string_view file_stem,
                        std::string_view sheet_name) {
    Response res;
    res.status = 200;
    if (format == "csv") {
        res.body = csv_text(rows);
        res.set_header("Content-Type", "text/csv; charset=utf-8");
    } else if (format == "xlsx") {
        res.body = xlsx_table(rows, sheet_name);
        res.set_header("Content-Type",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    } else {
        throw Error(ErrorCode::invalid_field, "The format is csv or xlsx.", "format");
    }
    res.set_header("Content-Disposition",
                   fmt::format("attachment; filename=\"{}.{}\"", file_stem, format));
    return res;
}

}  // namespace gridgov::http
