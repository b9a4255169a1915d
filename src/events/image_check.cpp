#include "events/image_check.hpp"

#include <fmt/format.h>
#include <gif_lib.h>
#include <libheif/heif.h>
#include <png.h>
#include <turbojpeg.h>
#include <webp/decode.h>

#include <cstring>
#include <memory>
#include <vector>

#include "core/error.hpp"

namespace gridgov::events {

namespace {

[[noreturn]] void refuse(std::string_view type, std::string_view why) {
    throw Error(
        ErrorCode::unsupported_media_type,
        fmt::format("照片无法解码（{1}）。 The photo does not decode as {0}: {1}.", type, why),
        "file");
}

void check_size(std::string_view type, long long width, long long height, std::int64_t max_pixels) {
    if (width <= 0 || height <= 0) refuse(type, "no picture");
    if (width * height > max_pixels)
        throw Error(ErrorCode::payload_too_large,
                    fmt::format("照片超过 {0} 万像素。 A photo has at most {0}0,000 pixels.",
                                max_pixels / 10000),
                    "file");
}

ImageSize jpeg(std::string_view bytes, std::int64_t max_pixels) {
    std::unique_ptr<void, int (*)(tjhandle)> tj(tjInitDecompress(), tjDestroy);
    if (!tj) refuse("JPEG", "no decoder");
    int width = 0, height = 0, subsampling = 0, colorspace = 0;
    auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    if (tjDecompressHeader3(tj.get(), data, bytes.size(), &width, &height, &subsampling,
                            &colorspace) != 0)
        refuse("JPEG", tjGetErrorStr2(tj.get()));
    check_size("JPEG", width, height, max_pixels);
    // an eighth of the size: every block of the file is still decoded
    const tjscalingfactor eighth{1, 8};
    const int w = TJSCALED(width, eighth), h = TJSCALED(height, eighth);
    std::vector<unsigned char> out(static_cast<std::size_t>(w) * h);
    if (tjDecompress2(tj.get(), data, bytes.size(), out.data(), w, 0, h, TJPF_GRAY, 0) != 0 &&
        tjGetErrorCode(tj.get()) == TJERR_FATAL)
        refuse("JPEG", tjGetErrorStr2(tj.get()));
    if (tjGetErrorCode(tj.get()) == TJERR_WARNING)
        refuse("JPEG", tjGetErrorStr2(tj.get()));  // truncated or corrupt data
    return {width, height};
}

ImageSize png(std::string_view bytes, std::int64_t max_pixels) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
        refuse("PNG", image.message);
    check_size("PNG", image.width, image.height, max_pixels);
    image.format = PNG_FORMAT_GRAY;  // one byte a pixel: every row is still inflated and checked
    std::vector<unsigned char> out(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, out.data(), 0, nullptr)) {
        const std::string why = image.message;
        png_image_free(&image);
        refuse("PNG", why);
    }
    return {static_cast<int>(image.width), static_cast<int>(image.height)};
}

ImageSize webp(std::string_view bytes, std::int64_t max_pixels) {
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) refuse("WebP", "no decoder");
    auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    if (WebPGetFeatures(data, bytes.size(), &config.input) != VP8_STATUS_OK)
        refuse("WebP", "not a WebP picture");
    const int width = config.input.width, height = config.input.height;
    check_size("WebP", width, height, max_pixels);
    config.options.use_scaling = 1;
    config.options.scaled_width = std::max(1, width / 8);
    config.options.scaled_height = std::max(1, height / 8);
    config.output.colorspace = MODE_RGBA;
    const auto status = WebPDecode(data, bytes.size(), &config);
    WebPFreeDecBuffer(&config.output);
    if (status != VP8_STATUS_OK) refuse("WebP", fmt::format("status {}", static_cast<int>(status)));
    return {width, height};
}

struct GifReader {
    std::string_view bytes;
    std::size_t at = 0;
};

int read_gif(GifFileType* gif, GifByteType* out, int n) {
    auto* r = static_cast<GifReader*>(gif->UserData);
    const auto take = std::min<std::size_t>(static_cast<std::size_t>(n), r->bytes.size() - r->at);
    std::memcpy(out, r->bytes.data() + r->at, take);
    r->at += take;
    return static_cast<int>(take);
}

ImageSize gif(std::string_view bytes, std::int64_t max_pixels) {
    GifReader reader{bytes};
    int error = 0;
    GifFileType* file = DGifOpen(&reader, read_gif, &error);
    if (!file) refuse("GIF", GifErrorString(error));
    std::unique_ptr<GifFileType, void (*)(GifFileType*)> gif(file, [](GifFileType* g) {
        int e = 0;
        DGifCloseFile(g, &e);
    });
    check_size("GIF", gif->SWidth, gif->SHeight, max_pixels);
    if (DGifSlurp(gif.get()) != GIF_OK) refuse("GIF", GifErrorString(gif->Error));
    if (gif->ImageCount < 1) refuse("GIF", "no picture");
    return {gif->SWidth, gif->SHeight};
}

ImageSize heic(std::string_view bytes, std::int64_t max_pixels) {
    std::unique_ptr<heif_context, void (*)(heif_context*)> ctx(heif_context_alloc(),
                                                               heif_context_free);
    if (heif_context_read_from_memory_without_copy(ctx.get(), bytes.data(), bytes.size(), nullptr)
            .code != heif_error_Ok)
        refuse("HEIC", "not a HEIF file");
    heif_image_handle* raw = nullptr;
    if (heif_context_get_primary_image_handle(ctx.get(), &raw).code != heif_error_Ok)
        refuse("HEIC", "no picture");
    std::unique_ptr<heif_image_handle, void (*)(const heif_image_handle*)> handle(
        raw, heif_image_handle_release);
    const int width = heif_image_handle_get_width(handle.get());
    const int height = heif_image_handle_get_height(handle.get());
    check_size("HEIC", width, height, max_pixels);
    heif_image* decoded = nullptr;
    const auto err = heif_decode_image(handle.get(), &decoded, heif_colorspace_undefined,
                                       heif_chroma_undefined, nullptr);
    if (decoded) heif_image_release(decoded);
    if (err.code != heif_error_Ok) refuse("HEIC", err.message ? err.message : "does not decode");
    return {width, height};
}

}  // namespace

ImageSize check_image(std::string_view bytes, std::string_view content_type,
                      std::int64_t max_pixels) {
    if (content_type == "image/jpeg") return jpeg(bytes, max_pixels);
    if (content_type == "image/png") return png(bytes, max_pixels);
    if (content_type == "image/webp") return webp(bytes, max_pixels);
    if (content_type == "image/gif") return gif(bytes, max_pixels);
    if (content_type == "image/heic" || content_type == "image/heif")
        return heic(bytes, max_pixels);
    return {};
}

}  // namespace gridgov::events
