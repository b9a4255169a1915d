// A node of the grid tree (city, district, street, community, grid, micro-grid) and the rules of
// its unified code: levels 1–4 carry the national statistical division codes (4, 6, 9 and 12
// digits), a grid its community's code and 3 digits more, a micro-grid its grid's and 2 more.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace gridgov::grid {

constexpr int kLevels = 6;
enum Level : int {
    city = 1,
    district = 2,
    street = 3,
    community = 4,
    grid_level = 5,
    micro_grid = 6
};

struct GridNode {
    std::int64_t id = 0;
    std::string code;
    std::string name;
    int level = 0;
    std::optional<std::int64_t> parent_id;
    std::string path;                    // "/1/5/17/"
    std::optional<std::string> kind;     // comprehensive | dedicated (grids and micro-grids)
    std::optional<std::string> subtype;  // school, hospital, market, park, industrial_park ...
    std::optional<std::int64_t> households;
    std::optional<std::int64_t> population;
    std::optional<double> area_m2;  // of the current boundary
    Millis created_at = 0;
    Millis updated_at = 0;
    int version = 1;
    Millis valid_from = 0;           // when the node came into being
    std::optional<Millis> valid_to;  // when it was split, merged away or renumbered; none: current
};

std::size_t code_length(int level);
std::string_view level_name(int level);      // "community"
std::string_view level_label_zh(int level);  // "社区/村"
// The level a code of this length has, or 0.
int level_of_code(std::string_view code);
// Throws Error(invalid_field, "code") unless the code fits the level and extends the parent's.
void validate_code(std::string_view code, int level, std::string_view parent_code);
// Throws Error(invalid_field) for a kind or subtype that is unknown or does not fit the level.
void validate_kind(int level, const std::optional<std::string>& kind,
                   const std::optional<std::string>& subtype);

}  // namespace gridgov::grid
