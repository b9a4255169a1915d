// The one table of error codes: each code has its HTTP status and a default message, and every
// failure the domain reports is an Error carrying one of them (plus the field at fault, if any).
// The HTTP layer turns an Error into {"error": {"code", "message", "field"}} with that status.
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gridgov {

enum class ErrorCode {
    bad_request,
    malformed_json,
    missing_field,
    unknown_field,
    invalid_field,
    weak_password,
    bad_path,
    unauthenticated,
    bad_credentials,
    session_expired,
    forbidden,
    not_found,
    route_not_found,
    method_not_allowed,
    request_timeout,
    conflict,
    version_conflict,
    account_locked,
    payload_too_large,
    unsupported_media_type,
    precondition_required,
    headers_too_large,
    too_many_requests,
    internal,
    unavailable,
};

struct ErrorInfo {
    ErrorCode code;
    std::string_view name;  // the stable string clients match on
    int http_status;
    std::string_view message;  // default, English; the web app translates by name
};

// Every code with its status; the order follows ErrorCode.
std::span<const ErrorInfo> error_table();
const ErrorInfo& error_info(ErrorCode code);

class Error : public std::runtime_error {
  public:
    explicit Error(ErrorCode code, std::string message = {}, std::string field = {});

    ErrorCode code() const { return code_; }
    const std::string& field() const { return field_; }
    int http_status() const { return error_info(code_).http_status; }
    std::string_view name() const { return error_info(code_).name; }

  private:
    ErrorCode code_;
    std::string field_;
};

}  // namespace gridgov
