// Fresh databases for tests, on either driver: a new SQLite file in a temporary directory, or a
// new database on the private PostgreSQL server that ctest starts (its URL in the file named by
// GRIDGOV_TEST_PG_STATE/url). Each call gives an empty, migrated database.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "store/database.hpp"

namespace gridgov::test_support {

// The URL of a new, empty database for the dialect (creates it on PostgreSQL).
std::string fresh_database_url(store::Dialect dialect);
std::unique_ptr<store::Database> fresh_database(store::Dialect dialect, std::size_t pool_size = 4,
                                                bool migrated = true);
std::string dialect_name(store::Dialect dialect);

// The code of the Error that fn throws; a test failure (and internal) when it throws none.
ErrorCode code_of(const std::function<void()>& fn);

}  // namespace gridgov::test_support
