// Files attached to events (photos of the problem and of the result, documents): which types are
// accepted (recognised from their first bytes, not from what the client claims), how large they
// may be, and where the bytes live: in the database, or as content-addressed files in a directory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace gridgov::events {

struct AttachmentPolicy {
    std::size_t max_bytes = 10 * 1024 * 1024;
    int max_per_event = 30;
    int max_public_per_event = 9;  // attached with the tracking code, by the reporter
    std::size_t max_public_bytes_per_event = 20 * 1024 * 1024;  // the reporter's, all together
    // the files residents sent to cases nobody has taken up yet, all together: past it, public
    // uploads wait until the centre has worked through some
    std::int64_t unreviewed_public_quota = std::int64_t{2} << 30;
    std::int64_t max_pixels = 50'000'000;  // a photo's picture
    std::string directory;                 // empty: the bytes are kept in the database
};

struct Attachment {
    std::int64_t id = 0;
    std::int64_t event_id = 0;
    int action_seq = 0;  // the "attach" action in the event's chain
    std::string file_name;
    std::string content_type;
    std::int64_t size = 0;
    std::string sha256;
    bool from_reporter = false;   // attached by the reporter through the tracking code
    bool public_visible = false;  // shown on the public tracking page
    Millis uploaded_at = 0;
};

// The content type the bytes are, for the types gridgov accepts (JPEG, PNG, WebP, HEIC, GIF,
// PDF); nullopt for anything else.
std::optional<std::string_view> sniff_content_type(std::string_view bytes);
bool is_image(std::string_view content_type);

// A file name fit for storing and for a Content-Disposition header: the last path part, control
// characters and quotes removed, at most 200 bytes; "attachment" when nothing is left.
std::string clean_file_name(std::string_view name);

// Content-addressed files under a directory: <dir>/<sha[0:2]>/<sha>. A file is written to a
// temporary name, flushed, renamed into place and its directory flushed, so that once put()
// returns the bytes survive a crash; the same bytes put twice are one file.
class AttachmentFiles {
  public:
    explicit AttachmentFiles(std::string directory);
    // The path of the stored file, relative to the directory.
    std::string put(const std::string& sha256, std::string_view bytes) const;
    std::string get(const std::string& relative) const;

  private:
    std::string directory_;
};

}  // namespace gridgov::events
