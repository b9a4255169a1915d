// `gridgov validate`: the coverage check of the grid tree (or of one subtree) from the command
// line. Prints each finding; exits 1 when there are any, so it can gate an import in a script.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.hpp"
#include "cli/runtime.hpp"
#include "core/error.hpp"

namespace gridgov::cli {

int run_validate(const Settings& settings, const std::string& node_code, double tolerance_m) {
    Runtime runtime(settings);
    const auto root = runtime.node_id(node_code);
    grid::CoverageOptions options;
    options.tolerance_m = tolerance_m;
    const auto report = runtime.grid->coverage(root, options, nullptr);
    for (const auto& f : report.findings) {
        fmt::print("{:<15} {:<40} {:>14.1f} m²  at {:.6f},{:.6f}  {}\n", f.kind,
                   fmt::join(f.codes, " "), f.area_m2, f.point.lon, f.point.lat, f.detail);
    }
    fmt::print("{} nodes with boundaries, {} parents checked, {} finding(s) (tolerance {} m)\n",
               report.nodes_checked, report.parents_checked, report.findings.size(), tolerance_m);
    return report.findings.empty() ? 0 : 1;
}

}  // namespace gridgov::cli
