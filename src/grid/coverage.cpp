#include "grid/coverage.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "geo/geos_ops.hpp"

namespace gridgov::grid {

namespace {

double perimeter_m(const geo::MultiPolygon& shape) {
    double total = 0;
    auto ring_length = [&](const geo::Ring& r) {
        for (std::size_t i = 0; i + 1 < r.size(); ++i) total += geo::distance_m(r[i], r[i + 1]);
    };
    for (const auto& p : shape) {
        ring_length(p.outer);
        for (const auto& h : p.holes) ring_length(h);
    }
    return total;
}

// Reports each part of `pieces` that is not a sliver.
void report(std::vector<Finding>& out, const std::string& kind, std::vector<std::string> codes,
            const geo::MultiPolygon& pieces, double tolerance_m, const std::string& detail = {}) {
    for (const auto& part : pieces) {
        const geo::MultiPolygon one{part};
        const double area = geo::area_m2(one);
        const double perimeter = perimeter_m(one);
        // mean width of the piece: 2 × area / perimeter; a sliver is thinner than the tolerance
        if (area <= 0 || perimeter <= 0 || 2 * area / perimeter < tolerance_m) continue;
        out.push_back({kind, codes, area, geo::interior_point(one), detail, one});
    }
}

}  // namespace

CoverageReport check_coverage(const std::vector<CoverageNode>& nodes,
                              const CoverageOptions& options) {
    CoverageReport report_out;
    std::map<std::int64_t, const CoverageNode*> by_id;
    std::map<std::int64_t, std::vector<const CoverageNode*>> children;
    for (const auto& n : nodes) {
        by_id[n.id] = &n;
        children[n.parent_id].push_back(&n);  // the roots are siblings under 0
    }
    auto& findings = report_out.findings;
    // invalid boundaries first: the other checks skip them
    std::map<std::int64_t, bool> valid;
    for (const auto& n : nodes) {
        if (n.shape.empty()) continue;
        ++report_out.nodes_checked;
        const std::string reason = geo::invalid_reason(n.shape);
        valid[n.id] = reason.empty();
        if (!reason.empty()) {
            findings.push_back({"invalid",
                                {n.code},
                                geo::area_m2(n.shape),
                                n.shape.front().outer.front(),
                                reason,
                                n.shape});
        }
    }
    // siblings never overlap, whatever their parent; a parent with a boundary is also covered by
    // its children without a gap and none reaches outside it
    for (const auto& [parent_id, kids] : children) {
        std::vector<const CoverageNode*> shaped;
        for (const auto* k : kids) {
            if (!k->shape.empty() && valid[k->id]) shaped.push_back(k);
        }
        if (shaped.empty()) continue;
        for (std::size_t i = 0; i < shaped.size(); ++i) {
            const geo::Box bi = geo::bounding_box(shaped[i]->shape);
            for (std::size_t j = i + 1; j < shaped.size(); ++j) {
                if (!bi.intersects(geo::bounding_box(shaped[j]->shape))) continue;
                report(findings, "overlap", {shaped[i]->code, shaped[j]->code},
                       geo::intersection(shaped[i]->shape, shaped[j]->shape), options.tolerance_m,
                       fmt::format("{} and {} overlap", shaped[i]->name, shaped[j]->name));
            }
        }
        const auto parent_it = by_id.find(parent_id);
        if (parent_it == by_id.end()) continue;
        const CoverageNode& parent = *parent_it->second;
        if (parent.shape.empty() || !valid[parent.id]) continue;
        ++report_out.parents_checked;
        std::vector<geo::MultiPolygon> shapes;
        for (const auto* k : shaped) {
            shapes.push_back(k->shape);
            report(findings, "outside_parent", {k->code, parent.code},
                   geo::difference(k->shape, parent.shape), options.tolerance_m,
                   fmt::format("{} reaches outside {}", k->name, parent.name));
        }
        report(findings, "gap", {parent.code},
               geo::difference(parent.shape, geo::union_all(shapes)), options.tolerance_m,
               fmt::format("part of {} lies in none of its children", parent.name));
    }
    return report_out;
}

}  // namespace gridgov::grid
