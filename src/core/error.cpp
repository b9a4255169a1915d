#include "core/error.hpp"

#include <array>

namespace gridgov {
namespace {

using enum ErrorCode;
constexpr std::array kTable{
    ErrorInfo{bad_request, "bad_request", 400, "The request is not valid."},
    ErrorInfo{malformed_json, "malformed_json", 400, "The body is not valid JSON."},
    ErrorInfo{missing_field, "missing_field", 400, "A required field is missing."},
    ErrorInfo{unknown_field, "unknown_field", 400,
              "The body has a field this endpoint does not take."},
    ErrorInfo{invalid_field, "invalid_field", 400, "A field has a wrong type or value."},
    ErrorInfo{weak_password, "weak_password", 400,
              "Passwords need at least 8 characters from three of: lower case, upper case, digits, "
              "symbols."},
    ErrorInfo{bad_path, "bad_path", 400, "The path is not valid."},
    ErrorInfo{unauthenticated, "unauthenticated", 401, "Log in first."},
    ErrorInfo{bad_credentials, "bad_credentials", 401, "Wrong login or password."},
    ErrorInfo{session_expired, "session_expired", 401, "The session has expired; log in again."},
    ErrorInfo{forbidden, "forbidden", 403, "Your role or scope does not allow this."},
    ErrorInfo{not_found, "not_found", 404, "No such record."},
    ErrorInfo{route_not_found, "route_not_found", 404, "No such endpoint."},
    ErrorInfo{method_not_allowed, "method_not_allowed", 405,
              "The endpoint does not take this method."},
    ErrorInfo{request_timeout, "request_timeout", 408, "The request took too long to arrive."},
    ErrorInfo{conflict, "conflict", 409, "The record conflicts with an existing one."},
    ErrorInfo{version_conflict, "version_conflict", 409,
              "The record was changed by someone else; reload it and try again."},
    ErrorInfo{account_locked, "account_locked", 423,
              "Too many failed logins; the account is locked for a while."},
    ErrorInfo{payload_too_large, "payload_too_large", 413, "The body is too large."},
    ErrorInfo{unsupported_media_type, "unsupported_media_type", 415,
              "Send the body as application/json."},
    ErrorInfo{precondition_required, "precondition_required", 428,
              "Send If-Match with the record's version."},
    ErrorInfo{headers_too_large, "headers_too_large", 431, "The request headers are too large."},
    ErrorInfo{too_many_requests, "too_many_requests", 429, "Too many requests; slow down."},
    ErrorInfo{internal, "internal", 500, "Something went wrong on the server."},
    ErrorInfo{unavailable, "unavailable", 503, "The service is not available right now."},
};

constexpr bool table_in_order() {
    for (std::size_t i = 0; i < kTable.size(); ++i) {
        if (static_cast<std::size_t>(kTable[i].code) != i) return false;
    }
    return true;
}
static_assert(table_in_order(), "kTable must follow the order of ErrorCode");

}  // namespace

std::span<const ErrorInfo> error_table() {
    return kTable;
}

const ErrorInfo& error_info(ErrorCode code) {
    return kTable.at(static_cast<std::size_t>(code));
}

Error::Error(ErrorCode code, std::string message, std::string field)
    : std::runtime_error(message.empty() ? std::string(error_info(code).message) : message),
      code_(code),
      field_(std::move(field)) {}

}  // namespace gridgov
