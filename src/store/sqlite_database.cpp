#include "store/sqlite_database.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <unordered_map>

#include "core/error.hpp"

namespace gridgov::store {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
    const std::string message =
        fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    const int primary = rc & 0xff;
    if (primary == SQLITE_CONSTRAINT) throw Error(ErrorCode::conflict, message);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        throw Error(ErrorCode::unavailable, message);
    throw std::runtime_error(message);
}

class SqliteConnection final : public Connection {
  public:
    explicit SqliteConnection(const std::string& path) {
        // a new database file holds personal data: readable by its owner alone (SQLite gives its
        // journal and WAL files the same mode)
        if (!path.empty() && path != ":memory:" && !path.starts_with("file:")) {
            const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd >= 0) ::close(fd);
        }
        const int flags =
            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
        const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
        if (rc != SQLITE_OK) {
            std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close_v2(db_);
            throw Error(ErrorCode::unavailable, fmt::format("cannot open {}: {}", path, message));
        }
        sqlite3_busy_timeout(db_, 5000);
        sqlite3_extended_result_codes(db_, 1);
        // case_sensitive_like: LIKE compares as on PostgreSQL, and a prefix LIKE on an indexed
        // column ("node_path LIKE '/1/5/%'", "name LIKE '王%'") reads a range of the index
        run_script(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=0; "
            "PRAGMA case_sensitive_like=ON;");
    }

    ~SqliteConnection() override {
        for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
        sqlite3_close_v2(db_);
    }

    Result run_values(std::string_view sql, std::span<const Value> params) override {
        sqlite3_stmt* stmt = prepare(sql);
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        int index = 1;
        for (const Value& p : params) bind(stmt, index++, p);
        if (index - 1 != sqlite3_bind_parameter_count(stmt)) {
            throw std::invalid_argument(fmt::format("statement takes {} parameters, got {}: {}",
                                                    sqlite3_bind_parameter_count(stmt), index - 1,
                                                    sql));
        }
        Result result;
        std::shared_ptr<std::vector<std::string>> columns;
        const int ncols = sqlite3_column_count(stmt);
        for (;;) {
            const int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) {
                sqlite3_reset(stmt);
                fail(db_, rc, "query failed");
            }
            if (!columns) {
                columns = std::make_shared<std::vector<std::string>>();
                for (int i = 0; i < ncols; ++i) columns->emplace_back(sqlite3_column_name(stmt, i));
            }
            std::vector<Value> values;
            values.reserve(static_cast<std::size_t>(ncols));
            for (int i = 0; i < ncols; ++i) values.push_back(column(stmt, i));
            result.rows.emplace_back(columns, std::move(values));
        }
        result.affected = sqlite3_changes64(db_);
        sqlite3_reset(stmt);
        return result;
    }

    void run_script(std::string_view sql) override {
        char* message = nullptr;
        const std::string text(sql);
        const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
        if (rc != SQLITE_OK) {
            std::string what = message ? message : sqlite3_errstr(rc);
            sqlite3_free(message);
            throw std::runtime_error("script failed: " + what);
        }
    }

    Dialect dialect() const override { return Dialect::sqlite; }
    bool healthy() override { return db_ != nullptr; }

  private:
    sqlite3_stmt* prepare(std::string_view sql) {
        const std::string key(sql);
        if (auto it = statements_.find(key); it != statements_.end()) return it->second;
        const std::string translated = sqlite_placeholders(sql);
        sqlite3_stmt* stmt = nullptr;
        const int rc =
            sqlite3_prepare_v3(db_, translated.c_str(), static_cast<int>(translated.size()),
                               SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK) fail(db_, rc, fmt::format("cannot prepare '{}'", sql));
        statements_.emplace(key, stmt);
        return stmt;
    }

    static void bind(sqlite3_stmt* stmt, int index, const Value& v) {
        if (std::holds_alternative<std::nullptr_t>(v)) {
            sqlite3_bind_null(stmt, index);
        } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
            sqlite3_bind_int64(stmt, index, *i);
        } else if (const auto* d = std::get_if<double>(&v)) {
            sqlite3_bind_double(stmt, index, *d);
        } else if (const auto* b = std::get_if<Bytes>(&v)) {
            sqlite3_bind_blob64(stmt, index, b->data.data(), b->data.size(), SQLITE_TRANSIENT);
        } else {
            const auto& s = std::get<std::string>(v);
            sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        }
    }

    static Value column(sqlite3_stmt* stmt, int i) {
        switch (sqlite3_column_type(stmt, i)) {
            case SQLITE_NULL:
                return nullptr;
            case SQLITE_INTEGER:
                return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
            case SQLITE_FLOAT:
                return sqlite3_column_double(stmt, i);
            case SQLITE_BLOB: {
                const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, i));
                return Bytes{std::string(data ? data : "",
                                         static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)))};
            }
            default: {
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
                return std::string(text ? text : "",
                                   static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
            }
        }
    }

    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

std::atomic<int> memory_counter{0};

}  // namespace

std::string sqlite_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char ch = sql[i];
        if (quote) {
            if (ch == quote) quote = 0;
        } else if (ch == '\'' || ch == '"') {
            quote = ch;
        } else if (ch == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            out += '?';
            continue;
        }
        out += ch;
    }
    return out;
}

SqliteDatabase::SqliteDatabase(std::string path, std::size_t pool_size,
                               std::chrono::milliseconds acquire_timeout)
    : path_(std::move(path)) {
    std::string target = path_;
    if (path_ == ":memory:") {
        // a named shared-cache memory database so that the pool's connection sees one database
        target = fmt::format("file:gridgov-memory-{}?mode=memory&cache=shared", memory_counter++);
        pool_size = 1;
    }
    pool_ = std::make_unique<ConnectionPool>(
        [target] { return std::make_unique<SqliteConnection>(target); }, pool_size,
        acquire_timeout);
    // open one connection now so that a bad path fails at start, not at the first request
    read([](Connection&) {});
    if (path_ != ":memory:") {
        checkpointer_ = std::make_unique<SqliteConnection>(target);
        checkpoints_ = std::make_unique<Periodic>(
            "WAL checkpoint", std::chrono::milliseconds(1000),
            [c = checkpointer_.get()] { c->run("PRAGMA wal_checkpoint(PASSIVE)"); });
    }
}

SqliteDatabase::~SqliteDatabase() {
    checkpoints_.reset();
    // leave a small WAL behind when nobody else is using the file
    if (checkpointer_) {
        try {
            checkpointer_->run("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (const std::exception&) {
        }
    }
}

Database::Lease SqliteDatabase::acquire() {
    auto [connection, release] = pool_->acquire();
    return {connection, std::move(release)};
}

void SqliteDatabase::begin(Connection& c) {
    writer_.lock();
    try {
        c.run("BEGIN IMMEDIATE");
    } catch (...) {
        writer_.unlock();
        throw;
    }
}

void SqliteDatabase::end_write() {
    writer_.unlock();
}

}  // namespace gridgov::store
