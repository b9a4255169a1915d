// GeoJSON (RFC 7946) geometry for boundaries: reading a Polygon or MultiPolygon with every rule
// checked (positions of two or three numbers within range, closed rings of four or more
// positions), and writing one. Errors are Error(invalid_field) naming the place at fault.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "geo/geometry.hpp"

namespace gridgov::geo {

// `field` names the value in error messages ("geometry", "features[3].geometry").
MultiPolygon parse_geometry(const boost::json::value& geometry,
                            const std::string& field = "geometry");
// Positions rounded to `decimals` places (7 is about a centimetre); negative keeps them exact.
boost::json::value geometry_json(const MultiPolygon& shape, int decimals = 7);

// Makes outer rings counter-clockwise and holes clockwise, drops repeated positions, and drops
// rings that enclose nothing.
void normalize(MultiPolygon& shape);

}  // namespace gridgov::geo
