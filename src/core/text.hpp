// Small helpers for text as users type it: the length of UTF-8 text in characters (what limits
// such as "at most 50 characters" count, a Chinese character being one).
#pragma once

#include <cstddef>
#include <string_view>

namespace gridgov {

std::size_t utf8_length(std::string_view text);
// The text without the spaces around it: ASCII white space and the ideographic space (U+3000)
// a Chinese keyboard types.
std::string_view trim_spaces(std::string_view text);

}  // namespace gridgov
