#include "store/bulk_load.hpp"

#include <fmt/format.h>

namespace gridgov::store {

namespace {

constexpr std::size_t kRows = 250;

std::string quoted_list(const std::vector<std::string>& tables) {
    std::string out;
    for (const auto& t : tables) out += fmt::format("{}'{}'", out.empty() ? "" : ", ", t);
    return out;
}

}  // namespace

BatchInsert::BatchInsert(std::string table, std::vector<std::string> columns,
                         std::vector<BatchInsert*> refers_to)
    : table_(std::move(table)), columns_(std::move(columns)), refers_to_(std::move(refers_to)) {}

void BatchInsert::add(Connection& c, std::initializer_list<Value> row) {
    pending_.insert(pending_.end(), row.begin(), row.end());
    if (pending_.size() >= kRows * columns_.size()) flush(c);
}

void BatchInsert::flush(Connection& c) {
    if (pending_.empty()) return;
    for (auto* other : refers_to_) other->flush(c);
    c.run(sql_for(pending_.size() / columns_.size()), pending_);
    written_ += static_cast<std::int64_t>(pending_.size() / columns_.size());
    pending_.clear();
}

std::string BatchInsert::sql_for(std::size_t rows) const {
    std::string names;
    for (const auto& c : columns_) names += (names.empty() ? "" : ", ") + c;
    std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ", table_, names);
    std::size_t n = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r ? ", (" : "(";
        for (std::size_t k = 0; k < columns_.size(); ++k)
            sql += fmt::format("{}${}", k ? ", " : "", ++n);
        sql += ")";
    }
    return sql;
}

IndexDefinitions secondary_indexes(Connection& c, const std::vector<std::string>& tables) {
    IndexDefinitions out;
    const auto rows =
        c.dialect() == Dialect::sqlite
            ? c.run(fmt::format("SELECT name, sql AS definition FROM sqlite_master WHERE type = "
                                "'index' AND sql IS NOT NULL AND tbl_name IN ({}) ORDER BY name",
                                quoted_list(tables)))
            : c.run(fmt::format("SELECT indexname AS name, indexdef AS definition FROM pg_indexes "
                                "i WHERE tablename IN ({}) AND NOT EXISTS (SELECT 1 FROM "
                                "pg_constraint k WHERE k.conname = i.indexname) ORDER BY "
                                "indexname",
                                quoted_list(tables)));
    for (const auto& row : rows.rows) out.emplace_back(row.text("name"), row.text("definition"));
    return out;
}

IndexDefinitions drop_secondary_indexes(Connection& c, const std::vector<std::string>& tables) {
    auto indexes = secondary_indexes(c, tables);
    for (const auto& [name, definition] : indexes) c.run(fmt::format("DROP INDEX {}", name));
    return indexes;
}

void make_indexes(Connection& c, const IndexDefinitions& indexes) {
    for (const auto& [name, definition] : indexes) c.run(definition);
}

void advance_id_sequences(Connection& c, const std::vector<std::string>& tables) {
    if (c.dialect() != Dialect::postgres) return;
    for (const auto& table : tables)
        c.run(
            fmt::format("SELECT setval(pg_get_serial_sequence('{0}', 'id'), (SELECT "
                        "COALESCE(MAX(id), 0) + 1 FROM {0}), false)",
                        table));
}

}  // namespace gridgov::store
