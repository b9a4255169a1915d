// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) under /open311/v2: discovery; services (the
// active minor categories of the groups the deployment opens to other systems) and their
// definitions; creating a request with an API key; listing requests with the spec's filters,
// reading one, and tokens (a request's tracking code). Every resource in XML and in JSON by its
// extension, errors as the spec writes them, times in China time with their offset.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/params_view.hpp>
#include <charconv>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "core/working_calendar.hpp"
#include "events/publication.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_text.hpp"
#include "http/open311_xml.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

constexpr int kChinaMinutes = 8 * 60;
constexpr Millis kMaxSpan = 90 * kDay;  // the spec's largest start_date … end_date window
constexpr std::size_t kMaxRequests = 1000;

enum class Format { json, xml };

// An error in the spec's own words: its HTTP status and a description.
struct Problem {
    int code;
    std::string description;
};

std::pair<std::string, Format> split_file(const std::string& file) {
    if (file.ends_with(".json")) return {file.substr(0, file.size() - 5), Format::json};
    if (file.ends_with(".xml")) return {file.substr(0, file.size() - 4), Format::xml};
    throw Problem{404, "Ask for .xml or .json."};
}

Response reply(Format format, int status, std::string_view root, std::string_view item,
               const json::value& body) {
    Response res;
    res.status = status;
    if (format == Format::json) {
        res.body = plain_json(body);
        res.set_header("Content-Type", "application/json; charset=utf-8");
    } else {
        res.body = xml_document(root, item, body);
        res.set_header("Content-Type", "text/xml; charset=utf-8");
    }
    return res;
}

Response problem_reply(Format format, const Problem& p) {
    return reply(format, p.code, "errors", "error",
                 json::array{json::object{{"code", p.code}, {"description", p.description}}});
}

// Runs a handler and writes any error the way the spec does, in the format asked for.
Response guarded(Format format, const std::function<Response()>& body) {
    try {
        return body();
    } catch (const Problem& p) {
        return problem_reply(format, p);
    } catch (const Error& e) {
        const int status = error_info(e.code()).http_status;
        if (status >= 500) throw;
        std::string text = e.what();
        if (!e.field().empty()) text = e.field() + ": " + text;
        return problem_reply(format, {status, text});
    }
}

struct Open311Context {
    Services s;
    AppOptions options;

    bool exposed(const events::Category& c) const {
        if (c.is_major() || !c.active) return false;
        for (const auto& group : options.open311_service_groups) {
            if (c.code.starts_with(group)) return true;
        }
        return false;
    }

    // Who reads: the system whose api_key is given (its scope bounds what it reads), or anyone
    // (nullopt) where reads need no key; either way only the published requests.
    std::optional<accounts::Principal> reader(const Request& r) const {
        const auto key = r.query_param("api_key");
        if (!key || key->empty()) {
            if (options.open311_read_requires_key) throw Problem{403, "api_key was not provided."};
            return std::nullopt;
        }
        try {
            return s.api_keys.resolve(*key);
        } catch (const Error&) {
            throw Problem{403, "api_key is not valid."};
        }
    }

    void check_jurisdiction(const std::optional<std::string>& given) const {
        if (!given || given->empty() || options.open311_jurisdiction_id.empty()) return;
        if (*given != options.open311_jurisdiction_id)
            throw Problem{404, "jurisdiction_id provided was not found."};
    }
};

std::string handle_limit_zh(const events::Category& c) {
    if (!c.handle_limit) return "";
    return fmt::format("，处置时限 {} 个{}", *c.handle_limit,
                       c.handle_unit == "days" ? "工作日" : "工作小时");
}

json::object service_json(const events::Category& c, const events::Catalogue& catalogue) {
    const auto major = catalogue.category(*c.parent_code);
    const std::string group = major ? major->name : *c.parent_code;
    return {{"service_code", c.code},
            {"service_name", c.name},
            {"description", fmt::format("{}（{}）{}", c.name, c.name_en, handle_limit_zh(c))},
            {"metadata", true},
            {"type", "realtime"},
            {"keywords", fmt::format("{},{},{}", group, c.name, c.name_en)},
            {"group", group}};
}

