#include "grid/grid_node.hpp"

#include <fmt/format.h>

#include <array>

#include "core/error.hpp"

namespace gridgov::grid {

namespace {
constexpr std::array<std::size_t, kLevels + 1> kLengths{0, 4, 6, 9, 12, 15, 17};
constexpr std::array<std::string_view, kLevels + 1> kNames{
    "", "city", "district", "street", "community", "grid", "micro_grid"};
constexpr std::array<std::string_view, kLevels + 1> kLabels{"",        "市",   "区/县", "街道/镇",
                                                            "社区/村", "网格", "微网格"};
constexpr std::array<std::string_view, 7> kSubtypes{
    "school", "hospital", "market", "park", "industrial_park", "building_complex", "other"};
}  // namespace

std::size_t code_length(int level) {
    return level >= 1 && level <= kLevels ? kLengths[level] : 0;
}
std::string_view level_name(int level) {
    return level >= 1 && level <= kLevels ? kNames[level] : "";
}
std::string_view level_label_zh(int level) {
    return level >= 1 && level <= kLevels ? kLabels[level] : "";
}

int level_of_code(std::string_view code) {
    for (int level = 1; level <= kLevels; ++level) {
        if (code.size() == kLengths[level]) return level;
    }
    return 0;
}

void validate_code(std::string_view code, int level, std::string_view parent_code) {
    for (char ch : code) {
        if (ch < '0' || ch > '9')
            throw Error(ErrorCode::invalid_field, "A code has digits only.", "code");
    }
    if (code.size() != code_length(level)) {
        throw Error(ErrorCode::invalid_field,
                    fmt::format("A {} code has {} digits, not {}.", level_name(level),
                                code_length(level), code.size()),
                    "code");
    }
    if (!code.starts_with(parent_code)) {
        throw Error(ErrorCode::invalid_field,
                    fmt::format("The code must start with the parent's code {}.", parent_code),
                    "code");
    }
    if (code.substr(parent_code.size()).find_first_not_of('0') == std::string_view::npos) {
        throw Error(ErrorCode::invalid_field,
                    "The digits added to the parent's code must not all be 0.", "code");
    }
}

void validate_kind(int level, const std::optional<std::string>& kind,
                   const std::optional<std::string>& subtype) {
    if (level < grid_level) {
        if (kind || subtype)
            throw Error(ErrorCode::invalid_field, "Only grids and micro-grids have a kind.",
                        "kind");
        return;
    }
    if (!kind || (*kind != "comprehensive" && *kind != "dedicated")) {
        throw Error(ErrorCode::invalid_field, "A grid is comprehensive (综合) or dedicated (专属).",
                    "kind");
    }
    if (*kind == "comprehensive" && subtype) {
        throw Error(ErrorCode::invalid_field, "Only dedicated grids have a subtype.", "subtype");
    }
    if (*kind == "dedicated") {
        bool known = false;
        for (auto s : kSubtypes) known = known || (subtype && *subtype == s);
        if (!known) {
            throw Error(
                ErrorCode::invalid_field,
                "A dedicated grid's subtype is school, hospital, market, park, industrial_park, "
                "building_complex or other.",
                "subtype");
        }
    }
}

}  // namespace gridgov::grid
