// Versioned schema migrations, embedded in the binary from src/store/migrations/NNNN_name.sql.
// migrate() applies the pending ones in order, each in its own transaction, and is safe to run
// from several processes at once (PostgreSQL: an advisory lock; SQLite: the write lock).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace gridgov::store {

struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;  // may use {{pk}} and {{text_pattern_ops}}, replaced per dialect
};

std::span<const Migration> embedded_migrations();

// The SQL of a migration for a dialect.
std::string migration_sql(std::string_view sql, Dialect dialect);
// The highest applied version, 0 for an empty database.
int schema_version(Database& db);
// Applies what is pending; returns how many were applied.
int migrate(Database& db);

}  // namespace gridgov::store
