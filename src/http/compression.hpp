// gzip for responses a client accepts it for: JSON, GeoJSON, text, scripts and vector tiles over
// a kilobyte, compressed fast as they are made; the web app's files compressed hard once and kept.
// A response with an ETag (a record's version, compared by If-Match) is left as it is.
#pragma once

#include <string>
#include <string_view>

#include "http/request.hpp"

namespace gridgov::http {

// True when the request's Accept-Encoding takes gzip (and does not refuse it with q=0).
bool accepts_gzip(const Request& request);
// True for content types that compress (not images, archives or spreadsheets).
bool compressible(std::string_view content_type);
// The bytes as a gzip member, at zlib's level (1 fast … 9 small).
std::string gzip(std::string_view bytes, int level);
// Compresses the response in place when the request accepts gzip and the response is worth it;
// says Vary: Accept-Encoding for any response that could have been compressed.
void compress_response(const Request& request, Response& response);

}  // namespace gridgov::http
