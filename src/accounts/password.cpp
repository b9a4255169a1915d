#include "accounts/password.hpp"

#include <sodium.h>

#include <stdexcept>

#include "core/error.hpp"

namespace gridgov::accounts {

void check_password_policy(std::string_view password) {
    if (password.size() > 256)
        throw Error(ErrorCode::weak_password, "Passwords are at most 256 characters.", "password");
    int lower = 0, upper = 0, digit = 0, other = 0;
    std::size_t characters = 0;
    for (unsigned char ch : password) {
        if ((ch & 0xC0) != 0x80) ++characters;  // count UTF-8 characters, not bytes
        if (ch >= 'a' && ch <= 'z')
            lower = 1;
        else if (ch >= 'A' && ch <= 'Z')
            upper = 1;
        else if (ch >= '0' && ch <= '9')
            digit = 1;
        else
            other = 1;
    }
    if (characters < 8 || lower + upper + digit + other < 3) {
        throw Error(ErrorCode::weak_password, {}, "password");
    }
}

std::string hash_password(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw std::runtime_error("out of memory while hashing a password");
    }
    return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void burn_password_check(std::string_view password) {
    static const std::string dummy = hash_password("gridgov-dummy-Password-1");
    (void)verify_password(dummy, password);
}

}  // namespace gridgov::accounts
