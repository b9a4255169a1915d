#include "accounts/scope.hpp"

#include <array>

#include <fmt/format.h>

#include "core/error.hpp"

namespace gridgov::accounts {

namespace {

constexpr std::size_t kAreas = 8;
constexpr std::size_t kRoles = 7;

using R = Reach;
// One row a role (in the order of Role), one column an area (in the order of Area):
//                        grid        events         registry    field_work  figures
//                        accounts    api_keys       audit
constexpr std::array<std::array<Reach, kAreas>, kRoles> kReach{{
    // admin
    {R::subtree, R::subtree, R::subtree, R::subtree, R::subtree, R::subtree, R::subtree,
     R::subtree},
    // center
    {R::subtree, R::subtree, R::subtree, R::subtree, R::subtree, R::subtree, R::none, R::none},
    // leader
    {R::subtree, R::subtree, R::subtree, R::subtree, R::subtree, R::subtree, R::none, R::none},
    // grid_worker
    {R::subtree, R::subtree, R::subtree, R::subtree, R::subtree, R::none, R::none, R::none},
    // grid_head
    {R::subtree, R::subtree, R::subtree, R::subtree, R::subtree, R::none, R::none, R::none},
    // dept_handler: the events assigned to the department, the tree to find places
    {R::subtree, R::department, R::none, R::none, R::subtree, R::none, R::none, R::none},
    // volunteer: their own reports
    {R::subtree, R::own, R::none, R::none, R::none, R::none, R::none, R::none},
}};

constexpr std::array<std::string_view, kAreas> kAreaNames{
    "网格 grid",    "事件 events",   "基础数据 registry", "巡查走访 field work",
    "统计 figures", "账号 accounts", "接口密钥 API keys", "审计日志 audit log"};

}  // namespace

Scope Scope::system() {
    return Scope{};
}

Scope Scope::of(const Principal& viewer, const NodeAncestry& tree) {
    Scope s;
    s.viewer_ = viewer;
    s.node_ = viewer.scope_node_id;
    if (s.node_) {
        if (auto p = tree.path_of(*s.node_)) {
            s.path_ = std::move(*p);
        } else {
            s.unknown_node_ = true;
            s.path_ = "/?/";  // matches no stored path
        }
    }
    return s;
}

Scope Scope::of(const Principal* viewer, const NodeAncestry& tree) {
    return viewer ? of(*viewer, tree) : system();
}

bool Scope::is_user(std::int64_t user_id) const {
    return viewer_ && viewer_->kind == Principal::Kind::user && viewer_->id == user_id;
}

std::optional<std::int64_t> Scope::department_id() const {
    return viewer_ ? viewer_->department_id : std::nullopt;
}

Reach Scope::reach(Area area) const {
    if (!viewer_) return Reach::subtree;
    if (unknown_node_) return Reach::none;
    const auto role = static_cast<std::size_t>(viewer_->role);
    const auto col = static_cast<std::size_t>(area);
    if (role >= kRoles || col >= kAreas) return Reach::none;
    Reach r = kReach[role][col];
    // a key acts for another system, never as a person: nothing is "its own" and it sees no
    // accounts, keys or audit
    if (viewer_->kind == Principal::Kind::api_key &&
        (area == Area::accounts || area == Area::api_keys || area == Area::audit))
        return Reach::none;
    // a department handler without a department reaches no events
    if (r == Reach::department && !viewer_->department_id) return Reach::none;
    // a grid worker or head without a node is never read as the whole city: their own only
    if (!node_ && (viewer_->role == Role::grid_worker || viewer_->role == Role::grid_head))
        return r == Reach::none ? Reach::none : (area == Area::events ? Reach::own : Reach::none);
    return r;
}

void Scope::require(Area area) const {
    if (reads(area)) return;
    throw Error(ErrorCode::forbidden,
                fmt::format("您的角色无权查看{0}。 Your role does not see the {0}.",
                            kAreaNames[static_cast<std::size_t>(area)]));
}

bool Scope::covers_path(std::string_view node_path) const {
    if (unknown_node_) return false;
    return node_path.starts_with(path_);
}

bool Scope::covers(std::int64_t node, const NodeAncestry& tree) const {
    if (unknown_node_) return false;
    if (!node_) return true;
    return tree.is_within(node, *node_);
}

bool Scope::touches_path(std::string_view node_path) const {
    if (unknown_node_) return false;
    return node_path.starts_with(path_) || std::string_view(path_).starts_with(node_path);
}

bool Scope::may_grant(std::optional<std::int64_t> scope, const NodeAncestry& tree) const {
    if (!viewer_) return true;
    if (unknown_node_) return false;
    if (!scope) return !node_;
    return covers(*scope, tree);
}

Scope Scope::narrowed(std::optional<std::int64_t> node, const NodeAncestry& tree,
                      const char* field) const {
    if (!node) return *this;
    auto p = tree.path_of(*node);
    if (!p) throw Error(ErrorCode::invalid_field, "没有这个节点。 No such node.", field);
    if (!covers_path(*p))
        throw Error(ErrorCode::forbidden,
                    "该节点不在您的管辖范围内。 The node is outside your scope.", field);
    Scope s = *this;
    s.node_ = node;
    s.path_ = std::move(*p);
    return s;
}

void Scope::restrict(std::string& where, std::vector<store::Value>& params,
                     std::string_view column) const {
    if (!node_ && !unknown_node_) return;
    params.emplace_back(path_ + "%");
    where += fmt::format(" AND {} LIKE ${}", column, params.size());
}

}  // namespace gridgov::accounts
