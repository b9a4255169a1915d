// JSON text as integrators expect to read it: like boost::json::serialize, but a number with a
// fraction is written as a plain decimal (34.04518164, never 3.404518164E1), the shortest that
// reads back as the same double. For Open311 answers and GeoJSON files.
#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace gridgov::http {

std::string plain_json(const boost::json::value& v);
// One number as plain_json writes it.
std::string plain_number(double d);

}  // namespace gridgov::http
