#include "events/attachments.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace gridgov::events {

namespace fs = std::filesystem;

std::optional<std::string_view> sniff_content_type(std::string_view b) {
    const auto starts = [&](std::string_view prefix, std::size_t at = 0) {
        return b.size() >= at + prefix.size() && b.substr(at, prefix.size()) == prefix;
    };
    if (starts("\xFF\xD8\xFF")) return "image/jpeg";
    if (starts("\x89PNG\r\n\x1A\n")) return "image/png";
    if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
    if (starts("RIFF") && starts("WEBP", 8)) return "image/webp";
    if (starts("ftyp", 4)) {
        static constexpr std::array<std::string_view, 6> heif{"heic", "heix", "heim",
                                                              "heis", "mif1", "msf1"};
        for (const auto brand : heif) {
            if (starts(brand, 8)) return "image/heic";
        }
    }
    if (starts("%PDF-")) return "application/pdf";
    return std::nullopt;
}

bool is_image(std::string_view content_type) {
    return content_type.starts_with("image/");
}

std::string clean_file_name(std::string_view name) {
    if (const auto slash = name.find_last_of("/\\"); slash != std::string_view::npos)
        name.remove_prefix(slash + 1);
    std::string out;
    for (const char ch : name) {
        const auto u = static_cast<unsigned char>(ch);
        if (u < 0x20 || u == 0x7F || ch == '"' || ch == ';') continue;
        out += ch;
    }
    // cut at a character boundary
    if (out.size() > 200) {
        std::size_t cut = 200;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
    }
    while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(0, 1);
    return out.empty() ? "attachment" : out;
}

AttachmentFiles::AttachmentFiles(std::string directory) : directory_(std::move(directory)) {}

namespace {

void flush_or_throw(int fd, const std::string& what) {
    if (::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        throw std::runtime_error(fmt::format("cannot flush {}: {}", what, std::strerror(err)));
    }
}

void flush_directory(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) throw std::runtime_error("cannot open " + dir.string());
    flush_or_throw(fd, dir.string());
    ::close(fd);
}

}  // namespace

std::string AttachmentFiles::put(const std::string& sha256, std::string_view bytes) const {
    if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw std::invalid_argument("not a SHA-256 digest: " + sha256);
    const std::string relative = sha256.substr(0, 2) + "/" + sha256;
    const fs::path dir = fs::path(directory_) / sha256.substr(0, 2);
    const fs::path target = fs::path(directory_) / relative;
    std::error_code ec;
    if (fs::exists(target, ec) && fs::file_size(target, ec) == bytes.size()) return relative;
    fs::create_directories(dir);
    const fs::path temporary = dir / ("." + sha256 + "." + random_token(6));
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0)
        throw std::runtime_error(
            fmt::format("cannot create {}: {}", temporary.string(), std::strerror(errno)));
    std::size_t written = 0;
    while (written < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            fs::remove(temporary, ec);
            throw std::runtime_error(
                fmt::format("cannot write {}: {}", temporary.string(), std::strerror(err)));
        }
        written += static_cast<std::size_t>(n);
    }
    flush_or_throw(fd, temporary.string());
    ::close(fd);
    fs::rename(temporary, target);
    flush_directory(dir);
    return relative;
}

std::string AttachmentFiles::get(const std::string& relative) const {
    std::ifstream in(fs::path(directory_) / relative, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::internal,
                    fmt::format("The stored file {} of an attachment is missing.", relative));
    std::ostringstream out;
    out << in.rdbuf();
    return std::move(out).str();
}

}  // namespace gridgov::events
