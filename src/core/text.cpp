#include "core/text.hpp"

namespace gridgov {

std::size_t utf8_length(std::string_view text) {
    std::size_t n = 0;
    for (const unsigned char ch : text) n += (ch & 0xC0) != 0x80;  // continuation bytes don't count
    return n;
}

std::string_view trim_spaces(std::string_view text) {
    constexpr std::string_view kIdeographic = "\xE3\x80\x80";
    for (;;) {
        if (!text.empty() &&
            (text.front() == ' ' || (text.front() >= '\t' && text.front() <= '\r')))
            text.remove_prefix(1);
        else if (text.starts_with(kIdeographic))
            text.remove_prefix(kIdeographic.size());
        else
            break;
    }
    for (;;) {
        if (!text.empty() && (text.back() == ' ' || (text.back() >= '\t' && text.back() <= '\r')))
            text.remove_suffix(1);
        else if (text.ends_with(kIdeographic))
            text.remove_suffix(kIdeographic.size());
        else
            break;
    }
    return text;
}

}  // namespace gridgov
