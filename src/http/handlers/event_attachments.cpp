// Attachments of events over HTTP. A file is uploaded as the raw request body (its type in
// Content-Type, its name in ?name=), as with object stores; the answer describes the stored
// file. Staff read the attachments of the events they see; the public reads those shown on the
// tracking page, and the reporter adds photos through the tracking code.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "http/app.hpp"
#include "http/error_response.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"
#include "http/rate_limiter.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

json::object attachment_json(const events::Attachment& a, const std::string& url) {
    return {{"id", a.id},
            {"file_name", a.file_name},
            {"content_type", a.content_type},
            {"size", a.size},
            {"sha256", a.sha256},
            {"from_reporter", a.from_reporter},
            {"public", a.public_visible},
            {"uploaded_at", format_rfc3339(a.uploaded_at)},
            {"action_seq", a.action_seq},
            {"url", url}};
}

std::string staff_url(const events::Attachment& a) {
    return fmt::format("/api/v1/events/{}/attachments/{}", a.event_id, a.id);
}

std::string public_url(const std::string& code, const events::Attachment& a) {
    return fmt::format("/api/v1/public/track/{}/attachments/{}", code, a.id);
}

std::string declared_type(const Request& r) {
    std::string type(r.header("content-type"));
    if (const auto semi = type.find(';'); semi != std::string::npos) type.resize(semi);
    while (!type.empty() && type.back() == ' ') type.pop_back();
    return type;
}

std::string upload_name(const Request& r) {
    const auto name = r.query_param("name");
    if (!name || name->empty())
        throw Error(ErrorCode::missing_field, "Name the file (?name=photo.jpg).", "name");
    return events::clean_file_name(*name);
}

bool flag(const Request& r, std::string_view name, bool fallback) {
    const auto v = r.query_param(name);
    if (!v) return fallback;
    if (*v == "true" || *v == "1") return true;
    if (*v == "false" || *v == "0") return false;
    throw Error(ErrorCode::invalid_field, "Use true or false.", std::string(name));
}

}  // namespace

Response file_response(const events::EventService::AttachmentContent& content) {
    Response res;
    res.status = 200;
    res.body = content.bytes;
    res.set_header("Content-Type", content.meta.content_type);
    // photos show in the page; anything else downloads under its name (RFC 6266, UTF-8 names)
    const bool inline_ = events::is_image(content.meta.content_type);
    std::string encoded;
    for (const unsigned char ch : content.meta.file_name) {
        if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
            encoded += static_cast<char>(ch);
        } else {
            encoded += fmt::format("%{:02X}", ch);
        }
    }
    res.set_header("Content-Disposition", fmt::format("{}; filename*=UTF-8''{}",
                                                      inline_ ? "inline" : "attachment", encoded));
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
    res.set_header("Cache-Control", "private, max-age=86400, immutable");
    res.set_header("ETag", "\"" + content.meta.sha256 + "\"");
    return res;
}

json::array public_attachments_json(const std::string& code,
                                    const std::vector<events::Attachment>& list) {
    json::array out;
    for (const auto& a : list) {
        json::object o = attachment_json(a, public_url(code, a));
        o.erase("sha256");
        o.erase("action_seq");
        out.push_back(std::move(o));
    }
    return out;
}

void add_event_attachment_routes(Router& router, const Services& s, const AppOptions& options) {
    // files from the public: a limit per client address a day, beside the per-report caps
    auto uploads = std::make_shared<RateLimiter>(options.public_uploads_per_day, kDay);
    router.add(
        "POST", "/api/v1/events/{id}/attachments", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            const auto note = r.query_param("note").value_or("");
            const auto a = s.events.attach(id, upload_name(r), declared_type(r), r.body, note,
                                           flag(r, "public", false), &*r.principal, r.origin());
            Response res = Response::json(201, attachment_json(a, staff_url(a)));
            res.set_header("Location", staff_url(a));
            return res;
        },
        "Attach a photo or document to an event: the file is the body, ?name= its name, "
        "?public=true shows it on the tracking page, ?note= a note");

    router.add(
        "GET", "/api/v1/events/{id}/attachments", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& a : s.events.attachments(path_id(r, "id"), &*r.principal))
                items.push_back(attachment_json(a, staff_url(a)));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The files attached to an event");

    router.add(
        "GET", "/api/v1/events/{id}/attachments/{attachment}", Access::authenticated,
        [s](Request& r) {
            return file_response(s.events.attachment_content(
                path_id(r, "id"), path_id(r, "attachment"), &*r.principal));
        },
        "One attached file, as stored");

    router.add(
        "POST", "/api/v1/public/track/{code}/attachments", Access::public_,
        [s, uploads](Request& r) {
            const std::string code = r.params.at("code");
            if (!uploads->allow(r.origin().ip, s.clock.now())) {
                Response res = error_response(
                    Error(ErrorCode::too_many_requests,
                          "此地址今天上传的文件已达上限。 Too many files from this address today."),
                    r.origin().request_id);
                res.set_header(
                    "Retry-After",
                    std::to_string((uploads->retry_after(r.origin().ip, s.clock.now()) + 999) /
                                   1000));
                return res;
            }
            const auto a = s.events.attach_by_reporter(code, upload_name(r), declared_type(r),
                                                       r.body, r.origin());
            return Response::json(201, attachment_json(a, public_url(code, a)));
        },
        "The reporter adds a photo through the tracking code, within a day, before dispatch");

    router.add(
        "GET", "/api/v1/public/track/{code}/attachments", Access::public_,
        [s](Request& r) {
            const std::string code = r.params.at("code");
            return Response::json(
                200, json::object{{"items", public_attachments_json(
                                                code, s.events.public_attachments(code))}});
        },
        "The files shown on the tracking page");

    router.add(
        "GET", "/api/v1/public/track/{code}/attachments/{attachment}", Access::public_,
        [s](Request& r) {
            return file_response(
                s.events.public_attachment_content(r.params.at("code"), path_id(r, "attachment")));
        },
        "A file shown on the tracking page");
}

}  // namespace gridgov::http
