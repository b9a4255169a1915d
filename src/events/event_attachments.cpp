// Attachments of events: checking a file (type from its bytes, size, how many an event has),
// storing it in the database or as a file, recording the "attach" action with its SHA-256 in the
// event's chain, and reading attachments back for staff and for the public tracking page.
#include <fmt/format.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "events/event_service.hpp"
#include "events/image_check.hpp"
#include "events/publication.hpp"

namespace gridgov::events {

using store::Value;

namespace {

constexpr const char* kColumns =
    "id, event_id, action_seq, file_name, content_type, byte_size, sha256, from_reporter, "
    "public_visible, uploaded_at";

Attachment attachment_from(const store::Row& row) {
    Attachment a;
    a.id = row.integer("id");
    a.event_id = row.integer("event_id");
    a.action_seq = static_cast<int>(row.integer("action_seq"));
    a.file_name = row.text("file_name");
    a.content_type = row.text("content_type");
    a.size = row.integer("byte_size");
    a.sha256 = row.text("sha256");
    a.from_reporter = row.integer("from_reporter") != 0;
    a.public_visible = row.integer("public_visible") != 0;
    a.uploaded_at = row.integer("uploaded_at");
    return a;
}

}  // namespace

void EventService::set_attachment_policy(AttachmentPolicy policy) {
    attachment_policy_ = std::move(policy);
}

Attachment EventService::store_attachment(const Event& event, const std::string& file_name,
                                          const std::string& declared_type, std::string_view bytes,
                                          const std::string& note, bool public_visible,
                                          bool from_reporter, const accounts::Principal* actor,
                                          const accounts::RequestOrigin& origin) {
    const auto& policy = attachment_policy_;
    if (bytes.empty()) throw Error(ErrorCode::missing_field, "The file is empty.", "file");
    if (bytes.size() > policy.max_bytes) {
        throw Error(ErrorCode::payload_too_large,
                    fmt::format("A file has at most {} MiB.", policy.max_bytes / (1024 * 1024)),
                    "file");
    }
    const auto type = sniff_content_type(bytes);
    if (!type) {
        throw Error(ErrorCode::unsupported_media_type,
                    "Attach photos (JPEG, PNG, WebP, HEIC, GIF) or PDF documents.", "file");
    }
    if (!declared_type.empty() && declared_type != "application/octet-stream" &&
        declared_type != *type) {
        throw Error(ErrorCode::unsupported_media_type,
                    fmt::format("The file is {}, not {}.", *type, declared_type), "Content-Type");
    }
    // a photo is one only when it decodes (random bytes behind a PNG signature are not)
    check_image(bytes, *type, policy.max_pixels);
    const std::string digest = sha256_hex(bytes);
    // on disk: the file is flushed before the row that names it is committed; a file whose row
    // never commits is an unreferenced copy, never a row without its bytes
    std::optional<std::string> stored_path;
    if (!policy.directory.empty())
        stored_path = AttachmentFiles(policy.directory).put(digest, bytes);

    Attachment out;
    db_.transact([&](store::Connection& c) {
        // the event's row is the lock that orders this action after any step in flight
        const auto locked = c.run(
            "UPDATE events SET updated_at = updated_at WHERE id = $1 AND "
            "status = $2",
            {event.id, std::string(status_name(event.status))});
        if (locked.affected != 1) throw Error(ErrorCode::version_conflict);
        const auto counts = c.run(
            "SELECT COUNT(*) AS n, COALESCE(SUM(from_reporter), 0) AS mine "
            "FROM event_attachments WHERE event_id = $1",
            {event.id});
        if (counts.front().integer("n") >= policy.max_per_event) {
            throw Error(ErrorCode::conflict,
                        fmt::format("An event has at most {} attachments.", policy.max_per_event),
                        "file");
        }
        if (from_reporter && counts.front().integer("mine") >= policy.max_public_per_event) {
            throw Error(
                ErrorCode::conflict,
                fmt::format("上报人最多上传 {0} 个文件。 A reporter attaches at most {0} files.",
                            policy.max_public_per_event),
                "file");
        }
        if (from_reporter) {
            const auto mine = c.run(
                "SELECT COALESCE(SUM(byte_size), 0) AS n FROM event_attachments WHERE event_id = "
                "$1 AND from_reporter = 1",
                {event.id});
            if (static_cast<std::size_t>(mine.front().integer("n")) + bytes.size() >
                policy.max_public_bytes_per_event)
                throw Error(
                    ErrorCode::payload_too_large,
                    fmt::format("上报人的文件合计最多 {0} MiB。 A reporter's files come to at "
                                "most {0} MiB.",
                                policy.max_public_bytes_per_event / (1024 * 1024)),
                    "file");
            const auto waiting = c.run(
                "SELECT COALESCE(SUM(a.byte_size), 0) AS n FROM event_attachments a JOIN events e "
                "ON e.id = a.event_id WHERE a.from_reporter = 1 AND e.status IN ('reported', "
                "'accepted')");
            if (waiting.front().integer("n") + static_cast<std::int64_t>(bytes.size()) >
                policy.unreviewed_public_quota)
                throw Error(ErrorCode::unavailable,
                            "待处理的群众上传已达上限，请稍后再试。 Uploads from the public are "
                            "full until the centre has taken up more cases; try again later.",
                            "file");
        }
        const Millis now = clock_.now();
        const auto seq_row =
            c.run("SELECT COALESCE(MAX(seq), 0) AS seq FROM event_actions WHERE event_id = $1",
                  {event.id});
        const int seq = static_cast<int>(seq_row.front().integer("seq")) + 1;
        const auto inserted = c.run(
            "INSERT INTO event_attachments (event_id, action_seq, file_name, content_type, "
            "byte_size, sha256, from_reporter, public_visible, content, stored_path, uploaded_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            {event.id, std::int64_t{seq}, file_name, std::string(*type),
             static_cast<std::int64_t>(bytes.size()), digest, std::int64_t{from_reporter ? 1 : 0},
             std::int64_t{public_visible ? 1 : 0},
             stored_path ? Value{nullptr} : Value{store::Bytes{std::string(bytes)}},
             stored_path ? Value{*stored_path} : Value{nullptr}, now});
        const std::int64_t id = inserted.front().integer("id");
        const boost::json::object data{{"attachment_id", id},   {"file_name", file_name},
                                       {"content_type", *type}, {"size", bytes.size()},
                                       {"sha256", digest},      {"public", public_visible}};
        append_action(c, event.id, "attach", actor, now, event.status, event.status, std::nullopt,
                      note, boost::json::serialize(data));
        audit_.record(c, actor, origin, "event_attached", fmt::format("event:{}", event.id), "ok",
                      fmt::format("attachment:{}", id));
        out = attachment_from(
            c.run(fmt::format("SELECT {} FROM event_attachments WHERE id = $1", kColumns), {id})
                .front());
    });
    return out;
}

