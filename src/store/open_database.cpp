#include <fmt/format.h>

#include "core/error.hpp"
#include "store/database.hpp"
#include "store/postgres_database.hpp"
#include "store/sqlite_database.hpp"

namespace gridgov::store {

std::unique_ptr<Database> open_database(const std::string& url, std::size_t pool_size,
                                        std::chrono::milliseconds acquire_timeout) {
    if (url.starts_with("sqlite:")) {
        std::string path = url.substr(7);
        if (path.starts_with("//")) path = path.substr(2);  // sqlite://relative/or//absolute
        if (path.empty())
            throw Error(ErrorCode::invalid_field, "sqlite: needs a file path", "database.url");
        return std::make_unique<SqliteDatabase>(path, pool_size, acquire_timeout);
    }
    if (url.starts_with("postgresql://") || url.starts_with("postgres://") ||
        url.starts_with("host=") || url.starts_with("dbname=")) {
        return std::make_unique<PostgresDatabase>(url, pool_size, acquire_timeout);
    }
    throw Error(ErrorCode::invalid_field,
                fmt::format("database URL must start with sqlite: or postgresql://, not '{}'", url),
                "database.url");
}

}  // namespace gridgov::store
