// Scopes: a user's scope is a node of the grid tree and covers that node's whole subtree. The
// grid tree answers ancestry questions through NodeAncestry; until it is loaded, SelfAncestry
// treats every node as covering only itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace gridgov::people {

class NodeAncestry {
  public:
    virtual ~NodeAncestry() = default;
    // True when `node` is `ancestor` or lies below it.
    virtual bool is_within(std::int64_t node, std::int64_t ancestor) const = 0;
    // The node's path of ids from the root, "/1/5/17/", for subtree queries in SQL; nullopt
    // when unknown.
    virtual std::optional<std::string> path_of(std::int64_t) const { return std::nullopt; }
};

class SelfAncestry final : public NodeAncestry {
  public:
    bool is_within(std::int64_t node, std::int64_t ancestor) const override {
        return node == ancestor;
    }
};

// A missing scope is the whole tree: it covers everything, and only it covers the whole tree.
inline bool scope_covers(std::optional<std::int64_t> scope, std::optional<std::int64_t> node,
                         const NodeAncestry& tree) {
    if (!scope) return true;
    if (!node) return false;
    return tree.is_within(*node, *scope);
}

}  // namespace gridgov::people
