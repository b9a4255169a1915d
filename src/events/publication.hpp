// What of the event loop is published to everyone (Open311 reads, public maps), after the
// practice of FixMyStreet and the Open311 deployments: the reports residents and other systems
// sent in (never grid workers', patrols' or departments' internal reports), their category,
// status and dates, the text with anything that looks like a phone or identity number hidden,
// and the place to about a hundred metres. Pure functions, thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "geo/geometry.hpp"

namespace gridgov::events {

// The channels whose reports are published: "resident" and "open311".
std::span<const std::string_view> published_channels();
bool is_published_channel(std::string_view channel);

// The text as published: every run of 6 or more digits (with spaces, '-' or '+' between them,
// and a final X of an identity number) becomes "＊＊＊", so no number of a person is shown.
std::string published_text(std::string_view text);

// The place as published: rounded to 0.001° (about 100 m).
geo::LonLat published_point(geo::LonLat p);

}  // namespace gridgov::events
