#include "events/publication.hpp"

#include <array>
#include <cmath>

namespace gridgov::events {

namespace {
constexpr std::array<std::string_view, 2> kPublished{"resident", "open311"};

bool is_digit(char ch) {
    return ch >= '0' && ch <= '9';
}
}  // namespace

std::span<const std::string_view> published_channels() {
    return kPublished;
}

bool is_published_channel(std::string_view channel) {
    for (auto c : kPublished)
        if (c == channel) return true;
    return false;
}

std::string published_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit(text[i]) &&
            !(text[i] == '+' && i + 1 < text.size() && is_digit(text[i + 1]))) {
            out += text[i++];
            continue;
        }
        // a run of digits, allowing single separators between them
        std::size_t j = i, digits = 0;
        while (j < text.size()) {
            if (is_digit(text[j])) {
                ++digits;
                ++j;
            } else if ((text[j] == ' ' || text[j] == '-' || text[j] == '+') &&
                       j + 1 < text.size() && is_digit(text[j + 1])) {
                ++j;
            } else if ((text[j] == 'X' || text[j] == 'x') && digits >= 14) {
                ++j;
                break;
            } else {
                break;
            }
        }
        if (digits >= 6) {
            out += "＊＊＊";
        } else {
            out.append(text.substr(i, j - i));
        }
        i = j;
    }
    return out;
}

geo::LonLat published_point(geo::LonLat p) {
    return {std::round(p.lon * 1000.0) / 1000.0, std::round(p.lat * 1000.0) / 1000.0};
}

}  // namespace gridgov::events
