// Citizen identity numbers (公民身份号码, GB 11643-1999): 6 digits of the registering division,
// 8 of the birth date, 3 of sequence (odd for men, even for women) and a check character
// (ISO 7064 MOD 11-2, 0–9 or X). Validation names what is wrong; the birth date and gender are
// read from a valid number; the 15-digit numbers issued before 1999 are converted to 18.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gridgov::registry {

struct IdentityNumber {
    std::string number;         // 18 characters, a final x upper-cased
    std::string division_code;  // the first 6 digits
    int birth_year = 0, birth_month = 0, birth_day = 0;
    char gender = 'M';  // M or F
};

// The check character the first 17 digits call for.
char identity_check_character(std::string_view first17);

// The number parsed and checked, or the reason it is not valid (in Chinese with English beside).
struct IdentityParse {
    std::optional<IdentityNumber> value;
    std::string problem;
};
// `today` as YYYYMMDD bounds the birth date (no one is born in the future).
IdentityParse parse_identity_number(std::string_view text, int today_yyyymmdd);

// "3****************4": the first and the last character, the rest hidden. Masking a value
// masked by the older rule (4 + 4) masks it by this one.
std::string mask_identity_number(std::string_view number);

}  // namespace gridgov::registry