Attachment EventService::attach(std::int64_t id, const std::string& file_name,
                                const std::string& declared_type, std::string_view bytes,
                                const std::string& note, bool public_visible,
                                const accounts::Principal* actor,
                                const accounts::RequestOrigin& origin) {
    Event e;
    db_.read([&](store::Connection& c) { e = load_visible(c, id, actor); });
    if (e.status == Status::cancelled || e.status == Status::evaluated) {
        throw Error(ErrorCode::conflict,
                    fmt::format("The event is {} ({}); nothing more is attached to it.",
                                status_label_zh(e.status), status_name(e.status)),
                    "action");
    }
    if (note.size() > 6000) throw Error(ErrorCode::invalid_field, "The note is too long.", "note");
    return store_attachment(e, file_name, declared_type, bytes, note, public_visible, false, actor,
                            origin);
}

Attachment EventService::attach_by_reporter(const std::string& tracking_code,
                                            const std::string& file_name,
                                            const std::string& declared_type,
                                            std::string_view bytes,
                                            const accounts::RequestOrigin& origin) {
    const auto e = find_by_tracking_code(tracking_code);
    if (!e) throw Error(ErrorCode::not_found, "No event has that tracking code.");
    if ((e->status != Status::reported && e->status != Status::accepted) ||
        clock_.now() - e->reported_at > kDay) {
        throw Error(ErrorCode::conflict,
                    "Photos are added within a day of reporting, before the case is dispatched.",
                    "action");
    }
    return store_attachment(*e, file_name, declared_type, bytes, "", true, true, nullptr, origin);
}

