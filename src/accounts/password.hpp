// Passwords: the policy (at least 8 characters from at least three classes: lower case, upper
// case, digits, symbols) and Argon2id hashing through libsodium's crypto_pwhash_str.
#pragma once

#include <string>
#include <string_view>

namespace gridgov::accounts {

// Throws Error(weak_password, field = "password") when the password breaks the policy.
void check_password_policy(std::string_view password);
std::string hash_password(std::string_view password);
bool verify_password(const std::string& hash, std::string_view password);
// Spends the time a verification takes, for logins of unknown users (no timing oracle).
void burn_password_check(std::string_view password);

}  // namespace gridgov::accounts
