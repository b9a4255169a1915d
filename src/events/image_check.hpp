// Whether an uploaded photo is one: it is decoded with the format's own library (libjpeg-turbo,
// libpng, libwebp, giflib, libheif) before anything is stored, so random bytes behind an image
// signature, a truncated file or a picture of absurd size are refused. Decoding is done at a
// reduced scale where the library allows it, so that checking a photo costs little memory.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace gridgov::events {

struct ImageSize {
    int width = 0;
    int height = 0;
};

// The picture's size, once its data decoded in full; Error(unsupported_media_type) on "file"
// when it does not decode as `content_type`, or has more than `max_pixels` pixels. Types other
// than images (PDF) are not this function's: it answers {0, 0} for them.
ImageSize check_image(std::string_view bytes, std::string_view content_type,
                      std::int64_t max_pixels);

}  // namespace gridgov::events