std::vector<Attachment> EventService::read_attachments(std::int64_t event_id, bool public_only) {
    std::vector<Attachment> out;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run(fmt::format("SELECT {} FROM event_attachments WHERE event_id = $1 "
                                            "{} ORDER BY id",
                                            kColumns, public_only ? "AND public_visible = 1" : ""),
                                {event_id});
        for (const auto& row : rows.rows) out.push_back(attachment_from(row));
    });
    return out;
}

EventService::AttachmentContent EventService::read_content(std::int64_t event_id,
                                                           std::int64_t attachment_id,
                                                           bool public_only) {
    std::optional<AttachmentContent> out;
    std::optional<std::string> stored_path;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run(
            fmt::format("SELECT {}, content, stored_path FROM event_attachments WHERE id = $1 AND "
                        "event_id = $2 {}",
                        kColumns, public_only ? "AND public_visible = 1" : ""),
            {attachment_id, event_id});
        if (rows.empty()) return;
        out = AttachmentContent{attachment_from(rows.front()), {}};
        stored_path = rows.front().opt_text("stored_path");
        if (!stored_path) out->bytes = rows.front().bytes("content");
    });
    if (!out) throw Error(ErrorCode::not_found, "No such attachment.");
    if (stored_path) {
        if (attachment_policy_.directory.empty())
            throw Error(ErrorCode::internal,
                        "The attachment is stored as a file but no directory is configured.");
        out->bytes = AttachmentFiles(attachment_policy_.directory).get(*stored_path);
    }
    return std::move(*out);
}

std::vector<Attachment> EventService::attachments(std::int64_t id,
                                                  const accounts::Principal* viewer) {
    (void)get(id, viewer);  // not_found unless the viewer sees the event
    return read_attachments(id, false);
}

std::vector<Attachment> EventService::public_attachments(const std::string& tracking_code) {
    const auto e = find_by_tracking_code(tracking_code);
    if (!e) throw Error(ErrorCode::not_found, "No event has that tracking code.");
    return read_attachments(e->id, true);
}

EventService::AttachmentContent EventService::attachment_content(
    std::int64_t id, std::int64_t attachment_id, const accounts::Principal* viewer) {
    (void)get(id, viewer);
    return read_content(id, attachment_id, false);
}

std::vector<Attachment> EventService::published_attachments(std::int64_t event_id) {
    std::optional<Event> e;
    db_.read([&](store::Connection& c) { e = load(c, event_id); });
    if (!e || !is_published_channel(e->channel))
        throw Error(ErrorCode::not_found, "没有这个文件。 No such file.");
    return read_attachments(event_id, true);
}

EventService::AttachmentContent EventService::published_attachment_content(
    std::int64_t event_id, std::int64_t attachment_id) {
    published_attachments(event_id);
    return read_content(event_id, attachment_id, true);
}

EventService::AttachmentContent EventService::public_attachment_content(
    const std::string& tracking_code, std::int64_t attachment_id) {
    const auto e = find_by_tracking_code(tracking_code);
    if (!e) throw Error(ErrorCode::not_found, "No event has that tracking code.");
    return read_content(e->id, attachment_id, true);
}

}  // namespace gridgov::events
