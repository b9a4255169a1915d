#include "core/text.hpp"

namespace gridgov {

std::size_t utf8_length(std::string_view text) {
    std::size_t n = 0;
    for (const unsigned char ch : text) n += (ch & 0xC0) != 0x80;  // continuation bytes don't count
    return n;
}

}  // namespace gridgov
