#include "store/postgres_database.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <regex>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"

namespace gridgov::store {
namespace {

// type OIDs from pg_type.h
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kBytea = 17;

[[noreturn]] void fail(PGresult* res, PGconn* conn, std::string_view what) {
    std::string state;
    std::string message;
    if (res) {
        const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        state = s ? s : "";
        message = PQresultErrorMessage(res);
        PQclear(res);
    } else {
        message = PQerrorMessage(conn);
    }
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    const std::string full = fmt::format("{}: {}", what, message);
    if (state.starts_with("23")) throw Error(ErrorCode::conflict, full);  // integrity violations
    if (state.starts_with("08") || state == "57P01" || PQstatus(conn) != CONNECTION_OK) {
        throw Error(ErrorCode::unavailable, full);
    }
    if (state == "40001" || state == "40P01") throw Error(ErrorCode::unavailable, full);
    throw std::runtime_error(full);
}

class PostgresConnection final : public Connection {
  public:
    explicit PostgresConnection(const std::string& conninfo) {
        conn_ = PQconnectdb(conninfo.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) {
            std::string message = PQerrorMessage(conn_);
            PQfinish(conn_);
            conn_ = nullptr;
            throw Error(ErrorCode::unavailable, "cannot connect to PostgreSQL: " + message);
        }
        PQsetNoticeProcessor(
            conn_, [](void*, const char*) {}, nullptr);
        run_script("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
    }

    ~PostgresConnection() override { PQfinish(conn_); }

    Result run_values(std::string_view sql, std::span<const Value> params) override {
        // Statements are prepared once per connection and reuse their plan, except those with a
        // LIKE: planned for the values of each execution, so that "node_path LIKE $1" reads the
        // index range of the prefix at hand (a plan made for any prefix scans).
        const bool plan_each_time = sql.find(" LIKE ") != std::string_view::npos;
        const std::string* name =
            plan_each_time ? nullptr : &prepare(sql, static_cast<int>(params.size()));
        std::vector<std::string> texts;
        std::vector<const char*> values;
        std::vector<int> lengths, formats;  // binary (format 1) for bytes, text for the rest
        texts.reserve(params.size());
        values.reserve(params.size());
        for (const Value& p : params) {
            lengths.push_back(0);
            formats.push_back(0);
            if (std::holds_alternative<std::nullptr_t>(p)) {
                texts.emplace_back();
                values.push_back(nullptr);
                continue;
            }
            if (const auto* b = std::get_if<Bytes>(&p)) {
                texts.emplace_back();
                values.push_back(b->data.data());
                lengths.back() = static_cast<int>(b->data.size());
                formats.back() = 1;
                continue;
            }
            if (const auto* i = std::get_if<std::int64_t>(&p)) {
                texts.push_back(std::to_string(*i));
            } else if (const auto* d = std::get_if<double>(&p)) {
                texts.push_back(fmt::format("{}", *d));
            } else {
                texts.push_back(std::get<std::string>(p));
            }
            values.push_back(texts.back().c_str());
        }
        PGresult* res =
            name ? PQexecPrepared(conn_, name->c_str(), static_cast<int>(values.size()),
                                  values.data(), lengths.data(), formats.data(), 0)
                 : PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(values.size()),
                                nullptr, values.data(), lengths.data(), formats.data(), 0);
        const auto status = PQresultStatus(res);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
            fail(res, conn_, "query failed");
        Result result;
        const int nrows = PQntuples(res);
        const int ncols = PQnfields(res);
        auto columns = std::make_shared<std::vector<std::string>>();
        std::vector<Oid> types;
        for (int c = 0; c < ncols; ++c) {
            columns->emplace_back(PQfname(res, c));
            types.push_back(PQftype(res, c));
        }
        result.rows.reserve(static_cast<std::size_t>(nrows));
        for (int r = 0; r < nrows; ++r) {
            std::vector<Value> row;
            row.reserve(static_cast<std::size_t>(ncols));
            for (int c = 0; c < ncols; ++c)
                row.push_back(convert(res, r, c, types[static_cast<std::size_t>(c)]));
            result.rows.emplace_back(columns, std::move(row));
        }
        const char* affected = PQcmdTuples(res);
        if (affected && *affected) result.affected = std::atoll(affected);
        PQclear(res);
        return result;
    }

    void run_script(std::string_view sql) override {
        const std::string text(sql);
        PGresult* res = PQexec(conn_, text.c_str());
        const auto status = PQresultStatus(res);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            fail(res, conn_, "script failed");
        PQclear(res);
    }

    Dialect dialect() const override { return Dialect::postgres; }

    bool healthy() override {
        if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE)
            return true;
        return false;
    }

  private:
    const std::string& prepare(std::string_view sql, int nparams) {
        const std::string key(sql);
        if (auto it = statements_.find(key); it != statements_.end()) return it->second;
        std::string name = fmt::format("s{}", statements_.size());
        PGresult* res = PQprepare(conn_, name.c_str(), key.c_str(), nparams, nullptr);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            fail(res, conn_, fmt::format("cannot prepare '{}'", sql));
        PQclear(res);
        return statements_.emplace(key, std::move(name)).first->second;
    }

    static Value convert(PGresult* res, int r, int c, Oid type) {
        if (PQgetisnull(res, r, c)) return nullptr;
        const char* text = PQgetvalue(res, r, c);
        const auto len = static_cast<std::size_t>(PQgetlength(res, r, c));
        switch (type) {
            case kBool:
                return static_cast<std::int64_t>(text[0] == 't' ? 1 : 0);
            case kInt2:
            case kInt4:
            case kInt8:
            case kOid: {
                std::int64_t v = 0;
                std::from_chars(text, text + len, v);
                return v;
            }
            case kFloat4:
            case kFloat8:
                return std::strtod(text, nullptr);
            case kBytea: {
                std::size_t n = 0;
                unsigned char* raw =
                    PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
                if (!raw) throw std::bad_alloc();
                Bytes out{std::string(reinterpret_cast<const char*>(raw), n)};
                PQfreemem(raw);
                return out;
            }
            default:
                return std::string(text, len);
        }
    }

    PGconn* conn_ = nullptr;
    std::unordered_map<std::string, std::string> statements_;
};

}  // namespace

PostgresDatabase::PostgresDatabase(std::string conninfo, std::size_t pool_size,
                                   std::chrono::milliseconds acquire_timeout)
    : conninfo_(std::move(conninfo)) {
    const std::string target = conninfo_;
    pool_ = std::make_unique<ConnectionPool>(
        [target] { return std::make_unique<PostgresConnection>(target); }, pool_size,
        acquire_timeout);
    read([](Connection&) {});
}

std::string PostgresDatabase::describe() const {
    // hide a password in a URL (scheme://user:secret@host) or a key=value string
    static const std::regex url_password(R"(://([^:/@]*):[^@]*@)");
    static const std::regex kv_password(R"(password\s*=\s*\S+)");
    std::string out = std::regex_replace(conninfo_, url_password, "://$1:***@");
    return std::regex_replace(out, kv_password, "password=***");
}

Database::Lease PostgresDatabase::acquire() {
    auto [connection, release] = pool_->acquire();
    return {connection, std::move(release)};
}

void PostgresDatabase::begin(Connection& c) {
    c.run("BEGIN");
}

}  // namespace gridgov::store
