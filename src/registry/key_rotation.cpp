#include "registry/key_rotation.hpp"

#include <fmt/format.h>

#include <optional>
#include <vector>

#include "core/error.hpp"

namespace gridgov::registry {

using store::Value;

namespace {

// An encrypted column, and the lookup hash kept beside it (with what goes before the value).
struct SealedColumn {
    const char* table;
    const char* column;
    const char* hash_column;  // nullptr: none
    const char* hash_prefix;  // a SQL expression of the row: 'phone:' or id_type || ':'
};

constexpr SealedColumn kColumns[] = {
    {"people", "id_number", "id_number_hash", "id_type || ':'"},
    {"people", "phone", "phone_hash", "'phone:'"},
    {"users", "phone_enc", nullptr, nullptr},
    {"events", "reporter_phone", nullptr, nullptr},
    {"organisations", "phone", nullptr, nullptr},
    {"key_places", "contact_phone", nullptr, nullptr},
    {"webhook_subscriptions", "secret", nullptr, nullptr},
};

// The plain text under either key; nullopt when the new key made it already.
std::optional<std::string> open_with(const FieldCipher& old_key, const FieldCipher& new_key,
                                     const std::string& sealed) {
    try {
        return old_key.decrypt(sealed);
    } catch (const Error&) {
        new_key.decrypt(sealed);  // throws when neither key made it
        return std::nullopt;
    }
}

}  // namespace

KeyRotation rotate_key(store::Database& db, const FieldCipher& old_key, const FieldCipher& new_key,
                       const std::function<void(std::string_view)>& progress) {
    KeyRotation out;
    for (const auto& col : kColumns) {
        const std::string prefix =
            col.hash_column ? fmt::format("{} AS prefix, ", col.hash_prefix) : "";
        std::int64_t after = 0;
        std::int64_t done = 0;
        for (;;) {
            bool more = false;
            db.transact([&](store::Connection& c) {
                const auto rows = c.run(
                    fmt::format("SELECT id, {}{} AS sealed FROM {} WHERE id > $1 AND {} IS NOT "
                                "NULL ORDER BY id LIMIT 1000",
                                prefix, col.column, col.table, col.column),
                    {after});
                for (const auto& row : rows.rows) {
                    after = row.integer("id");
                    const auto plain = open_with(old_key, new_key, row.text("sealed"));
                    if (!plain) {
                        ++out.already;
                        continue;
                    }
                    if (col.hash_column) {
                        c.run(fmt::format("UPDATE {} SET {} = $1, {} = $2 WHERE id = $3", col.table,
                                          col.column, col.hash_column),
                              {new_key.encrypt(*plain),
                               new_key.lookup_hash(row.text("prefix") + *plain), after});
                    } else {
                        c.run(fmt::format("UPDATE {} SET {} = $1 WHERE id = $2", col.table,
                                          col.column),
                              {new_key.encrypt(*plain), after});
                    }
                    ++out.values;
                    ++done;
                }
                more = rows.rows.size() == 1000;
            });
            if (!more) break;
        }
        if (progress) progress(fmt::format("{}.{}: {} re-encrypted", col.table, col.column, done));
    }
    return out;
}

void check_key(store::Database& db, const FieldCipher& cipher, std::string_view key_file) {
    // small tables, or columns rarely empty: one row each is found at once
    constexpr std::pair<const char*, const char*> kSamples[] = {{"users", "phone_enc"},
                                                                {"people", "id_number"}};
    db.read([&](store::Connection& c) {
        for (const auto& [table, column] : kSamples) {
            const auto rows = c.run(fmt::format(
                "SELECT {} AS sealed FROM {} WHERE {} IS NOT NULL LIMIT 1", column, table, column));
            if (rows.rows.empty()) continue;
            try {
                cipher.decrypt(rows.front().text("sealed"));
            } catch (const Error&) {
                throw Error(ErrorCode::conflict,
                            fmt::format("The key file {} does not open the personal data in this "
                                        "database ({}.{}): it was sealed under another key. Start "
                                        "with the key it was made with (security.key_file), or "
                                        "finish a rotation with gridgov keys rotate.",
                                        key_file, table, column));
            }
        }
    });
}

}  // namespace gridgov::registry
