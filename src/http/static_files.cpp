#include "http/static_files.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "http/compression.hpp"

namespace gridgov::http {

std::string_view content_type_for(std::string_view path) {
    struct Type {
        std::string_view ext, type;
    };
    static constexpr Type kTypes[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff", "font/woff"},
        {".woff2", "font/woff2"},
        {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json; charset=utf-8"},
        {".pbf", "application/x-protobuf"},
        {".wasm", "application/wasm"},
    };
    for (const auto& t : kTypes) {
        if (path.ends_with(t.ext)) return t.type;
    }
    return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {
    while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

bool StaticFiles::available() const {
    struct stat st {};
    return ::stat((root_ + "/index.html").c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::optional<Response> StaticFiles::file_response(const std::string& relative, bool fallback,
                                                   bool gzip) const {
    const std::string full = root_ + "/" + relative;
    struct stat st {};
    if (::stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    const std::string_view type = content_type_for(relative);
    const bool packable = compressible(type) && st.st_size >= 1024;
    const std::int64_t modified_ns =
        std::int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
    Response r;
    r.headers.emplace_back("Content-Type", std::string(type));
    if (packable) r.headers.emplace_back("Vary", "Accept-Encoding");
    bool packed = false;
    if (packable && gzip) {
        std::lock_guard lock(mutex_);
        const auto it = packed_.find(relative);
        if (it != packed_.end() && it->second.modified_ns == modified_ns &&
            it->second.size == st.st_size) {
            r.body = it->second.gzip;
            packed = true;
        }
    }
    if (!packed) {
        std::ifstream in(full, std::ios::binary);
        if (!in) return std::nullopt;
        std::ostringstream data;
        data << in.rdbuf();
        r.body = data.str();
        if (packable && gzip) {
            r.body = http::gzip(r.body, 9);
            std::lock_guard lock(mutex_);
            packed_[relative] = Packed{modified_ns, st.st_size, r.body};
            packed = true;
        }
    }
    if (packed) r.headers.emplace_back("Content-Encoding", "gzip");
    if (!fallback && relative.starts_with("assets/")) {
        r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
    } else {
        r.headers.emplace_back("Cache-Control", "no-cache");
    }
    if (relative.ends_with(".html")) {
        r.headers.emplace_back(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
            "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'");
    }
    return r;
}

std::optional<Response> StaticFiles::serve(const Request& request) const {
    // segments are decoded already; refuse anything that could climb out of the root
    std::string relative;
    for (const auto& segment : request.segments) {
        if (segment == ".." || segment == "." ||
            segment.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) {
            throw Error(ErrorCode::bad_path);
        }
        if (!relative.empty()) relative += '/';
        relative += segment;
    }
    if (relative.empty()) relative = "index.html";
    const bool gzip = accepts_gzip(request);
    if (auto r = file_response(relative, false, gzip)) return r;
    // an app route (no file extension in the last segment) is the app's to route
    const std::string& last = request.segments.empty() ? relative : request.segments.back();
    if (last.find('.') == std::string::npos) return file_response("index.html", true, gzip);
    return std::nullopt;
}

}  // namespace gridgov::http