// The attributes every service takes: whether anyone is at risk, and when it was seen.
json::array attributes_json() {
    return {json::object{{"variable", true},
                         {"code", "HAZARD"},
                         {"datatype", "singlevaluelist"},
                         {"required", false},
                         {"datatype_description", nullptr},
                         {"order", 1},
                         {"description", "是否危及人身安全 Is anyone at risk?"},
                         {"values", json::array{json::object{{"key", "yes"}, {"name", "是 Yes"}},
                                                json::object{{"key", "no"}, {"name", "否 No"}}}}},
            json::object{{"variable", true},
                         {"code", "OBSERVED"},
                         {"datatype", "datetime"},
                         {"required", false},
                         {"datatype_description", "ISO 8601, e.g. 2026-11-22T08:30:00+08:00"},
                         {"order", 2},
                         {"description", "发现时间 When was it seen?"}}};
}

json::value w3c_or_null(const std::optional<Millis>& t) {
    return t ? json::value(format_w3c(*t, kChinaMinutes)) : json::value(nullptr);
}

json::object request_json(const events::Event& e, const Open311Context& ctx,
                          const std::string& base_url) {
    using events::Status;
    const auto category =
        e.category_code ? ctx.s.catalogue.category(*e.category_code) : std::nullopt;
    const bool open = events::is_open(e.status);
    std::string notes(events::status_label_zh(e.status));
    if (e.status == Status::cancelled && e.cancel_reason) {
        notes += e.cancel_reason == "duplicate" ? "：重复上报"
                 : e.cancel_reason == "invalid" ? "：经核实不属实"
                                                : "：不属于受理范围";
    }
    std::string agencies;
    for (const auto& a : e.assignments) {
        if (a.status == "returned") continue;
        agencies += (agencies.empty() ? "" : "、") + a.department_name;
    }
    std::optional<Millis> expected = e.handle_due;
    if (!expected && e.status == Status::accepted) expected = e.dispatch_due;
    if (!expected && e.status == Status::reported) expected = e.accept_due;
    // the first public image, at an address that names the request, never its tracking code
    json::value media = nullptr;
    for (const auto& a : ctx.s.events.published_attachments(e.id)) {
        if (!events::is_image(a.content_type)) continue;
        media = fmt::format("{}/open311/v2/media/{}/{}", base_url, e.id, a.id);
        break;
    }
    const auto point =
        e.location ? std::optional(events::published_point(*e.location)) : std::nullopt;
    return {{"service_request_id", std::to_string(e.id)},
            {"status", open ? "open" : "closed"},
            {"status_notes", notes},
            {"service_name", category ? json::value(category->name) : nullptr},
            {"service_code", or_null(e.category_code)},
            {"description", events::published_text(e.description)},
            {"agency_responsible", agencies.empty() ? json::value(nullptr) : json::value(agencies)},
            {"service_notice", nullptr},
            {"requested_datetime", format_w3c(e.reported_at, kChinaMinutes)},
            {"updated_datetime", format_w3c(e.updated_at, kChinaMinutes)},
            {"expected_datetime", w3c_or_null(expected)},
            {"address", e.address ? json::value(events::published_text(*e.address)) : nullptr},
            {"address_id", nullptr},
            {"zipcode", nullptr},
            {"lat", point ? json::value(point->lat) : nullptr},
            {"long", point ? json::value(point->lon) : nullptr},
            {"media_url", media}};
}

// The body of a POST: application/x-www-form-urlencoded, as the spec sends it.
std::multimap<std::string, std::string> form_fields(const Request& r) {
    std::string type(r.header("content-type"));
    if (!type.empty() && !type.starts_with("application/x-www-form-urlencoded"))
        throw Problem{400, "Send the request as application/x-www-form-urlencoded."};
    std::multimap<std::string, std::string> out;
    try {
        for (const auto& p : boost::urls::params_view(r.body)) {
            out.emplace(p.key, p.has_value ? p.value : std::string());
        }
    } catch (const std::exception&) {
        throw Problem{400, "The request body is not a valid form."};
    }
    return out;
}

std::optional<std::string> field(const std::multimap<std::string, std::string>& form,
                                 const std::string& name) {
    const auto it = form.find(name);
    if (it == form.end() || it->second.empty()) return std::nullopt;
    return it->second;
}

std::optional<double> coordinate(const std::optional<std::string>& text, const char* name,
                                 double limit) {
    if (!text) return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc{} || end != text->data() + text->size() || !std::isfinite(v) ||
        std::abs(v) > limit) {
        throw Problem{400, fmt::format("{} is not a valid coordinate.", name)};
    }
    return v;
}

