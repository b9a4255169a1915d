// Values, rows and results that cross the Database interface. A Value is NULL, an integer, a
// real, text or bytes (BLOB / BYTEA); both drivers convert their native types to these, so domain
// code reads rows the same way on SQLite and PostgreSQL.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gridgov::store {

// Binary data: bound as a BLOB on SQLite and as binary BYTEA on PostgreSQL.
struct Bytes {
    std::string data;
    bool operator==(const Bytes&) const = default;
};

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Bytes>;

// An optional value as a statement's parameter: the value, or NULL. The one helper for it.
template <typename T>
Value optional_value(const std::optional<T>& v) {
    return v ? Value{*v} : Value{nullptr};
}

class Row {
  public:
    Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
        : columns_(std::move(columns)), values_(std::move(values)) {}

    std::size_t size() const { return values_.size(); }
    const Value& at(std::size_t i) const { return values_.at(i); }
    const Value& at(std::string_view column) const { return values_.at(index(column)); }

    bool is_null(std::string_view column) const;
    std::int64_t integer(std::string_view column) const;
    double real(std::string_view column) const;
    std::string text(std::string_view column) const;
    std::string bytes(std::string_view column) const;  // a BLOB / BYTEA (or text) as raw bytes
    std::optional<std::int64_t> opt_integer(std::string_view column) const;
    std::optional<std::string> opt_text(std::string_view column) const;

  private:
    std::size_t index(std::string_view column) const;

    std::shared_ptr<const std::vector<std::string>> columns_;
    std::vector<Value> values_;
};

struct Result {
    std::vector<Row> rows;
    std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE

    bool empty() const { return rows.empty(); }
    const Row& front() const { return rows.front(); }
};

}  // namespace gridgov::store
