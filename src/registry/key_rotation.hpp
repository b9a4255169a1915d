// Rotating the key that encrypts personal data at rest: every encrypted column of the product
// (people's documents and phones, users' phones, reporters' phones, contacts of places and
// organisations, webhook secrets) decrypted with the old key and encrypted with the new one, and
// every lookup hash computed again under the new key. In batches, each its own transaction; a
// value already under the new key is left as it is, so an interrupted rotation is run again to
// finish. Run with the servers stopped: a server reads with one key. And the check, at start,
// that the key file opens the database's personal data.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/field_cipher.hpp"
#include "store/database.hpp"

namespace gridgov::registry {

struct KeyRotation {
    std::int64_t values = 0;   // re-encrypted
    std::int64_t already = 0;  // found under the new key already
};

KeyRotation rotate_key(store::Database& db, const FieldCipher& old_key, const FieldCipher& new_key,
                       const std::function<void(std::string_view)>& progress);

// Throws Error(conflict) when the database holds personal data sealed under another key (a
// user's phone and a person's identity number are tried): a server started with the wrong key
// file refuses to start instead of failing on the first record it opens.
void check_key(store::Database& db, const FieldCipher& cipher, std::string_view key_file);

}  // namespace gridgov::registry
