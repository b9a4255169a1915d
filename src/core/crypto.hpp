// Small cryptographic helpers over libsodium: random tokens, SHA-256 digests for storing secrets
// that only need exact matching (session tokens, API keys), and constant-time comparison.
// init_crypto() must run once before any of them (main and the test runners do it). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace gridgov {

void init_crypto();
// `bytes` random bytes as unpadded base64url text.
std::string random_token(std::size_t bytes);
// Lower-case hex SHA-256 of the text.
std::string sha256_hex(std::string_view text);
// Lower-case hex HMAC-SHA-256 of the text under the key (webhook signatures).
std::string hmac_sha256_hex(std::string_view key, std::string_view text);
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace gridgov
