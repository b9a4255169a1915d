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

namespace {

// Cuts each community into its grids (and each grid into micro-grids), appending the nodes.
class GridCutter {
  public:
    GridCutter(const DemoCityOptions& o, Random& rng, DemoCity& city, int total_grids,
               int communities)
        : o_(o),
          rng_(rng),
          city_(city),
          total_(total_grids),
          communities_(communities),
          every_(std::max(1, total_grids / std::max(1, o.dedicated))) {}

    void community(const std::string& code, const std::string& name,
                   const geo::MultiPolygon& shape) {
        const int count = total_ / communities_ + (index_ < total_ % communities_ ? 1 : 0);
        ++index_;
        if (count <= 0 || shape.empty()) return;
        const auto cells = geo::partition(shape, seeds_inside(shape, count, rng_));
        for (int g = 0; g < count; ++g) {
            geo::MultiPolygon cell = cells[static_cast<std::size_t>(g)];
            geo::normalize(cell);
            const bool dedicated = made_ % every_ == every_ / 2 && city_.dedicated < o_.dedicated;
            NewNode node;
            node.code = code + fmt::format("{:03}", g + 1);
            node.parent_code = code;
            node.households = 240 + static_cast<std::int64_t>(rng_.uniform() * 160);
            node.population = static_cast<std::int64_t>(static_cast<double>(*node.households) *
                                                        (2.4 + rng_.uniform() * 0.6));
            if (dedicated) {
                const auto& [subtype, label] =
                    kDedicated[static_cast<std::size_t>(city_.dedicated) % kDedicated.size()];
                node.kind = "dedicated";
                node.subtype = subtype;
                node.name = fmt::format("{}{}专属网格", name, label);
                node.households = 0;
                ++city_.dedicated;
            } else {
                node.kind = "comprehensive";
                node.name = fmt::format("{}第{}网格", name, g + 1);
            }
            if (!cell.empty()) node.boundary = cell;
            const NewNode grid_node = node;
            city_.nodes.push_back(std::move(node));
            ++made_;
            if (o_.micro_per_grid > 0 && !cell.empty()) micro_grids(grid_node, cell);
        }
    }

    int made() const { return made_; }

  private:
    void micro_grids(const NewNode& grid, const geo::MultiPolygon& shape) {
        const int n = o_.micro_per_grid;
        const auto cells = geo::partition(shape, seeds_inside(shape, n, rng_));
        for (int m = 0; m < n; ++m) {
            NewNode node;
            node.code = grid.code + fmt::format("{:02}", m + 1);
            node.parent_code = grid.code;
            node.name = fmt::format("{}第{}微网格", grid.name, m + 1);
            node.kind = grid.kind;
            node.subtype = grid.subtype;
            node.households = grid.households.value_or(0) / n;
            node.population = grid.population.value_or(0) / n;
            geo::MultiPolygon cell = cells[static_cast<std::size_t>(m)];
            geo::normalize(cell);
            if (!cell.empty()) node.boundary = std::move(cell);
            city_.nodes.push_back(std::move(node));
            ++city_.micro_grids;
        }
    }

    const DemoCityOptions& o_;
    Random& rng_;
    DemoCity& city_;
    int total_, communities_, every_;
    int index_ = 0, made_ = 0;
};

}  // namespace

DemoCityOptions demo_scale(const std::string& name) {
    DemoCityOptions o;
    if (name == "street") return o;
    if (name == "city") {  // Nanjing's size: 12,583 grids
        o.scale = DemoScale::city;
        o.grids = 12600;
        o.dedicated = 1200;
        return o;
    }
    if (name == "chengdu") {  // Chengdu's size: 13,000 grids in 130,000 micro-grids
        o.scale = DemoScale::chengdu;
        o.grids = 13000;
        o.dedicated = 1250;
        o.micro_per_grid = 10;
        return o;
    }
    throw std::invalid_argument("the demo scale is street, city or chengdu");
}

DemoCity build_demo_city(const DemoCityOptions& o) {
    const auto divisions = read_divisions();
    const auto street_it = divisions.find(o.street_code);
    if (street_it == divisions.end())
        throw std::invalid_argument("unknown street code " + o.street_code);
    const std::string target_district = street_it->second.parent;
    const std::string city_code = divisions.at(target_district).parent;
    const bool whole_city = o.scale != DemoScale::street;
    Random rng(o.seed);
    DemoCity city;
    city.street_name = whole_city ? divisions.at(city_code).name : street_it->second.name;

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

    // streets (towns and streets; the special zones overlap them and are left out), cut from their
    // district around their approximate centres where known
    std::map<std::string, geo::MultiPolygon> street_shapes;
    for (const auto& [district_code, district_shape] : districts) {
        if (!whole_city && district_code != target_district) continue;
        std::vector<const Division*> streets;
        for (const auto& [code, d] : divisions) {
            if (d.parent == district_code && code.size() == 9 && code.substr(6) < "400")
                streets.push_back(&d);
        }
        if (streets.empty()) continue;
        std::vector<geo::LonLat> seeds;
        const auto random_seeds =
            seeds_inside(district_shape, static_cast<int>(streets.size()), rng);
        for (std::size_t i = 0; i < streets.size(); ++i) {
            const auto known = kStreetCentres.find(streets[i]->code);
            seeds.push_back(known != kStreetCentres.end() ? known->second : random_seeds[i]);
        }
        const auto cells = geo::partition(district_shape, seeds);
        for (std::size_t i = 0; i < streets.size(); ++i) {
            geo::MultiPolygon cell = cells[i];
            geo::normalize(cell);
            street_shapes[streets[i]->code] = cell;
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
    }

    // communities of the chosen street (or of every street), then their grids
    std::vector<std::pair<const Division*, geo::MultiPolygon>> communities;
    for (const auto& [street_code, street_shape] : street_shapes) {
        if (!whole_city && street_code != o.street_code) continue;
        std::vector<const Division*> list;
        for (const auto& [code, d] : divisions) {
            if (d.parent == street_code) list.push_back(&d);
        }
        if (list.empty() || street_shape.empty()) continue;
        const auto cells = geo::partition(
            street_shape, seeds_inside(street_shape, static_cast<int>(list.size()), rng));
        for (std::size_t i = 0; i < list.size(); ++i) {
            geo::MultiPolygon cell = cells[i];
            geo::normalize(cell);
            communities.emplace_back(list[i], std::move(cell));
        }
    }
    city.communities = static_cast<int>(communities.size());
    GridCutter cutter(o, rng, city, o.grids, std::max(1, city.communities));
    for (const auto& [division, shape] : communities) {
        const std::string name = community_name(division->name);
        city.nodes.push_back({division->code,
                              name,
                              {},
                              division->parent,
                              {},
                              {},
                              {},
                              {},
                              shape.empty() ? std::nullopt : std::optional(shape)});
        cutter.community(division->code, name, shape);
    }
    city.grids = cutter.made();
    return city;
}

}  // namespace gridgov::grid
