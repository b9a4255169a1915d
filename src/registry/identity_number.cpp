#include "registry/identity_number.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace gridgov::registry {

namespace {

constexpr std::array<int, 17> kWeights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kChecks = "10X98765432";

bool all_digits(std::string_view s) {
    for (const char ch : s) {
        if (ch < '0' || ch > '9') return false;
    }
    return true;
}

int number_at(std::string_view s, std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (s[i] - '0');
    return v;
}

bool leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in(int y, int m) {
    static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[static_cast<std::size_t>(m - 1)];
}

}  // namespace

char identity_check_character(std::string_view first17) {
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
    return kChecks[static_cast<std::size_t>(sum % 11)];
}

IdentityParse parse_identity_number(std::string_view text, int today) {
    std::string n;
    for (const char ch : text) {
        if (ch == ' ' || ch == '-') continue;  // as people write them down
        n += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    if (n.size() == 15) {
        // the old numbers: a two-digit year of the 1900s and no check character
        if (!all_digits(n))
            return {std::nullopt, "15 位身份号码只含数字 (a 15-digit number has digits only)"};
        n = n.substr(0, 6) + "19" + n.substr(6);
        n += identity_check_character(n);
    }
    if (n.size() != 18)
        return {std::nullopt, "身份号码应为 18 位 (an identity number has 18 characters)"};
    if (!all_digits(std::string_view(n).substr(0, 17)) ||
        !(std::isdigit(static_cast<unsigned char>(n[17])) || n[17] == 'X')) {
        return {std::nullopt, "前 17 位为数字，末位为数字或 X (17 digits, then a digit or X)"};
    }
    if (n[0] < '1' || n[0] > '9' || number_at(n, 0, 2) < 11 || number_at(n, 0, 2) > 91)
        return {std::nullopt, "行政区划代码无效 (the division code is not valid)"};
    const int y = number_at(n, 6, 4), m = number_at(n, 10, 2), d = number_at(n, 12, 2);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in(y, m) ||
        y * 10000 + m * 100 + d > today) {
        return {std::nullopt,
                fmt::format("出生日期 {}-{:02}-{:02} 无效 (the birth date is not valid)", y, m, d)};
    }
    if (identity_check_character(n) != n[17]) {
        return {std::nullopt,
                "校验码不符，号码有误 (the check character does not match: a digit "
                "is wrong)"};
    }
    IdentityNumber id;
    id.number = n;
    id.division_code = n.substr(0, 6);
    id.birth_year = y;
    id.birth_month = m;
    id.birth_day = d;
    id.gender = (n[16] - '0') % 2 == 1 ? 'M' : 'F';
    return {id, ""};
}

std::string mask_identity_number(std::string_view number) {
    // the first and the last character only: with the province digit and the check character a
    // viewer who knows the grid's district, the person's age and gender still faces some 10^5
    // numbers (region codes × days of a year × sequence numbers, over the check digit), where a
    // mask of 4 + 4 with the birth date left about one
    if (number.size() < 8) return std::string(number.size(), '*');
    return std::string(number.substr(0, 1)) + std::string(number.size() - 2, '*') +
           std::string(number.substr(number.size() - 1));
}

}  // namespace gridgov::registry
