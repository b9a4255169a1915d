#include "support/test_databases.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/crypto.hpp"
#include "store/migrations.hpp"

namespace gridgov::test_support {

namespace {

std::string postgres_admin_url() {
    const char* state = std::getenv("GRIDGOV_TEST_PG_STATE");
    if (state == nullptr)
        throw std::runtime_error("GRIDGOV_TEST_PG_STATE is not set: run the tests through ctest");
    std::ifstream in(std::string(state) + "/url");
    std::string url;
    if (!(in >> url)) throw std::runtime_error(fmt::format("no PostgreSQL URL in {}/url", state));
    return url;
}

std::atomic<int> counter{0};

}  // namespace

ErrorCode code_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.code();
    }
    ADD_FAILURE() << "no error";
    return ErrorCode::internal;
}

std::string dialect_name(store::Dialect dialect) {
    return dialect == store::Dialect::sqlite ? "sqlite" : "postgres";
}

std::string fresh_database_url(store::Dialect dialect) {
    const std::string name = fmt::format("t{}_{}_{}", getpid(), counter++, random_token(6));
    if (dialect == store::Dialect::sqlite) {
        const auto dir = std::filesystem::temp_directory_path() / "gridgov-unit-tests";
        std::filesystem::create_directories(dir);
        return "sqlite:" + (dir / (name + ".db")).string();
    }
    std::string lower;
    for (char ch : name)
        lower +=
            (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : (ch == '-' ? '_' : ch);
    const std::string admin = postgres_admin_url();
    auto db = store::open_database(admin, 1);
    db->read([&](store::Connection& c) { c.run_script("CREATE DATABASE " + lower); });
    const auto slash = admin.rfind('/');
    return admin.substr(0, slash + 1) + lower;
}

std::unique_ptr<store::Database> fresh_database(store::Dialect dialect, std::size_t pool_size,
                                                bool migrated) {
    auto db = store::open_database(fresh_database_url(dialect), pool_size);
    if (migrated) store::migrate(*db);
    return db;
}

}  // namespace gridgov::test_support
