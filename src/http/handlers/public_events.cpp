// The public side of events, no account needed: a resident reports a problem and gets a tracking
// code; anyone with the code follows the case (its steps and times, without staff names, notes or
// personal data), sees it as a QR code, and the reporter rates the result once it is closed.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "core/error.hpp"
#include "http/app.hpp"
#include "http/error_response.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"
#include "http/qr_svg.hpp"
#include "http/rate_limiter.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

const std::string& tracking_code(const Request& r) {
    const std::string& code = r.params.at("code");
    if (code.size() != 10 ||
        code.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ") != std::string::npos) {
        throw Error(ErrorCode::not_found, "No event has that tracking code.");
    }
    return code;
}

std::string track_url(const Request& r, const std::string& code) {
    return fmt::format("{}/track/{}", public_base_url(r), code);
}

json::object public_json(const events::Event& e, const std::vector<events::ActionRecord>& actions,
                         const Services& s) {
    json::array steps;
    for (const auto& a : actions) {
        json::object step{
            {"action", a.action},
            {"at", format_rfc3339(a.at)},
            {"status", a.to_status},
            {"status_label",
             events::status_label_zh(
                 events::parse_status(a.to_status).value_or(events::Status::reported))}};
        // which departments took it on: public bodies, named
        if (a.action == "dispatch") {
            const auto data = json::parse(a.data);
            if (const auto* names = data.as_object().if_contains("names"))
                step["departments"] = *names;
        }
        steps.push_back(std::move(step));
    }
    const auto category = e.category_code ? s.catalogue.category(*e.category_code) : std::nullopt;
    return {{"tracking_code", e.tracking_code},
            {"title", e.title},
            {"category_name", category ? json::value(category->name) : nullptr},
            {"status", events::status_name(e.status)},
            {"status_label", events::status_label_zh(e.status)},
            {"reported_at", format_rfc3339(e.reported_at)},
            {"closed_at", e.closed_at ? json::value(format_rfc3339(*e.closed_at)) : nullptr},
            {"satisfaction", e.satisfaction ? json::value(*e.satisfaction) : nullptr},
            {"can_rate", e.status == events::Status::closed},
            {"steps", std::move(steps)},
            {"attachments", public_attachments_json(e.tracking_code,
                                                    s.events.public_attachments(e.tracking_code))}};
}

}  // namespace

void add_public_event_routes(Router& router, const Services& s, const AppOptions& options) {
    // reports without an account: a limit per client address, against floods
    auto limiter = std::make_shared<RateLimiter>(options.public_reports_per_hour, kHour);
    router.add(
        "POST", "/api/v1/public/events", Access::public_,
        [s, limiter](Request& r) {
            const std::string client = r.origin().ip;
            if (!limiter->allow(client, s.clock.now())) {
                Response res = error_response(
                    Error(ErrorCode::too_many_requests,
                          "Too many reports from this address; please try again later."),
                    r.origin().request_id);
                const Millis wait = limiter->retry_after(client, s.clock.now());
                res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
                return res;
            }
            const JsonBody body(r, {"title", "description", "category_code", "lon", "lat", "crs",
                                    "address", "reporter_name", "reporter_phone"});
            using L = events::NewEventLimits;  // the domain checks; these bound the reading
            events::NewEvent in;
            in.channel = "resident";
            in.title = body.string("title", 4 * L::title);
            in.description = body.string("description", 4 * L::description);
            in.category_code = body.opt_string("category_code", 16);
            in.location = body_point(body);
            in.address = body.opt_string("address", 4 * L::address);
            in.reporter_name = body.opt_string("reporter_name", 4 * L::reporter_name);
            in.reporter_phone = body.opt_string("reporter_phone", 32);
            in.idempotency_key = events::idempotency_key(
                r.header("idempotency-key"), events::NewEventLimits::public_idempotency_key_min);
            const auto intake = s.events.report(in, nullptr, r.origin());
            const auto& code = intake.event.tracking_code;
            return Response::json(
                intake.created ? 201 : 200,
                json::object{{"tracking_code", code},
                             {"track_url", track_url(r, code)},
                             {"status", events::status_name(intake.event.status)}});
        },
        "A resident reports a problem without an account; the answer carries the tracking code");

    router.add(
        "GET", "/api/v1/public/track/{code}", Access::public_,
        [s](Request& r) {
            const auto e = s.events.find_by_tracking_code(tracking_code(r));
            if (!e) throw Error(ErrorCode::not_found, "No event has that tracking code.");
            json::object out = public_json(*e, s.events.timeline(e->id, nullptr), s);
            if (e->duplicate_of) {
                // linked to another report of the same problem: its progress is this one's too
                const auto primary = s.events.get(*e->duplicate_of, nullptr);
                json::object merged =
                    public_json(primary, s.events.timeline(primary.id, nullptr), s);
                merged.erase("tracking_code");
                merged.erase("attachments");  // their links would carry the other code
                merged["can_rate"] = false;
                out["merged_into"] = std::move(merged);
            }
            return Response::json(200, out);
        },
        "Follow an event by its tracking code: its steps and times, without names or personal "
        "data");

    router.add(
        "GET", "/api/v1/public/track/{code}/qr.svg", Access::public_,
        [s](Request& r) {
            const auto& code = tracking_code(r);
            if (!s.events.find_by_tracking_code(code))
                throw Error(ErrorCode::not_found, "No event has that tracking code.");
            Response res;
            res.status = 200;
            res.body = qr_svg(track_url(r, code));
            res.set_header("Content-Type", "image/svg+xml");
            res.set_header("Cache-Control", "public, max-age=86400");
            return res;
        },
        "The tracking link of an event as a QR code (SVG)");

    router.add(
        "POST", "/api/v1/public/track/{code}/reopen", Access::public_,
        [s](Request& r) {
            const auto& code = tracking_code(r);
            const JsonBody body(r, {"comment"});
            const auto e = s.events.reopen_by_reporter(
                code, body.opt_string("comment", 2000).value_or(""), r.origin());
            return Response::json(200, public_json(e, s.events.timeline(e.id, nullptr), s));
        },
        "The reporter reopens a closed case they were not satisfied with, within the days the "
        "deployment allows");

    router.add(
        "POST", "/api/v1/public/track/{code}/rating", Access::public_,
        [s](Request& r) {
            const auto& code = tracking_code(r);
            const JsonBody body(r, {"satisfaction", "comment"});
            const auto e = s.events.rate(code, body.string("satisfaction", 32),
                                         body.opt_string("comment", 2000).value_or(""), r.origin());
            return Response::json(200, public_json(e, s.events.timeline(e.id, nullptr), s));
        },
        "The reporter rates a closed event: satisfied, basically_satisfied or unsatisfied");
}

}  // namespace gridgov::http
