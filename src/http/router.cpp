#include "http/router.hpp"

#include <algorithm>

namespace gridgov::http {

namespace {

std::vector<std::string> split(std::string_view pattern) {
    std::vector<std::string> parts;
    std::size_t start = 1;
    while (start <= pattern.size()) {
        const auto slash = pattern.find('/', start);
        const auto end = slash == std::string_view::npos ? pattern.size() : slash;
        parts.emplace_back(pattern.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

bool matches(const Route& route, const std::vector<std::string>& segments,
             std::map<std::string, std::string, std::less<>>* params) {
    if (route.parts.size() != segments.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& part = route.parts[i];
        if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
            if (segments[i].empty()) return false;
            if (params) (*params)[part.substr(1, part.size() - 2)] = segments[i];
        } else if (part != segments[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Access access, Handler handler,
                 std::string summary) {
    Route r{std::move(method),  std::move(pattern), access,
            std::move(handler), std::move(summary), {}};
    r.parts = split(r.pattern);
    routes_.push_back(std::move(r));
}

Router::Match Router::match(Request& request) const {
    // the route with the most literal segments wins ("/people/duplicates" over "/people/{id}"),
    // the first added among equals
    Match m;
    const Route* best = nullptr;
    long best_literals = -1;
    for (const Route& route : routes_) {
        if (!matches(route, request.segments, nullptr)) continue;
        if (route.method == request.method || (request.method == "HEAD" && route.method == "GET")) {
            const long literals =
                std::count_if(route.parts.begin(), route.parts.end(), [](const std::string& part) {
                    return !(part.size() > 2 && part.front() == '{' && part.back() == '}');
                });
            if (literals > best_literals) {
                best = &route;
                best_literals = literals;
            }
        } else if (std::find(m.allowed.begin(), m.allowed.end(), route.method) == m.allowed.end()) {
            m.allowed.push_back(route.method);
        }
    }
    if (best) {
        request.params.clear();
        matches(*best, request.segments, &request.params);
        m.route = best;
        m.allowed.clear();
    }
    return m;
}

}  // namespace gridgov::http
