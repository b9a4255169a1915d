#include "http/qr_svg.hpp"

#include <fmt/format.h>
#include <qrencode.h>

#include <memory>

#include "core/error.hpp"

namespace gridgov::http {

std::string qr_svg(std::string_view text) {
    const std::string copy(text);
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(copy.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code) throw Error(ErrorCode::invalid_field, "The text does not fit a QR code.", "text");
    constexpr int kQuiet = 4;  // the light margin readers need
    const int size = code->width + 2 * kQuiet;
    std::string path;
    for (int y = 0; y < code->width; ++y) {
        for (int x = 0; x < code->width; ++x) {
            if (code->data[y * code->width + x] & 1)
                path += fmt::format("M{} {}h1v1h-1z", x + kQuiet, y + kQuiet);
        }
    }
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" width=\"{1}\" "
        "height=\"{1}\" shape-rendering=\"crispEdges\"><rect width=\"{0}\" height=\"{0}\" "
        "fill=\"#fff\"/><path fill=\"#000\" d=\"{2}\"/></svg>",
        size, size * 6, path);
}

}  // namespace gridgov::http