std::optional<Millis> date_param(const Request& r, const char* name) {
    const auto text = r.query_param(name);
    if (!text || text->empty()) return std::nullopt;
    const auto t = parse_rfc3339(*text);
    if (!t)
        throw Problem{400, fmt::format("{} is not a W3C date and time with a time zone.", name)};
    return t;
}

std::vector<std::string> comma_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        std::string item =
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!item.empty()) out.push_back(std::move(item));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

}  // namespace

void add_open311_routes(Router& router, const Services& s, const AppOptions& options) {
    auto ctx = std::make_shared<Open311Context>(Open311Context{s, options});
    // a route for each format of a fixed resource, one with a {file} part for the others
    const auto both = [&](const std::string& method, const std::string& path,
                          const std::function<Response(Request&, Format)>& handler,
                          const std::string& summary) {
        for (const auto& [ext, format] :
             {std::pair{".xml", Format::xml}, {".json", Format::json}}) {
            router.add(
                method, path + ext, Access::public_,
                [handler, format](Request& r) {
                    return guarded(format, [&] { return handler(r, format); });
                },
                summary);
        }
    };

    both(
        "GET", "/open311/v2/discovery",
        [](Request& r, Format f) {
            const std::string changeset = "2026-11-22T00:00:00+08:00";
            json::object body{
                {"changeset", changeset},
                {"contact", "网格化服务管理中心 Grid governance command centre"},
                {"key_service",
                 "API keys are issued by the platform's administrators (系统管理员), "
                 "who give each system its own key and scope."},
                {"endpoints", json::array{json::object{
                                  {"specification", "http://wiki.open311.org/GeoReport_v2"},
                                  {"url", public_base_url(r) + "/open311/v2"},
                                  {"changeset", changeset},
                                  {"type", "production"},
                                  {"formats", json::array{"text/xml", "application/json"}}}}}};
            return reply(f, 200, "discovery", "", body);
        },
        "Open311 service discovery");

    both(
        "GET", "/open311/v2/services",
        [ctx](Request& r, Format f) {
            ctx->check_jurisdiction(r.query_param("jurisdiction_id"));
            json::array services;
            for (const auto& c : ctx->s.catalogue.categories()) {
                if (ctx->exposed(c)) services.push_back(service_json(c, ctx->s.catalogue));
            }
            return reply(f, 200, "services", "service", services);
        },
        "Open311: the services (categories) requests may be made for");

    router.add(
        "GET", "/open311/v2/services/{file}", Access::public_,
        [ctx](Request& r) {
            Format f = Format::json;
            return guarded(f, [&] {
                const auto [code, format] = split_file(r.params.at("file"));
                f = format;
                return guarded(f, [&, code = code] {
                    ctx->check_jurisdiction(r.query_param("jurisdiction_id"));
                    const auto c = ctx->s.catalogue.category(code);
                    if (!c || !ctx->exposed(*c))
                        throw Problem{404, "service_code provided was not found."};
                    return reply(
                        f, 200, "service_definition", "",
                        json::object{{"service_code", code}, {"attributes", attributes_json()}});
                });
            });
        },
        "Open311: a service definition (its attributes), as .xml or .json");

    both(
        "POST", "/open311/v2/requests",
        [ctx](Request& r, Format f) {
            const auto form = form_fields(r);
            const auto key = field(form, "api_key");
            if (!key) throw Problem{403, "api_key was not provided."};
            accounts::Principal actor;
            try {
                actor = ctx->s.api_keys.resolve(*key);
            } catch (const Error&) {
                throw Problem{403, "api_key is not valid."};
            }
            ctx->check_jurisdiction(field(form, "jurisdiction_id"));
            const auto code = field(form, "service_code");
            if (!code) throw Problem{400, "service_code was not provided."};
            const auto category = ctx->s.catalogue.category(*code);
            if (!category || !ctx->exposed(*category))
                throw Problem{404, "service_code provided was not found."};

            events::NewEvent in;
            in.channel = "open311";
            in.category_code = *code;
            const auto lat = coordinate(field(form, "lat"), "lat", 90);
            const auto lon = coordinate(field(form, "long"), "long", 180);
            if (lat.has_value() != lon.has_value())
                throw Problem{400, "lat and long are given together."};
            if (lat) in.location = geo::LonLat{*lon, *lat};
            in.address = field(form, "address_string");
            const auto address_id = field(form, "address_id");
            if (!in.location && !in.address && !address_id)
                throw Problem{400,
                              "A location is required: lat and long, address_string or "
                              "address_id."};
            if (address_id) in.details.emplace_back("address_id", *address_id);
            in.title = category->name;
            in.description = field(form, "description").value_or(category->name);
            const auto first = field(form, "first_name").value_or("");
            const auto last = field(form, "last_name").value_or("");
            // Chinese names are written family name first, without a space
            const std::string both = first + last;
            const bool ascii =
                std::all_of(both.begin(), both.end(), [](unsigned char ch) { return ch < 0x80; });
            const std::string name =
                ascii ? first + (first.empty() || last.empty() ? "" : " ") + last : last + first;
            if (!name.empty()) in.reporter_name = name;
            in.reporter_phone = field(form, "phone");
            if (const auto media = field(form, "media_url")) {
                if (media->size() > 500 ||
                    !(media->starts_with("https://") || media->starts_with("http://")))
                    throw Problem{400, "media_url is an http(s) URL of at most 500 characters."};
                in.details.emplace_back("media_url", *media);
            }
            for (const char* id : {"device_id", "account_id"}) {
                if (const auto v = field(form, id)) {
                    if (v->size() > 100) throw Problem{400, fmt::format("{} is too long.", id)};
                    in.details.emplace_back(id, *v);
                }
            }
            for (const auto& [k, v] : form) {
                if (!k.starts_with("attribute[")) continue;
                if (k == "attribute[HAZARD]") {
                    if (v != "yes" && v != "no")
                        throw Problem{400, "attribute[HAZARD] is yes or no."};
                } else if (k == "attribute[OBSERVED]") {
                    if (!parse_rfc3339(v))
                        throw Problem{400, "attribute[OBSERVED] is a W3C date and time."};
                } else {
                    throw Problem{400, fmt::format("{} is not an attribute of this service.", k)};
                }
                in.details.emplace_back(k.substr(10, k.size() - 11), v);
            }
            const auto intake = ctx->s.events.report(in, &actor, r.origin());
            const auto& e = intake.event;
            json::value account = nullptr;
            if (const auto a = field(form, "account_id")) account = *a;
            return reply(
                f, 200, "service_requests", "request",
                // the request exists at once: its id, and (as the spec says) no token beside it
                json::array{json::object{
                    {"service_request_id", std::to_string(e.id)},
                    {"service_notice", fmt::format("已受理登记，查询码 {}{}", e.tracking_code,
                                                   handle_limit_zh(*category))},
                    {"account_id", account}}});
        },
        "Open311: create a service request (form fields, with api_key)");

    both(
        "GET", "/open311/v2/requests",
        [ctx](Request& r, Format f) {
            ctx->check_jurisdiction(r.query_param("jurisdiction_id"));
            const auto reader = ctx->reader(r);
            events::EventFilter filter;
            filter.published_only = true;
            for (const auto& group : ctx->options.open311_service_groups)
                filter.category_prefixes.push_back(group);
            if (const auto ids = r.query_param("service_request_id"); ids && !ids->empty()) {
                // the ids given override every other filter
                for (const auto& id : comma_list(*ids)) {
                    std::int64_t v = 0;
                    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
                    if (ec != std::errc{} || end != id.data() + id.size() || v <= 0)
                        throw Problem{400, fmt::format("{} is not a service_request_id.", id)};
                    filter.ids.push_back(v);
                }
                if (filter.ids.size() > kMaxRequests)
                    throw Problem{400, "Ask for at most 1,000 requests at once."};
            } else {
                if (const auto codes = r.query_param("service_code"); codes && !codes->empty()) {
                    filter.category_prefixes.clear();
                    for (const auto& code : comma_list(*codes)) {
                        const auto c = ctx->s.catalogue.category(code);
                        if (!c || !ctx->exposed(*c))
                            throw Problem{400, fmt::format("service_code {} was not found.", code)};
                        filter.category_prefixes.push_back(code);
                    }
                }
                auto start = date_param(r, "start_date");
                auto end = date_param(r, "end_date");
                if (start && end && *end < *start)
                    throw Problem{400, "end_date is before start_date."};
                if (start && end && *end - *start > kMaxSpan)
                    throw Problem{400, "start_date and end_date span at most 90 days."};
                // without dates, the most recent 90 days
                if (!end) end = start ? *start + kMaxSpan : ctx->s.clock.now();
                if (!start) start = *end - kMaxSpan;
                filter.since = *start;
                filter.until = *end + 1;
                if (const auto statuses = r.query_param("status"); statuses && !statuses->empty()) {
                    bool open = false, closed = false;
                    for (const auto& st : comma_list(*statuses)) {
                        if (st == "open") {
                            open = true;
                        } else if (st == "closed") {
                            closed = true;
                        } else {
                            throw Problem{400, "status is open, closed or both."};
                        }
                    }
                    filter.open_only = open && !closed;
                    filter.finished_only = closed && !open;
                }
            }
            const auto list =
                ctx->s.events.list(filter, reader ? &*reader : nullptr, kMaxRequests, 0, nullptr);
            json::array out;
            const std::string base = public_base_url(r);
            for (const auto& e : list) out.push_back(request_json(e, *ctx, base));
            return reply(f, 200, "service_requests", "request", out);
        },
        "Open311: requests by service_request_id, service_code, start_date, end_date and status");

    router.add(
        "GET", "/open311/v2/requests/{file}", Access::public_,
        [ctx](Request& r) {
            Format f = Format::json;
            return guarded(f, [&] {
                const auto [id_text, format] = split_file(r.params.at("file"));
                f = format;
                return guarded(f, [&, id_text = id_text] {
                    ctx->check_jurisdiction(r.query_param("jurisdiction_id"));
                    std::int64_t id = 0;
                    const auto [end, ec] =
                        std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
                    const auto reader = ctx->reader(r);
                    events::EventFilter filter;
                    filter.published_only = true;
                    filter.ids = {id};
                    for (const auto& group : ctx->options.open311_service_groups)
                        filter.category_prefixes.push_back(group);
                    if (ec != std::errc{} || end != id_text.data() + id_text.size() || id <= 0)
                        throw Problem{404, "service_request_id provided was not found."};
                    const auto list =
                        ctx->s.events.list(filter, reader ? &*reader : nullptr, 1, 0, nullptr);
                    if (list.empty())
                        throw Problem{404, "service_request_id provided was not found."};
                    return reply(f, 200, "service_requests", "request",
                                 json::array{request_json(list.front(), *ctx, public_base_url(r))});
                });
            });
        },
        "Open311: one request, as .xml or .json");

    router.add(
        "GET", "/open311/v2/tokens/{file}", Access::public_,
        [ctx](Request& r) {
            Format f = Format::json;
            return guarded(f, [&] {
                const auto [token, format] = split_file(r.params.at("file"));
                f = format;
                return guarded(f, [&, token = token] {
                    ctx->check_jurisdiction(r.query_param("jurisdiction_id"));
                    const auto e = token.size() == 10 ? ctx->s.events.find_by_tracking_code(token)
                                                      : std::nullopt;
                    if (!e) throw Problem{404, "token provided was not found."};
                    return reply(
                        f, 200, "service_requests", "request",
                        json::array{json::object{{"service_request_id", std::to_string(e->id)},
                                                 {"token", token}}});
                });
            });
        },
        "Open311: the request a token (tracking code) stands for, as .xml or .json");

    router.add(
        "GET", "/open311/v2/media/{id}/{attachment}", Access::public_,
        [ctx](Request& r) {
            return file_response(ctx->s.events.published_attachment_content(
                path_id(r, "id"), path_id(r, "attachment")));
        },
        "Open311: a public image of a published request (its media_url)");

    // any other resource or format answers as the spec writes errors, not in gridgov's own form
    for (const char* method : {"GET", "POST"}) {
        router.add(
            method, "/open311/v2/{file}", Access::public_,
            [](Request& r) {
                const std::string& file = r.params.at("file");
                const Format f = file.ends_with(".xml") ? Format::xml : Format::json;
                return guarded(f, [&]() -> Response {
                    if (file.ends_with(".json") || file.ends_with(".xml"))
                        throw Problem{404, "No such resource."};
                    throw Problem{404, "Ask for .xml or .json."};
                });
            },
            "Open311: an unknown resource or format, answered as an Open311 error");
    }
}

}  // namespace gridgov::http
