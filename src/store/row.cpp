#include "store/row.hpp"

#include <fmt/format.h>

#include <charconv>
#include <stdexcept>

namespace gridgov::store {

std::size_t Row::index(std::string_view column) const {
    for (std::size_t i = 0; i < columns_->size(); ++i) {
        if ((*columns_)[i] == column) return i;
    }
    throw std::out_of_range(fmt::format("no column '{}' in the result", column));
}

bool Row::is_null(std::string_view column) const {
    return std::holds_alternative<std::nullptr_t>(at(column));
}

std::int64_t Row::integer(std::string_view column) const {
    const Value& v = at(column);
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
    if (const auto* s = std::get_if<std::string>(&v)) {
        std::int64_t out = 0;
        const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
        if (ec == std::errc{} && end == s->data() + s->size()) return out;
    }
    throw std::runtime_error(fmt::format("column '{}' is not an integer", column));
}

double Row::real(std::string_view column) const {
    const Value& v = at(column);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* s = std::get_if<std::string>(&v)) return std::stod(*s);
    throw std::runtime_error(fmt::format("column '{}' is not a number", column));
}

std::string Row::text(std::string_view column) const {
    const Value& v = at(column);
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
    if (const auto* b = std::get_if<Bytes>(&v)) return b->data;
    return {};
}

std::string Row::bytes(std::string_view column) const {
    const Value& v = at(column);
    if (const auto* b = std::get_if<Bytes>(&v)) return b->data;
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (is_null(column)) return {};
    throw std::runtime_error(fmt::format("column '{}' is not binary", column));
}

std::optional<std::int64_t> Row::opt_integer(std::string_view column) const {
    if (is_null(column)) return std::nullopt;
    return integer(column);
}

std::optional<std::string> Row::opt_text(std::string_view column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

}  // namespace gridgov::store
