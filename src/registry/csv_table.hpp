// CSV as spreadsheets write it (RFC 4180): fields separated by commas, quoted with double quotes
// when they hold commas, quotes or line breaks; a UTF-8 byte order mark at the start is skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gridgov::registry {

// The rows of the text, each a list of fields. Throws Error(invalid_field, "file") on a quote that
// never closes.
// At most this many lines (the header among them) and cells a line: more is refused with
// invalid_field on "file", before anything is read into records.
inline constexpr std::size_t kMaxCsvRows = 100'001;
inline constexpr std::size_t kMaxCsvColumns = 200;
std::vector<std::vector<std::string>> parse_csv(std::string_view text);

}  // namespace gridgov::registry
