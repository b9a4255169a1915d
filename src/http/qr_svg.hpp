// A QR code of a short text (the public tracking link of an event) as an SVG image, drawn from the
// module matrix libqrencode computes; one path, so any size prints sharp.
#pragma once

#include <string>
#include <string_view>

namespace gridgov::http {

// Error(invalid_field) when the text cannot be encoded (too long).
std::string qr_svg(std::string_view text);

}  // namespace gridgov::http
