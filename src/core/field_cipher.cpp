#include "core/field_cipher.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "core/error.hpp"

namespace gridgov {

namespace {
constexpr std::string_view kPrefix = "k1:";
}

FieldCipher::FieldCipher(const std::array<unsigned char, kKeyBytes>& key) : key_(key) {}

FieldCipher FieldCipher::from_key_file(const std::string& path) {
    std::array<unsigned char, kKeyBytes> key{};
    std::ifstream in(path);
    if (!in) {
        crypto_aead_xchacha20poly1305_ietf_keygen(key.data());
        std::string hex(kKeyBytes * 2 + 1, '\0');
        sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
        hex.pop_back();
        const mode_t old = umask(077);
        std::ofstream out(path);
        umask(old);
        out << hex << '\n';
        if (!out)
            throw Error(ErrorCode::unavailable, fmt::format("cannot write key file {}", path),
                        "security.key_file");
        return FieldCipher(key);
    }
    std::stringstream text;
    text << in.rdbuf();
    std::string hex = text.str();
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == ' ' || hex.back() == '\r'))
        hex.pop_back();
    std::size_t len = 0;
    if (hex.size() != kKeyBytes * 2 ||
        sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &len, nullptr) !=
            0 ||
        len != kKeyBytes) {
        throw Error(ErrorCode::invalid_field,
                    fmt::format("key file {} must hold 64 hex digits", path), "security.key_file");
    }
    return FieldCipher(key);
}

std::string FieldCipher::chain_mac(std::string_view text) const {
    std::array<unsigned char, crypto_auth_hmacsha256_KEYBYTES> subkey{};
    crypto_kdf_derive_from_key(subkey.data(), subkey.size(), 2, "ggchain_", key_.data());
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(text.data()),
                           text.size(), subkey.data());
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, mac.data(), mac.size());
    return hex;
}

std::string FieldCipher::lookup_hash(std::string_view plain) const {
    std::array<unsigned char, crypto_generichash_KEYBYTES> subkey{};
    crypto_kdf_derive_from_key(subkey.data(), subkey.size(), 1, "gglookup", key_.data());
    std::array<unsigned char, 32> digest{};
    crypto_generichash(digest.data(), digest.size(),
                       reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                       subkey.data(), subkey.size());
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, digest.data(), digest.size());
    return hex;
}

std::string FieldCipher::encrypt(std::string_view plain) const {
    constexpr auto kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    std::vector<unsigned char> buf(kNonce + plain.size() +
                                   crypto_aead_xchacha20poly1305_ietf_ABYTES);
    randombytes_buf(buf.data(), kNonce);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        buf.data() + kNonce, &clen, reinterpret_cast<const unsigned char*>(plain.data()),
        plain.size(), nullptr, 0, nullptr, buf.data(), key_.data());
    const std::size_t total = kNonce + clen;
    std::string b64(sodium_base64_encoded_len(total, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), buf.data(), total, sodium_base64_VARIANT_ORIGINAL);
    b64.resize(std::char_traits<char>::length(b64.c_str()));
    return std::string(kPrefix) + b64;
}

std::string FieldCipher::decrypt(std::string_view sealed) const {
    constexpr auto kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    if (!sealed.starts_with(kPrefix))
        throw Error(ErrorCode::internal, "unknown key id on an encrypted field");
    sealed.remove_prefix(kPrefix.size());
    std::vector<unsigned char> buf(sealed.size());
    std::size_t len = 0;
    if (sodium_base642bin(buf.data(), buf.size(), sealed.data(), sealed.size(), nullptr, &len,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
        throw Error(ErrorCode::internal, "an encrypted field is damaged");
    }
    std::string plain(len - kNonce - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long plen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(plain.data()), &plen, nullptr, buf.data() + kNonce,
            len - kNonce, nullptr, 0, buf.data(), key_.data()) != 0) {
        throw Error(ErrorCode::internal, "an encrypted field does not open with this key");
    }
    plain.resize(plen);
    return plain;
}

std::string mask_phone(std::string_view phone) {
    // a mobile number keeps 3 + 4 of its 11 digits (the usual mask: 10,000 numbers fit it);
    // shorter numbers keep less, so that always at least 4 characters and at least half of a
    // short number stay hidden: a landline of 8 digits keeps 2 + 2, of 7 digits 1 + 2
    const std::size_t n = phone.size();
    std::size_t head = 3, tail = 4;
    if (n < 11) {
        const std::size_t hidden = std::max<std::size_t>(4, (n + 1) / 2);
        const std::size_t visible = n > hidden ? n - hidden : 0;
        tail = (visible + 1) / 2;
        head = visible / 2;
    }
    return std::string(phone.substr(0, head)) + std::string(n - head - tail, '*') +
           std::string(phone.substr(n - tail));
}

}  // namespace gridgov
