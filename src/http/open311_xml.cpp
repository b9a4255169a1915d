#include "http/open311_xml.hpp"
#include "http/json_text.hpp"

#include <boost/json/serialize.hpp>
#include <map>

namespace gridgov::http {

namespace json = boost::json;

namespace {

// what the items of an array are called, by the array's name
std::string_view item_name(std::string_view array) {
    static const std::map<std::string_view, std::string_view> names{
        {"attributes", "attribute"},    {"values", "value"}, {"endpoints", "endpoint"},
        {"formats", "format"},          {"errors", "error"}, {"services", "service"},
        {"service_requests", "request"}};
    const auto it = names.find(array);
    return it == names.end() ? std::string_view("item") : it->second;
}

void escape(std::string& out, std::string_view text) {
    for (const char ch : text) {
        const auto u = static_cast<unsigned char>(ch);
        switch (ch) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                // control characters other than tab and line breaks are not allowed in XML 1.0
                if (u < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') break;
                out += ch;
        }
    }
}

void element(std::string& out, std::string_view name, const json::value& v) {
    if (v.is_null()) {
        out.append("<").append(name).append("/>");
        return;
    }
    out.append("<").append(name).append(">");
    if (v.is_object()) {
        for (const auto& [key, field] : v.get_object()) element(out, key, field);
    } else if (v.is_array()) {
        for (const auto& item : v.get_array()) element(out, item_name(name), item);
    } else if (v.is_string()) {
        escape(out, v.get_string());
    } else {
        out += plain_json(v);  // numbers (as plain decimals) and true / false read the same
    }
    out.append("</").append(name).append(">");
}

}  // namespace

std::string xml_document(std::string_view root, std::string_view item, const json::value& body) {
    std::string out = R"(<?xml version="1.0" encoding="utf-8"?>)";
    out += '\n';
    if (body.is_array()) {
        out.append("<").append(root).append(">");
        for (const auto& v : body.get_array()) element(out, item, v);
        out.append("</").append(root).append(">");
    } else {
        element(out, root, body);
    }
    out += '\n';
    return out;
}

}  // namespace gridgov::http
