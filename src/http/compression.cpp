#include "http/compression.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace gridgov::http {

namespace {

constexpr std::size_t kSmallest = 1024;  // below this, gzip's header costs more than it saves

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

const std::string* header_of(const Response& r, std::string_view name) {
    for (const auto& [key, value] : r.headers)
        if (lower(key) == name) return &value;
    return nullptr;
}

}  // namespace

bool accepts_gzip(const Request& request) {
    const std::string accepted = lower(request.header("accept-encoding"));
    std::string_view rest = accepted;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const auto semicolon = item.find(';');
        const std::string_view coding = trim(item.substr(0, semicolon));
        if (coding != "gzip" && coding != "*") continue;
        if (semicolon == std::string_view::npos) return true;
        std::string_view q = trim(item.substr(semicolon + 1));
        if (!q.starts_with("q=")) return true;
        q.remove_prefix(2);
        // q=0, q=0.0, q=0.000: refused
        return !(q.starts_with('0') && q.find_first_not_of("0.", 0) == std::string_view::npos);
    }
    return false;
}

bool compressible(std::string_view content_type) {
    const std::string type = lower(content_type);
    for (const std::string_view prefix :
         {"application/json", "application/geo+json", "application/problem+json", "text/",
          "application/javascript", "image/svg+xml", "application/xml",
          "application/vnd.mapbox-vector-tile", "application/x-protobuf",
          "application/manifest+json", "application/wasm"})
        if (type.starts_with(prefix)) return true;
    return false;
}

std::string gzip(std::string_view bytes, int level) {
    z_stream z{};
    // 15 window bits + 16: a gzip header and trailer
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw Error(ErrorCode::internal, "zlib could not start.");
    std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z.avail_in = static_cast<uInt>(bytes.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int done = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (done != Z_STREAM_END) throw Error(ErrorCode::internal, "zlib could not compress.");
    return out;
}

void compress_response(const Request& request, Response& response) {
    if (response.stream || response.status == 204 || response.status == 304) return;
    const std::string* type = header_of(response, "content-type");
    if (!type || !compressible(*type)) return;
    if (header_of(response, "content-encoding")) return;  // compressed already
    if (header_of(response, "etag")) return;  // a version the client sends back as it is
    response.set_header("Vary", "Accept-Encoding");
    if (response.body.size() < kSmallest || !accepts_gzip(request)) return;
    // fast for what is made per request: JSON shrinks five to ten times even so
    response.body = gzip(response.body, 1);
    response.set_header("Content-Encoding", "gzip");
}

}  // namespace gridgov::http
