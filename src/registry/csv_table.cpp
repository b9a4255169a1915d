#include "registry/csv_table.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace gridgov::registry {

namespace {

void row_done(std::vector<std::vector<std::string>>& rows, std::vector<std::string>&& row) {
    if (row.size() > kMaxCsvColumns)
        throw Error(ErrorCode::invalid_field,
                    fmt::format("第 {0} 行超过 {1} 列。 Line {0} has more than {1} columns.",
                                rows.size() + 1, kMaxCsvColumns),
                    "file");
    rows.push_back(std::move(row));
    if (rows.size() > kMaxCsvRows)
        throw Error(
            ErrorCode::invalid_field,
            fmt::format("文件超过 {0} 行，请分批导入。 A file has at most {0} lines; import "
                        "it in parts.",
                        kMaxCsvRows),
            "file");
}

}  // namespace

std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (quoted) {
            if (ch == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += ch;
            }
            continue;
        }
        if (ch == '"') {
            quoted = true;
            any = true;
        } else if (ch == ',') {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (ch == '\n' || ch == '\r') {
            if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (any || !field.empty()) {
                row.push_back(std::move(field));
                row_done(rows, std::move(row));
            }
            row.clear();
            field.clear();
            any = false;
        } else {
            field += ch;
            any = true;
        }
    }
    if (quoted) throw Error(ErrorCode::invalid_field, "A quoted field never ends.", "file");
    if (any || !field.empty()) {
        row.push_back(std::move(field));
        row_done(rows, std::move(row));
    }
    return rows;
}

}  // namespace gridgov::registry
