// Encryption at rest of personal data (phone and identity numbers): XChaCha20-Poly1305 from
// libsodium with a 32-byte key kept in a key file outside the database. Ciphertexts carry a key
// id ("k1:") so that a rotated key can still read old records. Thread-safe after construction.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace gridgov {

class FieldCipher {
  public:
    static constexpr std::size_t kKeyBytes = 32;
    explicit FieldCipher(const std::array<unsigned char, kKeyBytes>& key);

    // Reads the key file (64 hex digits); creates it with a random key, mode 0600, if it is
    // missing.
    static FieldCipher from_key_file(const std::string& path);

    std::string encrypt(std::string_view plain) const;
    // Throws Error(internal) when the text was not made with this key or was tampered with.
    std::string decrypt(std::string_view sealed) const;
    // A keyed hash (BLAKE2b under a key derived from this one) for finding a record by the exact
    // value without decrypting every row: the same text always gives the same 64 hex digits, and
    // without the key the hashes of all 18-digit identity numbers cannot be tried. Rotating the
    // key means recomputing these.
    std::string lookup_hash(std::string_view plain) const;
    // HMAC-SHA256 under another key derived from this one, as 64 hex digits: what links the
    // actions of an event's chain, so that nobody without the key file can write a chain that
    // verifies (the database alone is not enough). Rotating the key means signing the chains
    // again, after checking them under the old key.
    std::string chain_mac(std::string_view text) const;

  private:
    std::array<unsigned char, kKeyBytes> key_;
};

// "13812345678" -> "138****5678"; shorter strings keep only their last character.
// The masked form shown to those who may not see the number: at least half of a short number
// and never fewer than 4 characters hidden. Masking a masked value keeps it masked (the visible
// characters of a shorter mask are among those of a longer one), so masks stored by an older
// rule are masked again on reading.
std::string mask_phone(std::string_view phone);

}  // namespace gridgov
