// A new event as every channel hands it in (the staff's form, the resident's page, Open311, a
// field finding, the simulator), with the rules of intake in one place: the limits of each
// field, which channels an account or key may report through, and the Idempotency-Key a retry
// carries. Handlers fill a NewEvent and leave the checking to check_new_event().
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "accounts/principal.hpp"
#include "core/clock.hpp"
#include "geo/geometry.hpp"

namespace gridgov::events {

struct NewEvent {
    std::string channel;
    std::optional<std::string> external_id;  // the id in the sending system, unique per sender
    std::string title;
    std::string description;
    std::optional<std::string> category_code;
    std::optional<geo::LonLat> location;  // WGS84
    std::optional<std::string> address;
    std::optional<std::string> reporter_name;
    std::optional<std::string> reporter_phone;
    bool resolved_on_spot = false;  // by the grid worker who reports it
    // when the reporter saw it (within seven days): a phone that was offline sends its report
    // later; the deadlines count from then. Now when absent.
    std::optional<Millis> observed_at;
    std::optional<std::string> idempotency_key;
    // what else the channel sent (Open311 attributes, a media URL, a device id), kept in the
    // report action's data as "details"
    std::vector<std::pair<std::string, std::string>> details;
};

// The limits of a new event's fields, in characters (bytes for the key).
struct NewEventLimits {
    static constexpr std::size_t title = 100;
    static constexpr std::size_t description = 4000;  // Open311 GeoReport v2 allows 4,000
    static constexpr std::size_t external_id = 64;
    static constexpr std::size_t address = 200;
    static constexpr std::size_t reporter_name = 50;
    static constexpr std::size_t idempotency_key_min = 1;
    static constexpr std::size_t idempotency_key_max = 128;
    static constexpr std::size_t public_idempotency_key_min = 16;  // a random UUID
};

// Every field within its limits and well formed, else Error(invalid_field) naming it.
void check_new_event(const NewEvent& in);

// May this sender report through the channel? The other systems' channels (12345,
// 数字城管, Open311) take API keys and the centre's staff who enter what those systems send;
// a department reports as a department; the field channels are the grid workers'; anyone may
// report as a resident. The server itself (no principal) may use every channel.
bool may_use_channel(const accounts::Principal* sender, std::string_view channel);
// Error(forbidden) on "channel" unless may_use_channel.
void require_channel(const accounts::Principal* sender, std::string_view channel);

// Who sent it, as external ids are kept apart: "key:7", "user:12", or "public".
std::string sender_of(const accounts::Principal* sender);

// An Idempotency-Key header checked: within [min, max] bytes of printable ASCII, else
// Error(invalid_field) on "Idempotency-Key". Empty header: nullopt.
std::optional<std::string> idempotency_key(std::string_view header, std::size_t min_bytes);

}  // namespace gridgov::events
