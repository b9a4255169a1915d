#include "events/new_event.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "events/lifecycle.hpp"

namespace gridgov::events {

namespace {

void check_text(const std::string& text, std::size_t min_chars, std::size_t max_chars,
                const char* field, const char* label) {
    const std::size_t n = utf8_length(text);
    if (n < min_chars || n > max_chars) {
        throw Error(ErrorCode::invalid_field,
                    fmt::format("{0}须为 {1} 至 {2} 个字。 '{3}' has {1} to {2} characters.", label,
                                min_chars, max_chars, field),
                    field);
    }
}

}  // namespace

void check_new_event(const NewEvent& in) {
    if (!channel_label_zh(in.channel)) {
        throw Error(
            ErrorCode::invalid_field,
            "没有这个来源渠道。 The channel is grid_worker, resident, patrol, hotline_12345, "
            "digital_city, department or open311.",
            "channel");
    }
    using L = NewEventLimits;
    check_text(in.title, 1, L::title, "title", "标题");
    check_text(in.description, 1, L::description, "description", "描述");
    if (in.external_id) check_text(*in.external_id, 1, L::external_id, "external_id", "外部编号");
    if (in.address) check_text(*in.address, 0, L::address, "address", "地址");
    if (in.reporter_name)
        check_text(*in.reporter_name, 0, L::reporter_name, "reporter_name", "上报人姓名");
    if (in.reporter_phone &&
        (in.reporter_phone->size() < 5 || in.reporter_phone->size() > 20 ||
         in.reporter_phone->find_first_not_of("0123456789+- ") != std::string::npos)) {
        throw Error(ErrorCode::invalid_field,
                    "电话号码为 5 至 20 位数字。 A phone number has 5 to 20 digits.",
                    "reporter_phone");
    }
    if (in.location && !(in.location->lon >= -180 && in.location->lon <= 180 &&
                         in.location->lat >= -90 && in.location->lat <= 90)) {
        throw Error(ErrorCode::invalid_field,
                    "经纬度超出范围。 A place is a longitude and a latitude.", "lon");
    }
}

bool may_use_channel(const accounts::Principal* sender, std::string_view channel) {
    using accounts::Role;
    if (sender == nullptr || channel == "resident") return true;
    const bool key = sender->kind == accounts::Principal::Kind::api_key;
    const Role role = sender->role;
    const bool centre = role == Role::admin || role == Role::center;
    if (channel == "hotline_12345" || channel == "digital_city" || channel == "open311")
        return key || centre;
    if (channel == "department") return key || centre || role == Role::dept_handler;
    if (channel == "grid_worker") return !key && role != Role::volunteer;
    if (channel == "patrol") return !key && (role == Role::grid_worker || role == Role::grid_head);
    return false;
}

void require_channel(const accounts::Principal* sender, std::string_view channel) {
    if (may_use_channel(sender, channel)) return;
    throw Error(ErrorCode::forbidden,
                fmt::format("您不能通过“{}”渠道上报。 You cannot report through the channel '{}'.",
                            channel_label_zh(channel).value_or(channel), channel),
                "channel");
}

std::string sender_of(const accounts::Principal* sender) {
    if (sender == nullptr) return "public";
    return fmt::format("{}:{}", sender->kind == accounts::Principal::Kind::user ? "user" : "key",
                       sender->id);
}

std::optional<std::string> idempotency_key(std::string_view header, std::size_t min_bytes) {
    if (header.empty()) return std::nullopt;
    bool printable = true;
    for (unsigned char ch : header) printable = printable && ch > 0x20 && ch < 0x7f;
    if (!printable || header.size() < min_bytes ||
        header.size() > NewEventLimits::idempotency_key_max) {
        throw Error(
            ErrorCode::invalid_field,
            fmt::format("Idempotency-Key 须为 {0} 至 {1} 个可见字符。 An Idempotency-Key has "
                        "{0} to {1} printable characters.",
                        min_bytes, NewEventLimits::idempotency_key_max),
            "Idempotency-Key");
    }
    return std::string(header);
}

}  // namespace gridgov::events
