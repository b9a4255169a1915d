// Scopes: a user's scope is a node of the grid tree and covers that node's whole subtree. The
// grid tree answers ancestry questions through NodeAncestry; until it is loaded, SelfAncestry
// treats every node as covering only itself.
#pragma once

#include <cstdint>
#include <optional>

namespace gridgov::people {

class NodeAncestry {
  public:
    virtual ~NodeAncestry() = default;
    // True when `node` is `ancestor` or lies below it.
    virtual bool is_within(std::int64_t node, std::int64_t ancestor) const = 0;
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
