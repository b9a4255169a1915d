// Routes: method + path pattern ("/api/v1/users/{id}") -> handler, with the route's access rule.
// match() tells apart "no such path" (404) from "path exists, wrong method" (405 with Allow).
// Built once at start, then read by every thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace gridgov::http {

using Handler = std::function<Response(Request&)>;

enum class Access { public_, authenticated };

struct Route {
    std::string method;
    std::string pattern;
    Access access = Access::authenticated;
    Handler handler;
    std::string summary;
    std::vector<std::string> parts;  // pattern split at '/'; "{name}" parts capture
};

class Router {
  public:
    void add(std::string method, std::string pattern, Access access, Handler handler,
             std::string summary = {});

    struct Match {
        const Route* route = nullptr;      // set when path and method match
        std::vector<std::string> allowed;  // methods of the path, when only the method is wrong
    };
    // Fills request.params on a match.
    Match match(Request& request) const;

    const std::vector<Route>& routes() const { return routes_; }

  private:
    std::vector<Route> routes_;
};

}  // namespace gridgov::http
