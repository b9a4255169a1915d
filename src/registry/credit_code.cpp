#include "registry/credit_code.hpp"

#include <array>

namespace gridgov::registry {

namespace {

constexpr std::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kWeights{1,  3,  9,  27, 19, 26, 16, 17, 20,
                                       29, 25, 13, 8,  24, 10, 30, 28};

}  // namespace

char credit_code_check_character(std::string_view first17) {
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i)
        sum += static_cast<int>(kCharset.find(first17[i])) * kWeights[i];
    const int check = (31 - sum % 31) % 31;
    return kCharset[static_cast<std::size_t>(check)];
}

std::optional<std::string> credit_code_problem(std::string_view code) {
    if (code.size() != 18) return "统一社会信用代码应为 18 位 (a credit code has 18 characters)";
    for (const char ch : code) {
        if (kCharset.find(ch) == std::string_view::npos)
            return "含有不允许的字符 (only digits and capitals other than I, O, Z, S, V)";
    }
    for (std::size_t i = 2; i < 8; ++i) {
        if (code[i] < '0' || code[i] > '9')
            return "第 3–8 位应为行政区划代码 (characters 3 to 8 are a division code)";
    }
    if (credit_code_check_character(code.substr(0, 17)) != code[17])
        return "校验码不符 (the check character does not match)";
    return std::nullopt;
}

}  // namespace gridgov::registry
