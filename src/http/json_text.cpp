#include "http/json_text.hpp"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <cmath>

namespace gridgov::http {

namespace json = boost::json;

std::string plain_number(double d) {
    if (!std::isfinite(d)) return "null";
    // fmt's shortest round-trip form, widened to fixed notation where it chose an exponent
    std::string s = fmt::format("{}", d);
    if (s.find_first_of("eE") == std::string::npos) return s;
    for (int precision = 1; precision <= 340; ++precision) {
        std::string fixed = fmt::format("{:.{}f}", d, precision);
        if (std::stod(fixed) == d) return fixed;
    }
    return fmt::format("{:f}", d);
}

namespace {

void write(std::string& out, const json::value& v) {
    switch (v.kind()) {
        case json::kind::double_:
            out += plain_number(v.get_double());
            return;
        case json::kind::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, value] : v.get_object()) {
                if (!first) out += ',';
                first = false;
                out += json::serialize(json::string_view(key));
                out += ':';
                write(out, value);
            }
            out += '}';
            return;
        }
        case json::kind::array: {
            out += '[';
            bool first = true;
            for (const auto& value : v.get_array()) {
                if (!first) out += ',';
                first = false;
                write(out, value);
            }
            out += ']';
            return;
        }
        default:
            out += json::serialize(v);
    }
}

}  // namespace

std::string plain_json(const json::value& v) {
    std::string out;
    write(out, v);
    return out;
}

}  // namespace gridgov::http
