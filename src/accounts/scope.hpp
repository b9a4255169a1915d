// What a viewer may see and change, decided in one place: the subtree of the viewer's scope node,
// the department they serve, and, by role, how far they reach in each area of records. Records
// test it (covers), lists turn it into their SQL condition (restrict). A Scope is a plain value
// made per request; it is thread-safe to read and holds no reference to the tree once made.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/principal.hpp"
#include "store/row.hpp"

namespace gridgov::accounts {

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
    std::optional<std::string> path_of(std::int64_t node) const override {
        return "/" + std::to_string(node) + "/";
    }
};

// A missing scope is the whole tree: it covers everything, and only it covers the whole tree.
inline bool scope_covers(std::optional<std::int64_t> scope, std::optional<std::int64_t> node,
                         const NodeAncestry& tree) {
    if (!scope) return true;
    if (!node) return false;
    return tree.is_within(*node, *scope);
}

// The areas of records, each with its own rule of who reaches what.
enum class Area {
    grid,        // the nodes of the tree, their boundaries and staff
    events,      // the event loop: cases, their timeline and attachments
    registry,    // base data: people, addresses, households, places, organisations
    field_work,  // patrols and their tracks, visits, check-ins, workers' positions
    figures,     // the figures of the event loop and of the registry
    accounts,    // user accounts
    api_keys,    // keys of other systems
    audit,       // the audit log
};

// How far a viewer reaches in an area.
enum class Reach {
    none,        // nothing
    own,         // what they made themselves (a volunteer's own reports)
    department,  // what was assigned to their department (events), within nothing else
    subtree,     // everything under their scope node (the whole tree without one)
};

class Scope {
  public:
    // The server itself and the command line: everything, everywhere.
    static Scope system();
    // A viewer's scope; a scope node the tree does not know reaches nothing.
    static Scope of(const Principal& viewer, const NodeAncestry& tree);
    // nullptr is the system.
    static Scope of(const Principal* viewer, const NodeAncestry& tree);

    bool is_system() const { return !viewer_; }
    const std::optional<Principal>& viewer() const { return viewer_; }
    // True for the viewer's own account (a user, never a key whose id happens to match).
    bool is_user(std::int64_t user_id) const;
    bool is_api_key() const { return viewer_ && viewer_->kind == Principal::Kind::api_key; }
    std::optional<std::int64_t> department_id() const;

    Reach reach(Area area) const;
    bool reads(Area area) const { return reach(area) != Reach::none; }
    // forbidden (with Chinese and English text) unless the viewer reaches the area at all.
    void require(Area area) const;

    bool whole_tree() const { return !node_; }
    std::optional<std::int64_t> node() const { return node_; }
    // The subtree's path prefix ("/1/5/17/"); "/" for the whole tree.
    const std::string& path() const { return path_; }

    // True when the node (by its stored path) lies in the subtree.
    bool covers_path(std::string_view node_path) const;
    bool covers(std::int64_t node, const NodeAncestry& tree) const;
    // True when the node lies in the subtree or above it (the viewer's breadcrumb).
    bool touches_path(std::string_view node_path) const;
    // May this viewer hand out `scope` (to a user or a key)? Only within their own subtree; the
    // whole tree only from the whole tree.
    bool may_grant(std::optional<std::int64_t> scope, const NodeAncestry& tree) const;

    // The same viewer, looking at the subtree of `node` only (a filter asked for): invalid_field
    // on `field` for an unknown node, forbidden when the node is outside the scope.
    Scope narrowed(std::optional<std::int64_t> node, const NodeAncestry& tree,
                   const char* field = "node_id") const;

    // Appends " AND <column> LIKE $n" (the subtree) to `where` and its parameter to `params`;
    // nothing for the whole tree.
    void restrict(std::string& where, std::vector<store::Value>& params,
                  std::string_view column = "node_path") const;

  private:
    std::optional<Principal> viewer_;
    std::optional<std::int64_t> node_;
    std::string path_ = "/";
    bool unknown_node_ = false;  // a scope node the tree does not know: reaches nothing
};

}  // namespace gridgov::accounts
