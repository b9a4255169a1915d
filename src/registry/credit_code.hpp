// Unified social credit codes (统一社会信用代码, GB 32100-2015) of enterprises, individual
// businesses and social organisations: 18 characters from 0–9 and the capitals without I, O, Z,
// S, V; the registering authority, the organisation type, the division code, the organisation's
// own number and a check character (weights 3^i mod 31).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gridgov::registry {

char credit_code_check_character(std::string_view first17);
// What is wrong with the code (in Chinese with English beside), or nullopt when it is valid.
std::optional<std::string> credit_code_problem(std::string_view code);

}  // namespace gridgov::registry
