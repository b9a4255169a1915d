// A registry of the size of a real city, generated deterministically from a seed for the demo and
// the benchmarks: in every grid a compound of buildings, units and rooms, households in the
// occupied rooms, people in them (valid identity numbers of the grid's district, encrypted with
// the product's key), who lives where, and the special and care groups at their usual rates.
// Written in batches of multi-row inserts with explicit ids, on an otherwise empty registry.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/clock.hpp"
#include "core/field_cipher.hpp"
#include "store/database.hpp"

namespace gridgov::registry {

struct RegistryScale {
    std::int64_t people = 0;
    std::int64_t rooms = 0;
    std::uint64_t seed = 20261122;
};

struct GeneratedRegistry {
    std::int64_t grids = 0, addresses = 0, rooms = 0, households = 0, people = 0, residences = 0,
                 group_tags = 0;
};

// Error(conflict) when the registry has people or addresses already.
GeneratedRegistry generate_registry(store::Database& db, const FieldCipher& cipher,
                                    const RegistryScale& scale, Millis now,
                                    const std::function<void(std::string_view)>& progress);

}  // namespace gridgov::registry
