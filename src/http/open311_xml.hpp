// The XML form of Open311 resources, written from their JSON form: objects become elements named
// by their keys, arrays repeat an element named for their items (attributes → attribute …), null is
// an empty element. UTF-8 with the declaration the spec asks for.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace gridgov::http {

// `body` is an array (each item an <item> under <root>) or an object (its fields under <root>).
std::string xml_document(std::string_view root, std::string_view item,
                         const boost::json::value& body);

}  // namespace gridgov::http
