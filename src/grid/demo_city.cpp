#include "grid/demo_city.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cmath>
#include <map>
#include <stdexcept>

#include "geo/china_coordinates.hpp"
#include "geo/geojson.hpp"
#include "geo/geos_ops.hpp"

namespace gridgov::grid {

namespace {

struct Division {
    std::string code, name, parent;
};

std::map<std::string, Division> read_divisions() {
    std::map<std::string, Division> out;
    std::string_view text = nanjing_divisions_csv();
    bool header = true;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (header || line.empty()) {
            header = false;
            continue;
        }
        const auto a = line.find(','), b = line.find(',', a + 1);
        if (a == std::string_view::npos || b == std::string_view::npos)
            throw std::runtime_error("bad divisions.csv");
        Division d{std::string(line.substr(0, a)), std::string(line.substr(a + 1, b - a - 1)),
                   std::string(line.substr(b + 1))};
        out.emplace(d.code, std::move(d));
    }
    return out;
}

// Deterministic on every platform: splitmix64, and doubles from its top 53 bits.
class Random {
  public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  private:
    std::uint64_t state_;
};

// n seeds inside the shape, kept apart so that cells come out of similar size
std::vector<geo::LonLat> seeds_inside(const geo::MultiPolygon& shape, int n, Random& rng) {
    const geo::Box box = geo::bounding_box(shape);
    const double box_area = (box.max_lon - box.min_lon) * (box.max_lat - box.min_lat);
    double fill = 0;
    for (const auto& p : shape) fill += std::abs(geo::signed_area_deg2(p.outer));
    double min_gap = 0.6 * std::sqrt(fill / std::max(n, 1));
    std::vector<geo::LonLat> seeds;
    int tries = 0;
    while (static_cast<int>(seeds.size()) < n) {
        const geo::LonLat p{box.min_lon + rng.uniform() * (box.max_lon - box.min_lon),
                            box.min_lat + rng.uniform() * (box.max_lat - box.min_lat)};
        if (++tries % 2000 == 0) min_gap *= 0.8;  // crowded: relax the spacing
        if (!geo::contains(shape, p)) continue;
        const bool apart = std::all_of(seeds.begin(), seeds.end(), [&](const geo::LonLat& s) {
            return std::hypot(s.lon - p.lon, s.lat - p.lat) >= min_gap;
        });
        if (apart) seeds.push_back(p);
    }
    (void)box_area;
    return seeds;
}

// "永兴社区居委会" -> "永兴社区", "杨树湾村委会" -> "杨树湾村", "彭福村村民委员会" -> "彭福村"
std::string community_name(std::string name) {
    for (std::string_view suffix : {"村民委员会", "居民委员会", "委会", "居委会"}) {
        if (name.size() > suffix.size() && name.ends_with(suffix)) {
            name.resize(name.size() - suffix.size());
            break;
        }
    }
    if (name.ends_with("居")) name.resize(name.size() - std::string_view("居").size());
    return name;
}

// Approximate centres (WGS84) of Jiangning's streets, so that the generated streets sit roughly
// where the real ones are.
const std::map<std::string, geo::LonLat> kStreetCentres = {
    {"320115001", {118.845, 31.945}}, {"320115002", {118.800, 31.860}},
    {"320115003", {119.050, 32.050}}, {"320115004", {118.960, 31.930}},
    {"320115005", {118.870, 31.720}}, {"320115006", {118.620, 31.800}},
    {"320115007", {118.700, 31.860}}, {"320115008", {119.010, 31.820}},
    {"320115009", {118.750, 31.690}}, {"320115010", {118.930, 32.020}},
};

constexpr std::array<std::pair<const char*, const char*>, 7> kDedicated = {
    {{"school", "学校"},
     {"hospital", "医院"},
     {"market", "市场"},
     {"park", "公园"},
     {"industrial_park", "园区"},
     {"building_complex", "楼宇"},
     {"other", "专属"}}};

}  // namespace

