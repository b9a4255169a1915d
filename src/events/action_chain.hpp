// The chain of an event's actions, which shows any change made outside gridgov. Each action's
// hash covers every field of it and the hash before it: version 1 (actions written before) is
// SHA-256 of the fields less the actor's role and name; version 2 is an HMAC under a key derived
// from the key file (FieldCipher::chain_mac) over all of them, so the database alone cannot
// forge a chain. The event's row keeps the head (its last hash): dropping the last actions, or
// all of them, shows; and the row's status, description and satisfaction must be what the chain
// says. Thread-safe; the functions read the database in pages of events.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/field_cipher.hpp"
#include "store/database.hpp"

namespace gridgov::events {

struct ActionRecord;

inline constexpr int kChainVersion = 2;
inline constexpr const char* kChainGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

// An action as its row in event_actions holds it.
ActionRecord action_from_row(const store::Row& row);

std::string action_hash(int version, const std::string& prev_hash, std::int64_t event_id,
                        const ActionRecord& a, const FieldCipher& key);

struct ChainCheck {
    std::int64_t events = 0;
    std::int64_t actions = 0;
    std::vector<std::int64_t> broken;  // events whose chain or row does not hold
};
ChainCheck verify_chains(store::Database& db, const FieldCipher& key);

// Every chain signed again (as version 2) under `next`, once it was checked under `current`:
// Error(conflict) naming the first broken event, and nothing changed, when one does not hold.
// For the rotation of the key file. Returns the actions signed.
std::int64_t resign_chains(store::Database& db, const FieldCipher& current,
                           const FieldCipher& next);

}  // namespace gridgov::events
