// Serves the built web app: files under the web root with their content types, hashed assets
// (/assets/*) cached for a year, everything else revalidated; app routes without a file fall
// back to index.html so the browser app can route them. Paths that try to leave the root are
// refused before the file system is touched. Text and scripts go gzipped to browsers that take
// it, compressed once.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/request.hpp"

namespace gridgov::http {

class StaticFiles {
  public:
    explicit StaticFiles(std::string root);

    // The file's response, the index.html fallback, or nullopt for a missing file.
    std::optional<Response> serve(const Request& request) const;
    bool available() const;  // an index.html exists

  private:
    std::optional<Response> file_response(const std::string& relative, bool fallback,
                                          bool gzip) const;
    std::string root_;
    // the files sent compressed, compressed once while the file stays the same
    struct Packed {
        std::int64_t modified_ns = 0, size = 0;
        std::string gzip;
    };
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, Packed> packed_;
};

std::string_view content_type_for(std::string_view path);

}  // namespace gridgov::http