DemoCity build_demo_city(const DemoCityOptions& o) {
    const auto divisions = read_divisions();
    const auto street_it = divisions.find(o.street_code);
    if (street_it == divisions.end())
        throw std::invalid_argument("unknown street code " + o.street_code);
    const std::string district_code = street_it->second.parent;
    const std::string city_code = divisions.at(district_code).parent;
    Random rng(o.seed);
    DemoCity city;
    city.street_name = street_it->second.name;

    // districts: the real outlines
    std::map<std::string, geo::MultiPolygon> districts;
    const auto doc = boost::json::parse(nanjing_districts_geojson());
    for (const auto& f : doc.at("features").as_array()) {
        const std::string code(f.at("properties").at("code").as_string());
        geo::MultiPolygon shape = geo::parse_geometry(f.at("geometry"), "features");
        geo::to_wgs84(shape, geo::Crs::gcj02);
        geo::normalize(shape);
        shape = geo::make_valid(shape);
        geo::normalize(shape);
        districts.emplace(code, std::move(shape));
    }
    // the source outlines are drawn on a 1/1024° lattice and neighbours overlap by a cell here and
    // there: give each overlap to the district with the lower code, so siblings never overlap
    std::vector<geo::MultiPolygon> all;
    for (auto& [code, shape] : districts) {
        std::vector<geo::MultiPolygon> earlier;
        const geo::Box box = geo::bounding_box(shape);
        for (const auto& prior : all) {
            if (box.intersects(geo::bounding_box(prior))) earlier.push_back(prior);
        }
        if (!earlier.empty()) {
            shape = geo::difference(shape, geo::union_all(earlier));
            geo::normalize(shape);
        }
        all.push_back(shape);
    }
    geo::MultiPolygon whole = geo::union_all(all);
    geo::normalize(whole);
    city.nodes.push_back({city_code, divisions.at(city_code).name, {}, {}, {}, {}, {}, {}, whole});
    for (const auto& [code, shape] : districts) {
        city.nodes.push_back({code, divisions.at(code).name, {}, city_code, {}, {}, {}, {}, shape});
    }

    // the district's streets (towns and streets; special zones overlap them and are left out)
    std::vector<const Division*> streets;
    for (const auto& [code, d] : divisions) {
        if (d.parent == district_code && code.size() == 9 && code.substr(6) < "400")
            streets.push_back(&d);
    }
    std::vector<geo::LonLat> street_seeds;
    for (const auto* s : streets) {
        const auto known = kStreetCentres.find(s->code);
        street_seeds.push_back(known != kStreetCentres.end()
                                   ? known->second
                                   : seeds_inside(districts.at(district_code), 1, rng)[0]);
    }
    const auto street_cells = geo::partition(districts.at(district_code), street_seeds);
    geo::MultiPolygon street_shape;
    for (std::size_t i = 0; i < streets.size(); ++i) {
        geo::MultiPolygon cell = street_cells[i];
        geo::normalize(cell);
        if (streets[i]->code == o.street_code) street_shape = cell;
        city.nodes.push_back({streets[i]->code,
                              streets[i]->name,
                              {},
                              district_code,
                              {},
                              {},
                              {},
                              {},
                              cell.empty() ? std::nullopt : std::optional(cell)});
    }

    // the street's communities, then their grids
    std::vector<const Division*> communities;
    for (const auto& [code, d] : divisions) {
        if (d.parent == o.street_code) communities.push_back(&d);
    }
    city.communities = static_cast<int>(communities.size());
    const auto community_cells = geo::partition(
        street_shape, seeds_inside(street_shape, static_cast<int>(communities.size()), rng));
    const int n = static_cast<int>(communities.size());
    const int every = std::max(1, o.grids / std::max(1, o.dedicated));
    int made = 0;
    for (int c = 0; c < n; ++c) {
        geo::MultiPolygon community_shape = community_cells[static_cast<std::size_t>(c)];
        geo::normalize(community_shape);
        const std::string short_name =
            community_name(communities[static_cast<std::size_t>(c)]->name);
        const std::string& community_code = communities[static_cast<std::size_t>(c)]->code;
        city.nodes.push_back(
            {community_code, short_name, {}, o.street_code, {}, {}, {}, {}, community_shape});
        const int count = o.grids / n + (c < o.grids % n ? 1 : 0);
        const auto cells =
            geo::partition(community_shape, seeds_inside(community_shape, count, rng));
        for (int g = 0; g < count; ++g) {
            geo::MultiPolygon cell = cells[static_cast<std::size_t>(g)];
            geo::normalize(cell);
            const bool dedicated = made % every == every / 2 && city.dedicated < o.dedicated;
            NewNode node;
            node.code = community_code + fmt::format("{:03}", g + 1);
            node.parent_code = community_code;
            node.households = 240 + static_cast<std::int64_t>(rng.uniform() * 160);
            node.population = static_cast<std::int64_t>(static_cast<double>(*node.households) *
                                                        (2.4 + rng.uniform() * 0.6));
            if (dedicated) {
                const auto& [subtype, label] =
                    kDedicated[static_cast<std::size_t>(city.dedicated) % kDedicated.size()];
                node.kind = "dedicated";
                node.subtype = subtype;
                node.name = fmt::format("{}{}专属网格", short_name, label);
                node.households = 0;
                ++city.dedicated;
            } else {
                node.kind = "comprehensive";
                node.name = fmt::format("{}第{}网格", short_name, g + 1);
            }
            if (!cell.empty()) node.boundary = std::move(cell);
            city.nodes.push_back(std::move(node));
            ++made;
        }
    }
    city.grids = made;
    return city;
}

}  // namespace gridgov::grid
